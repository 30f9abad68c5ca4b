"""The alerts worker outlives a database outage instead of exiting."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import OperationalError

from alerts.management.commands import alerts_worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_and_starts_again_after_a_database_error(monkeypatch):
    """db_worker raising OperationalError (the primary restarting) no longer
    ends the process: the command waits, reconnects and runs it again.
    (The real outage is in make cluster-test: "workers alive at the end".)"""
    runs: list[str] = []
    waits: list[float] = []

    def db_worker(name: str, **options) -> None:
        runs.append(name)
        if len(runs) < 3:
            raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(alerts_worker, "call_command", db_worker)
    monkeypatch.setattr(alerts_worker.time, "sleep", waits.append)
    call_command("alerts_worker", "--interval", "0.1")
    assert runs == ["db_worker", "db_worker", "db_worker"]
    assert waits == [1.0, 2.0]  # a growing back-off


@pytest.mark.django_db
def test_any_other_error_still_stops_the_worker(monkeypatch):
    def db_worker(name: str, **options) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(alerts_worker, "call_command", db_worker)
    with pytest.raises(ValueError, match="a bug"):
        call_command("alerts_worker")
