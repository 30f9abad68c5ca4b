"""A database made by the previous ``main`` upgrades in place to the new layout.

The app split moves ``Bulletin`` and ``BulletinItem`` to the ``bulletins`` app
and ``ImportRecord`` to the ``importer`` app while keeping their tables
(``SeparateDatabaseAndState``), and renames their ``django_content_type``
rows so permissions, admin log entries and reversion ``Version`` rows keep
pointing at them.  The project's other tests all start from an empty
database built by the *new* migrations, so none of them can see a mistake
that only shows on a live newsroom's database: a table dropped and
re-created empty, a content type re-created under a new id (orphaning
history and permissions), a migration the state and the database disagree
on.  This test builds a database with the real previous code, by
subprocess, and migrates it with the current code.

It works on its own throw-away database (an SQLite file, or a fresh
PostgreSQL database when the session runs on PostgreSQL) and its own
MEDIA_ROOT, never on the session's test database, so it needs no ``db``
fixture and is safe under pytest-xdist.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import dj_database_url
import pytest

#: The last commit before the app split (bulletins/, importer/, search/):
#: the layout every existing newsroom database was made with.
PREVIOUS_MAIN = "b3a02b5e00b4b503e891277f53888b94b74d009d"

REPO_ROOT = Path(__file__).resolve().parents[2]
SHELL_SCRIPTS = Path(__file__).resolve().parent / "shell"

#: Moved model name -> its new app label (the old one was "releases").
MOVED = {"bulletin": "bulletins", "bulletinitem": "bulletins", "importrecord": "importer"}
#: Moved model name -> the table it keeps.
MOVED_TABLES = {
    "bulletin": "releases_bulletin",
    "bulletinitem": "releases_bulletinitem",
    "importrecord": "releases_importrecord",
}
#: The tables the split keeps; their rows must be exactly the same afterwards.
KEPT_TABLES = (*MOVED_TABLES.values(), "releases_importrecord_releases")
#: Files the old importer reads (paths inside the old tree): the first has a
#: dated "MEDIA UPDATE" header, so it makes a bulletin; the second does not.
SAMPLES = ("tests/samples/karachi_water_cp1252.txt", "tests/samples/geneva_statement.md")
VERBS = ("add", "change", "delete", "view")
SUBPROCESS_TIMEOUT = 600


# ---------------------------------------------------------------------------
# The old tree and the throw-away database


def _unavailable(reason: str) -> NoReturn:
    """Skip where the history is missing (a tarball), but fail in CI."""
    if os.environ.get("NEWSROOM_REQUIRE_SHARED") == "1":
        pytest.fail(f"NEWSROOM_REQUIRE_SHARED=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def previous_main_tree(tmp_path: Path) -> Path:
    """The previous main's files, extracted with ``git archive``."""
    git = shutil.which("git")
    if git is None:
        _unavailable("git is not installed, so the previous main cannot be extracted")
    found = subprocess.run(
        [git, "-C", str(REPO_ROOT), "cat-file", "-e", f"{PREVIOUS_MAIN}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode != 0:
        _unavailable(f"commit {PREVIOUS_MAIN} is not in the repository at {REPO_ROOT}")
    archive = subprocess.run(
        [git, "-C", str(REPO_ROOT), "archive", "--format=tar", PREVIOUS_MAIN],
        capture_output=True,
        check=True,
    )
    tree = tmp_path / "previous-main"
    tree.mkdir()
    # The "data" filter (Python >= 3.11.4) refuses links and paths out of ``tree``.
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, **safe)  # noqa: S202 - our own repository's commit
    assert (tree / "manage.py").is_file(), f"git archive gave no manage.py in {tree}"
    return tree


def _session_postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url and "postgresql" in dj_database_url.parse(url)["ENGINE"]:
        return url
    return None


@pytest.fixture
def upgrade_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of this test's own: never the session's test database.

    On PostgreSQL a new database with a random name (xdist workers run side
    by side), created from ``template0`` so a session connected to
    ``template1`` cannot block it, and dropped afterwards.
    """
    session_url = _session_postgres_url()
    if session_url is None:
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"newsroom_upgrade_{uuid.uuid4().hex[:12]}"
    # The database the URL names need not exist (pytest-django tests in
    # test_<name>): create and drop through the server's maintenance database.
    admin_url = urlsplit(session_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    try:
        yield urlsplit(session_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# ---------------------------------------------------------------------------
# Running manage.py


def _manage_env(database_url: str, media_root: Path) -> dict[str, str]:
    """The environment of a deployment, pointed at the throw-away database.

    pytest's own variables are dropped (the settings treat PYTEST_VERSION as
    "under test"); NEWSROOM_TESTING=1 is what lets the settings run without
    a SECRET_KEY.  No shared cache: REDIS_URL is removed.
    """
    dropped = {"PYTHONPATH", "REDIS_URL", "SECRET_KEY", "DEBUG", "STATIC_ROOT"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_TESTING="1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(
    tree: Path, env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` of ``tree``, run from ``tree`` (so its code is
    the code imported) with the test's interpreter."""
    done = subprocess.run(
        [sys.executable, str(tree / "manage.py"), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    if check and done.returncode != 0:
        which = "NEW (this checkout)" if tree == REPO_ROOT else f"OLD ({PREVIOUS_MAIN[:9]})"
        pytest.fail(
            f"{which} `manage.py {' '.join(args)}` exited with {done.returncode}\n"
            f"--- stdout ---\n{done.stdout[-6000:]}\n--- stderr ---\n{done.stderr[-10000:]}",
            pytrace=False,
        )
    return done


def _shell_json(tree: Path, env: dict[str, str], script: str, marker: str) -> dict:
    """Run a script of ``shell/`` with ``manage.py shell -c``; its JSON line."""
    code = (SHELL_SCRIPTS / script).read_text(encoding="utf-8")
    done = _manage(tree, env, "shell", "--no-imports", "-c", code)
    for line in done.stdout.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    pytest.fail(f"{script} printed no {marker} line:\n{done.stdout}\n{done.stderr}", pytrace=False)


def _media_files(root: Path) -> dict[str, str]:
    """Every file under MEDIA_ROOT: relative path -> SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# ---------------------------------------------------------------------------
# Helpers for the assertions


def _content_types(snapshot: dict) -> dict[int, tuple[str, str]]:
    return {ct_id: (app_label, model) for ct_id, app_label, model in snapshot["content_types"]}


def _old_content_type_id(before: dict, model: str) -> int:
    ids = [i for i, label in _content_types(before).items() if label == ("releases", model)]
    assert len(ids) == 1, f"the old database should have one releases.{model} content type: {ids}"
    return ids[0]


def _label_after_split(label: tuple[str, str]) -> tuple[str, str]:
    """What an old content type's (app_label, model) should read after the split."""
    app_label, model = label
    if app_label == "releases" and model in MOVED:
        return (MOVED[model], model)
    return label


def _count_diff(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Tables that are gone or lost rows, one readable line each."""
    lines = []
    for table, count in sorted(before.items()):
        if table == "django_migrations":
            continue
        if table not in after:
            lines.append(f"  {table}: {count} rows before, table MISSING after")
        elif after[table] < count:
            lines.append(f"  {table}: {count} rows before, {after[table]} after")
    return lines


def _assert_old_database_is_meaningful(before: dict, populated: dict, files: dict) -> None:
    """The old half really made what the upgrade must keep; otherwise the
    checks after the upgrade would pass on nothing."""
    assert before["bulletins"], "the import made no bulletin"
    assert before["bulletin_items"], "the bulletin has no releases"
    assert len(before["import_records"]) == len(SAMPLES), before["import_records"]
    assert any(row[2] is not None for row in before["import_records"]), (
        "no import record is linked to a bulletin"
    )
    assert before["import_record_releases"], "no import record lists its releases"
    labels = _content_types(before)
    versioned = {labels[int(ct)] for ct in before["versions_per_content_type"]}
    assert {("releases", "pressrelease"), ("releases", "releaseimage")} <= versioned, versioned
    logged = {labels[ct] for _, ct, _ in before["log_entries"]}
    assert {("releases", "bulletin"), ("releases", "importrecord")} <= logged, logged
    assert populated["editor_perms"] == {
        "releases.change_bulletin": True,
        "releases.view_importrecord": True,
    }
    assert populated["image_name"] in files, sorted(files)
    assert populated["attachment_name"] in files, sorted(files)
    assert any(name.startswith("releases/renditions/") for name in files), sorted(files)
    add_bulletin = [p for p, _ct, codename in before["permissions"] if codename == "add_bulletin"]
    assert add_bulletin, "the old database has no add_bulletin permission"
    assert set(add_bulletin) <= set(before["group_permissions"]["Administrator"])


def _assert_rows_kept(before: dict, after: dict, seen: dict) -> None:
    """No table lost rows; the moved models find every old row, on their old
    tables, with their links (bulletin items, an import's releases and
    bulletin) read through the new models' ORM relations."""
    lost = _count_diff(before["table_counts"], after["table_counts"])
    assert not lost, "tables lost or lost rows in the upgrade:\n" + "\n".join(lost)
    for table in KEPT_TABLES:
        assert after["table_counts"][table] == before["table_counts"][table], table
    for key in ("bulletins", "bulletin_items", "import_records", "import_record_releases"):
        assert after[key] == before[key], f"rows of {key} changed in the upgrade"

    old_ids = {
        "bulletin": [row[0] for row in before["bulletins"]],
        "bulletinitem": [row[0] for row in before["bulletin_items"]],
        "importrecord": [row[0] for row in before["import_records"]],
    }
    for model, app_label in MOVED.items():
        facts = seen["moved_models"][model]
        assert facts["app_label"] == app_label, (model, facts)
        assert facts["db_table"] == MOVED_TABLES[model], (model, facts)
        assert facts["ids"] == old_ids[model], f"{app_label}.{model} does not find every old row"
    assert seen["bulletin_items"] == before["bulletin_items"]
    assert seen["bulletin_releases"] == {
        str(bulletin_id): sorted(
            item[2] for item in before["bulletin_items"] if item[1] == bulletin_id
        )
        for bulletin_id, _slug in before["bulletins"]
    }, "a bulletin lost releases"
    assert seen["import_records"] == before["import_records"], "an import record lost its bulletin"
    assert seen["import_record_releases"] == {
        str(record_id): sorted(
            link[2] for link in before["import_record_releases"] if link[1] == record_id
        )
        for record_id, _sha, _bulletin in before["import_records"]
    }, "an import record lost its releases"


def _assert_content_types_renamed(before: dict, after: dict, seen: dict) -> None:
    """The moved models' content types keep their ids under the new app
    labels; no stale ``releases`` twin is left; no other content type moved."""
    old_labels, new_labels = _content_types(before), _content_types(after)
    for model, app_label in MOVED.items():
        old_id = _old_content_type_id(before, model)
        assert seen["moved_models"][model]["content_type_ids"] == [old_id], (
            f"{app_label}.{model} should keep content type id {old_id} (what Version, LogEntry "
            f"and Permission rows point at); found {seen['moved_models'][model]}"
        )
        assert ("releases", model) not in new_labels.values(), f"stale releases.{model} remains"
    changed = {
        ct_id: (label, new_labels.get(ct_id))
        for ct_id, label in old_labels.items()
        if new_labels.get(ct_id) != _label_after_split(label)
    }
    assert not changed, f"content types changed or vanished (id: before, after): {changed}"


def _assert_history_kept(before: dict, after: dict, seen: dict, populated: dict) -> None:
    """Every reversion Version and admin LogEntry still opens its object."""
    assert after["versions_per_content_type"] == before["versions_per_content_type"]
    assert seen["version_errors"] == [], "\n".join(seen["version_errors"])
    assert after["log_entries"] == before["log_entries"]
    errors = [error for _, _, error in seen["log_entries"] if error]
    assert errors == [], "\n".join(errors)
    logged = {entry_id: label for entry_id, label, _ in seen["log_entries"]}
    bulletin_entry, record_entry, release_entry = populated["log_entry_ids"]
    assert logged[bulletin_entry] == "bulletins.bulletin"
    assert logged[record_entry] == "importer.importrecord"
    assert logged[release_entry] == "releases.pressrelease"


def _assert_permissions_kept(before: dict, after: dict, seen: dict) -> None:
    """The moved models' permissions are the same rows on the renamed content
    types; role groups (re-synced by ``sync_roles`` after migrate) and a user
    keep them."""
    old_permissions = {codename: (pk, ct) for pk, ct, codename in before["permissions"]}
    for codename, rows in seen["permissions"].items():
        model = codename.split("_", 1)[1]
        old_pk, old_ct = old_permissions[codename]
        assert rows == [[old_pk, old_ct, MOVED[model], model]], (
            f"permission {codename}: before id {old_pk} on content type {old_ct}; after {rows}"
        )
    for group, perm_ids in before["group_permissions"].items():
        missing = set(perm_ids) - set(after["group_permissions"].get(group, []))
        assert not missing, f"group {group} lost permissions {sorted(missing)}"
    administrator = set(seen["group_permission_labels"]["Administrator"])
    wanted = {f"{app}.{verb}_{model}" for model, app in MOVED.items() for verb in VERBS}
    assert wanted <= administrator, f"Administrator lacks {sorted(wanted - administrator)}"
    assert seen["editor_perms"] == {
        "bulletins.change_bulletin": True,
        "importer.view_importrecord": True,
    }


def _assert_files_kept(files_before: dict, files_after: dict, seen: dict, populated: dict) -> None:
    """Every upload and rendition is still there, byte for byte, and the new
    models' file fields still name them."""
    missing = sorted(set(files_before) - set(files_after))
    assert not missing, f"files gone from MEDIA_ROOT: {missing}"
    altered = sorted(name for name in files_before if files_after[name] != files_before[name])
    assert not altered, f"files changed under MEDIA_ROOT: {altered}"
    assert seen["stored_files"] == [
        ["ReleaseImage", populated["image_id"], populated["image_name"], True],
        ["ReleaseAttachment", populated["attachment_id"], populated["attachment_name"], True],
    ]


# ---------------------------------------------------------------------------
# The test


def test_database_of_previous_main_upgrades_in_place(
    tmp_path: Path, previous_main_tree: Path, upgrade_database_url: str
) -> None:
    """Old code builds and fills a database; the new code migrates it and
    still finds every row, file, revision, log entry and permission."""
    old = previous_main_tree
    media_root = tmp_path / "upgrade-media"
    media_root.mkdir()
    env = _manage_env(upgrade_database_url, media_root)

    # -- The OLD code makes a newsroom's database -----------------------------
    _manage(old, env, "migrate", "--noinput")
    _manage(old, env, "load_demo")
    _manage(old, env, "import_releases", *(str(old / sample) for sample in SAMPLES))
    populate_env = {**env, "UPGRADE_DOCX": str(old / "tests/samples/lahore_training.docx")}
    populated = _shell_json(old, populate_env, "old_populate.py", "@@UPGRADE-POPULATE@@")
    before = _shell_json(old, env, "snapshot.py", "@@UPGRADE-SNAPSHOT@@")
    files_before = _media_files(media_root)
    _assert_old_database_is_meaningful(before, populated, files_before)

    # -- The NEW code migrates it, completely and once ---------------------------
    _manage(REPO_ROOT, env, "migrate", "--noinput")
    migrated = _shell_json(REPO_ROOT, env, "snapshot.py", "@@UPGRADE-SNAPSHOT@@")
    unapplied = _manage(REPO_ROOT, env, "migrate", "--check", "--noinput", check=False)
    assert unapplied.returncode == 0, (
        "migrations left unapplied after migrate:\n"
        + _manage(REPO_ROOT, env, "showmigrations", "--plan").stdout
    )
    again = _manage(REPO_ROOT, env, "migrate", "--noinput")
    assert "No migrations to apply." in again.stdout, again.stdout
    state = _manage(REPO_ROOT, env, "makemigrations", "--check", "--dry-run", check=False)
    assert state.returncode == 0, (
        "the models differ from the migrations' state (makemigrations would write):\n"
        + state.stdout
        + state.stderr
    )

    after = _shell_json(REPO_ROOT, env, "snapshot.py", "@@UPGRADE-SNAPSHOT@@")
    assert after == migrated, (
        "the second migrate changed the database (its post_migrate handlers are not idempotent)"
    )

    # -- ... and finds everything the old code left -------------------------------
    seen = _shell_json(REPO_ROOT, env, "new_checks.py", "@@UPGRADE-CHECKS@@")
    _assert_rows_kept(before, after, seen)
    _assert_content_types_renamed(before, after, seen)
    _assert_history_kept(before, after, seen, populated)
    _assert_permissions_kept(before, after, seen)
    _assert_files_kept(files_before, _media_files(media_root), seen, populated)
    # Each old release became a story of its own, in the default language.
    assert seen["releases"] > 1, seen
    assert seen["releases_not_in_default_language"] == 0, seen
    assert seen["translation_keys"] == seen["releases"], seen
    assert seen["keys_shared"] == 0, seen
    if upgrade_database_url.startswith("postgres"):
        # The search's ranking vector was back-filled from the old vectors.
        assert seen["indexed_releases"] > 0
        assert seen["releases_without_rank_vector"] == 0, seen
