"""A large import goes to the worker (a real worker process): a progress page
that refreshes itself, then the same report as a small import; all or
nothing; a 100,000-row file gets a clear message, never a 500."""

from __future__ import annotations

import json
import os
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from medialists import import_jobs, importing
from medialists.models import ImportUpload, MediaPerson, Outlet
from tests.alerts.support import SMTPServer, Worker, wait_for

IMPORT = "/admin/medialists/mediaperson/import/"


def big_csv(n: int, start: int = 0) -> bytes:
    lines = ["Full name,E-mail,Outlet,Beats"]
    lines += [
        f"Person {i:05d},person{i}@example.org,Outlet {i % 7},energy; water"
        for i in range(start, start + n)
    ]
    lines.append("No Mail,,Outlet 1,")  # one line skipped, with its reason
    return ("\n".join(lines) + "\n").encode()


def upload(client, data: bytes):
    return client.post(
        IMPORT,
        {
            "file": SimpleUploadedFile("big.csv", data),
            "kind": "csv",
            "consent_basis": "professional",
        },
    )


def columns() -> dict:
    chosen = {"name": 0, "email": 1, "outlet": 2, "beats": 3}
    return {field: str(chosen.get(field, "")) for field in importing.FIELDS}


@pytest.fixture
def worker(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = SMTPServer().__enter__()
    process = Worker(server, tmp_path / "worker.log", rate=0)
    yield process
    process.stop(signal.SIGKILL)
    server.__exit__()
    if os.environ.get("ALERTS_SHOW_WORKER_LOG"):
        print((tmp_path / "worker.log").read_text())


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_worker_with_its_progress_then_its_report(
    client, manager, worker, settings
):
    settings.MEDIALISTS_IMPORT_WORKER_ROWS = 2000
    client.force_login(manager)
    map_url = upload(client, big_csv(3000))["Location"]
    preview = client.post(map_url, {**columns(), "preview": "1"})
    assert "the worker imports it" in preview.content.decode()
    confirmed = client.post(map_url, {**columns(), "confirm": "1"})
    assert confirmed.status_code == 302
    progress_url = confirmed["Location"]
    assert progress_url.endswith("/progress/")
    # A second click (or the back button) queues nothing more.
    assert client.post(map_url, {**columns(), "confirm": "1"})["Location"] == progress_url
    page = client.get(progress_url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the worker" in page
    assert not MediaPerson.objects.exists(), "the request imported it"

    record = ImportUpload.objects.get()
    json_url = progress_url.replace("/progress/", "/progress.json")
    seen: list[dict] = []

    def finished() -> bool:
        state = json.loads(client.get(json_url).content)
        seen.append(state)
        return state["finished"]

    worker.start()
    assert wait_for(finished, timeout=90, step=0.1)
    final = seen[-1]
    assert final["status"] == "done", final
    assert final["result"] == {
        "created": 3000,
        "updated": 0,
        "skipped": 1,
        "new_outlets": [f"Outlet {i}" for i in range(7)],
    }
    for state in seen:  # whatever the page was told on the way, it was within bounds
        assert 0 <= state["processed_rows"] <= max(state["total_rows"], 3001)
        assert state["status"] in {"queued", "checking", "writing", "done"}
    assert MediaPerson.objects.count() == 3000
    assert Outlet.objects.count() == 7
    assert MediaPerson.objects.get(email="person42@example.org").beats.count() == 2
    record.refresh_from_db()
    assert record.text == "", "the file's people stay in the database after the import"
    page = client.get(progress_url).content.decode()
    assert "http-equiv" not in page
    assert "Imported: 3000 created, 0 updated, 1 skipped." in page
    assert "no name or no e-mail" in page
    # Another person's upload is not theirs to follow.
    other = ImportUpload.objects.create(text="x", file_name="x.csv", consent_basis="professional")
    assert (
        client.get(f"/admin/medialists/mediaperson/import/{other.pk}/progress/").status_code == 404
    )


@pytest.mark.django_db
def test_progress_is_told_while_checking_and_writing():
    header, rows = importing.read_rows(big_csv(2500).decode(), "csv")
    mapping = {"name": 0, "email": 1, "outlet": 2, "beats": 3}
    checked: list[int] = []
    result = importing.plan(header, rows, mapping, progress=checked.append, every=500)
    assert checked == [500, 1000, 1500, 2000, 2500]
    written: list[int] = []
    importing.apply(result, "professional", "test", progress=written.append, every=500)
    assert written == sorted(written) and written[0] > 0 and written[-1] == 2500


@pytest.mark.django_db
def test_a_failure_in_the_worker_writes_nothing_and_says_so(manager, monkeypatch):
    record = ImportUpload.objects.create(
        text=big_csv(2500).decode(),
        file_name="big.csv",
        consent_basis="professional",
        created_by=manager,
    )
    assert import_jobs.queue(record, {"name": 0, "email": 1, "outlet": 2, "beats": 3}, "t", 2501)
    assert not import_jobs.queue(record, {"name": 0, "email": 1}, "t", 2501)

    def broken(self, name):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importing._TagCache, "get", broken)
    result = import_jobs.run(record.pk)
    assert "nothing was written" in result["failed"]
    record.refresh_from_db()
    assert record.status == ImportUpload.Status.FAILED and record.text == ""
    assert not MediaPerson.objects.exists() and not Outlet.objects.exists()
    assert import_jobs.run(record.pk) == {"skipped": "not waiting"}


@pytest.mark.django_db
def test_a_100000_row_file_gets_a_clear_message_not_a_500(client, manager):
    client.force_login(manager)
    response = upload(client, big_csv(100_000))
    assert response.status_code == 200
    assert "more than 25,000 rows" in response.content.decode()
    assert "Split it into smaller files" in response.content.decode()
    assert not ImportUpload.objects.exists() and not MediaPerson.objects.exists()
