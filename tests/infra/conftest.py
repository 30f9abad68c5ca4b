"""An S3-compatible server for the object-storage tests: moto's standalone server.

moto is an *emulator* of the S3 API (no real object store installs from the
registries this project uses); it speaks the same HTTP API, signatures
included, so django-storages and boto3 run their real code against it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.db import connection

from tests.alerts.support import free_port

BIN = Path(sys.executable).parent


@dataclass
class S3:
    endpoint: str
    bucket: str
    prefix: str
    client: object

    def storage_settings(self) -> dict:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "location": self.prefix,
                "endpoint_url": self.endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "addressing_style": "path",
            },
        }

    def object_keys(self) -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.2)
    try:
        yield endpoint
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture
def s3(s3_server: str, settings, request) -> S3:
    """A fresh private bucket, made the default storage for this test."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = f"newsroom-{request.node.name[:30].lower().replace('_', '-')}-{free_port()}"
    client.create_bucket(Bucket=bucket)
    store = S3(s3_server, bucket, "media", client)
    settings.STORAGES = {**settings.STORAGES, "default": store.storage_settings()}
    return store


@pytest.fixture
def target_database(tmp_path):
    """A fresh database of the same engine, and the URL that reaches it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda sql: sqlite3.connect(path).execute(sql).fetchone()[0]
        return
    import psycopg

    s = connection.settings_dict
    name = f"{s['NAME']}_restored"[:63]
    params = {"host": s["HOST"] or None, "port": s["PORT"] or None, "user": s["USER"] or None}
    if s.get("PASSWORD"):
        params["password"] = s["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str):
        with psycopg.connect(dbname=name, **params) as db:
            return db.execute(sql).fetchone()[0]

    auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
    yield f"postgres://{auth}{s['HOST']}:{s['PORT']}/{name}", query
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
