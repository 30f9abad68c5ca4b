"""A real SMTP server for the tests (aiosmtpd, on a free local port), and helpers."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

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
    (e.g. ``["451 try later"]``) for the next messages, then it accepts."""

    messages: list[EmailMessage] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            parsed["X-Arrived-At"] = repr(time.time())  # wall clock, for embargo checks
            self.messages.append(parsed)
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
