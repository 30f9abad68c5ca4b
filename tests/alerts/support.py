"""A real SMTP server for the tests (aiosmtpd, on a free local port), and helpers."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

from alerts.models import Frequency, Subscriber, Subscription
from alerts.queries import read_query
from releases.models import PressRelease


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Inbox:
    """What the server accepted, parsed; ``replies`` scripts SMTP answers
    (e.g. ``["451 try later"]``) to the next messages' DATA, then it accepts;
    ``rcpt_replies`` maps an address to the answer it gets at ``RCPT TO``
    every time (e.g. ``"550 5.1.1 No such user"``), as a real mailbox that
    does not exist or is full would.

    ``hold_rcpt`` / ``hold_data`` map an address to an event: the server
    keeps its answer to that address's ``RCPT TO`` (before the hand-over) or
    to the ``"."`` ending its ``DATA`` (after it) until the event is set, and
    ``holding`` names the addresses it is holding now — the instants a test
    kills a worker at.  A message held at ``DATA`` is already taken (a
    server that has read the ``"."`` has it), whatever becomes of the client."""

    messages: list[EmailMessage] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    hold_rcpt: dict[str, threading.Event] = field(default_factory=dict)
    hold_data: dict[str, threading.Event] = field(default_factory=dict)
    holding: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def _hold(self, address: str, holds: dict[str, threading.Event], stage: str) -> None:
        event = holds.get(address.lower())
        if event is None:
            return
        self.holding.add(f"{stage}:{address.lower()}")
        while not event.is_set():  # other connections go on meanwhile
            await asyncio.sleep(0.02)
        self.holding.discard(f"{stage}:{address.lower()}")

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: N802
        await self._hold(address, self.hold_rcpt, "rcpt")
        with self.lock:
            reply = self.rcpt_replies.get(address.lower())
            if reply:
                self.refused.append(address.lower())
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            parsed["X-Arrived-At"] = repr(time.time())  # wall clock, for embargo checks
            self.messages.append(parsed)
        # Taken (queued) before the answer, as a real server does: a client
        # that dies while the answer is held has still handed it over.
        for address in envelope.rcpt_tos:
            await self._hold(address, self.hold_data, "data")
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def follow(email_address: str, params: dict | None = None, **options) -> Subscription:
    """A confirmed subscription (as if the address had clicked the link)."""
    from django.utils import timezone

    subscriber, _ = Subscriber.objects.get_or_create(
        email=email_address, defaults={"confirmed_at": timezone.now()}
    )
    stored = read_query(params or {}, PressRelease.objects.published())
    return Subscription.objects.create(
        subscriber=subscriber,
        query=stored.params,
        query_key=stored.key,
        label=stored.label,
        frequency=options.get("frequency", Frequency.IMMEDIATE),
        digest_hour=options.get("digest_hour", 8),
        confirmed_at=options.get("confirmed_at", timezone.now()),
    )


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """One ``alerts_worker`` process; its output goes to a log file."""

    def __init__(
        self,
        smtp: SMTPServer,
        log: Path,
        rate: float,
        site_url: str = "https://news.example.org",
        lease: float = 4,
    ) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "NEWSROOM_TESTING": "1",
            "EMAIL_URL": smtp.url,
            "NEWSROOM_SITE_URL": site_url,
            "ALERTS_SEND_RATE": str(rate),
            "ALERTS_SWEEP_INTERVAL": "2",
            # A killed worker's claims come back in seconds, not minutes.
            "ALERTS_CLAIM_LEASE_SECONDS": str(lease),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "alerts_worker", "--interval", "0.2"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()
