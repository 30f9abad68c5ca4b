"""The restore drill: back up the database and the files, restore into a fresh
database and storage (another process, as an operator would), compare counts
and checksums.  Runs on SQLite, and on PostgreSQL under a PostgreSQL DATABASE_URL
(pg_dump -Fc / pg_restore into a new database name)."""

from __future__ import annotations

import hashlib
import json
import os
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


def test_the_drill_with_media_in_a_bucket(tmp_path, s3, target_database):
    """Backup reads every object of the bucket; restore writes them under a new prefix."""
    release = PressReleaseFactory()
    image = ReleaseImageFactory(release=release, is_lead=True)
    with image.image.open("rb") as handle:
        original = hashlib.sha256(handle.read()).hexdigest()
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"][image.image.name]["sha256"] == original

    url, query = target_database
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DATABASE_URL": url,
        "NEWSROOM_S3_BUCKET": s3.bucket,
        "NEWSROOM_S3_ENDPOINT_URL": s3.endpoint,
        "NEWSROOM_S3_REGION": "us-east-1",
        "NEWSROOM_S3_ACCESS_KEY_ID": "testing",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "testing",
        "NEWSROOM_S3_PREFIX": "restored",
    }
    env.pop("PYTEST_VERSION", None)
    done = _manage("restore", str(folder), env=env)
    assert done.returncode == 0, done.stderr
    key = f"restored/{image.image.name}"
    assert key in s3.object_keys()
    body = s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == original
    assert query("SELECT COUNT(*) FROM releases_releaseimage") == 1
