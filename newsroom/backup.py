"""Backup and the restore drill: the database and every stored file, with a manifest.

A backup is a folder:

* ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3``
  (SQLite's online backup API: a consistent copy while the site runs);
* ``files/…`` — every file of the default storage (the local disk or the
  S3 bucket, read through the storage API, so both work alike);
* ``manifest.json`` — the row count of every table and the SHA-256 and size
  of every file, the database copy's included.

``restore`` refuses a damaged backup (a checksum that does not match) and a
target that is not fresh (a database with tables, a file already stored),
loads both, then checks the restored database's counts and every restored
file's checksum against the manifest: the drill proves the backup, not just
that a file was written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def sha256_of(handle: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Rows in every table of the default database (Django's and anyone else's)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def storage_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name under ``folder`` of ``storage``, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += storage_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments of pg_dump/pg_restore; the password only in the environment."""
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


@dataclass
class Report:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def backup(target: Path, storage: Storage | None = None) -> Report:
    """Write a backup of the default database and ``storage`` into the new folder ``target``."""
    storage = storage or default_storage
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    counts = table_counts()
    if engine == "postgresql":
        database = "database.dump"
        args, env = _pg_env(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "--no-acl",
                *args,
                "-f",
                str(target / database),
                connection.settings_dict["NAME"],
            ],
            env,
        )
    elif engine == "sqlite":
        database = "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target / database) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Backups of {engine} databases are not supported.")
    files: dict[str, dict[str, Any]] = {}
    for name in storage_names(storage):
        destination = target / "files" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        with destination.open("rb") as written:
            files[name] = {"sha256": sha256_of(written), "size": destination.stat().st_size}
    with (target / database).open("rb") as handle:
        database_sha = sha256_of(handle)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "database": {"file": database, "sha256": database_sha},
        "tables": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Report(
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(files),
        bytes=sum(f["size"] for f in files.values()),
    )


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking every file of the backup against it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}: not a backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not {FORMAT}.")
    with (source / manifest["database"]["file"]).open("rb") as handle:
        if sha256_of(handle) != manifest["database"]["sha256"]:
            raise BackupError("The database copy does not match its checksum: damaged backup.")
    for name, facts in manifest["files"].items():
        path = source / "files" / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        with path.open("rb") as handle:
            if sha256_of(handle) != facts["sha256"]:
                raise BackupError(f"{name} does not match its checksum: damaged backup.")
    return manifest


def restore(source: Path, storage: Storage | None = None) -> Report:
    """Load the backup in ``source`` into the fresh default database and ``storage``; verify."""
    storage = storage or default_storage
    manifest = read_manifest(source)
    engine = connection.vendor
    if engine != manifest["engine"]:
        raise BackupError(f"This backup is of a {manifest['engine']} database, not {engine}.")
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing:
        raise BackupError(
            f"The target database already has {len(existing)} tables: restore into a fresh one."
        )
    clashes = [name for name in manifest["files"] if storage.exists(name)]
    if clashes:
        raise BackupError(
            f"The target storage already holds {clashes[0]}: restore into a fresh one."
        )
    dump = source / manifest["database"]["file"]
    if engine == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(dump),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as backup_db:
            backup_db.backup(connection.connection)
        backup_db.close()
        connection.close()
    for name in manifest["files"]:
        with (source / "files" / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}.")
    return verify(manifest, storage)


def verify(manifest: dict[str, Any], storage: Storage | None = None) -> Report:
    """Compare the live database and storage with a manifest: counts and checksums."""
    storage = storage or default_storage
    report = Report()
    counts = table_counts()
    for table, expected in manifest["tables"].items():
        got = counts.get(table)
        if got != expected:
            report.problems.append(f"table {table}: {got} rows, the backup had {expected}")
        report.tables += 1
        report.rows += got or 0
    for name, facts in manifest["files"].items():
        try:
            with storage.open(name, "rb") as handle:
                digest = sha256_of(handle)
        except FileNotFoundError:
            report.problems.append(f"file {name}: missing")
            continue
        if digest != facts["sha256"]:
            report.problems.append(f"file {name}: checksum differs")
        report.files += 1
        report.bytes += facts["size"]
    return report
