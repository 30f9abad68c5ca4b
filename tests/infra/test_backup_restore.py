"""The restore drill: back up the database and the files, restore into a fresh
database and storage (another process, as an operator would), compare counts
and checksums.  Runs on SQLite, and on PostgreSQL under a PostgreSQL DATABASE_URL
(pg_dump -Fc / pg_restore into a new database name)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from newsroom.backup import table_counts
from releases.models import PressRelease, ReleaseAttachment
from tests.factories import PressReleaseFactory, ReleaseImageFactory
from tests.files.support import pdf_bytes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _content(tmp_path: Path) -> dict[str, str]:
    """A few releases with pictures and a document; their files' checksums by name."""
    for n in range(3):
        release = PressReleaseFactory()
        ReleaseImageFactory(release=release, is_lead=True)
        ReleaseAttachment.objects.create(
            release=release,
            title=f"Signed text {n}",
            file=ContentFile(pdf_bytes(), name=f"text-{n}.pdf"),
        )
    media = Path(tmp_path / "media")
    return {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media.rglob("*")
        if p.is_file()
    }


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


def test_backup_then_restore_into_a_fresh_database_and_storage(tmp_path, target_database):
    files = _content(tmp_path)
    assert len(files) == 6
    releases = PressRelease.objects.count()
    folder = tmp_path / "backup"
    call_command("backup", str(folder))

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == table_counts()
    assert manifest["tables"]["releases_pressrelease"] == releases
    assert {name: f["sha256"] for name, f in manifest["files"].items()} == files

    url, query = target_database
    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(restored_media),
    }
    env.pop("PYTEST_VERSION", None)
    done = _manage("restore", str(folder), env=env)
    assert done.returncode == 0, done.stderr
    assert "all match" in done.stdout

    # Checked again here, not only by the command: the rows and the bytes are back.
    assert query("SELECT COUNT(*) FROM releases_pressrelease") == releases
    assert query("SELECT COUNT(*) FROM releases_releaseimage") == 3
    assert (
        query("SELECT COUNT(*) FROM django_migrations") == manifest["tables"]["django_migrations"]
    )
    restored = {
        str(p.relative_to(restored_media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in restored_media.rglob("*")
        if p.is_file()
    }
    assert restored == files

    # A second restore over it is refused: the target is no longer fresh.
    again = _manage("restore", str(folder), env=env)
    assert again.returncode != 0
    assert "restore into a fresh one" in again.stderr
    # The drill's check alone passes on the restored site.
    check = _manage("restore", "--verify-only", str(folder), env=env)
    assert check.returncode == 0, check.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path, target_database):
    _content(tmp_path)
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    victim = next(p for p in (folder / "files").rglob("*.pdf"))
    victim.write_bytes(victim.read_bytes()[:-10])
    url, _query = target_database
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    env.pop("PYTEST_VERSION", None)
    done = _manage("restore", str(folder), env=env)
    assert done.returncode != 0
    assert "damaged backup" in done.stderr
    assert not (tmp_path / "restored-media").exists()


def test_backup_refuses_a_folder_in_use(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "something").write_text("already here")
    with pytest.raises(Exception, match="not empty"):
        call_command("backup", str(folder))
