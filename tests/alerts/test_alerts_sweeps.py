"""The sweep runs the periodic work other apps plugged in, and survives one that fails."""

from __future__ import annotations

import pytest

from alerts import sweeps
from alerts.tasks import run_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(sweeps, "_SWEEPS", {})
    monkeypatch.setattr(sweeps, "_REPEATABLE", {})
    return sweeps


def test_registered_sweeps_run_with_the_sweeps_instant(registry):
    seen = []
    registry.register("one", lambda now: seen.append(now) or 3)

    def broken(now):
        raise RuntimeError("boom")

    registry.register("two", broken)
    result = run_sweep()
    assert result["one"] == 3
    assert result["two"] == "failed"  # logged; the alerts' own work still ran
    assert "digests" in result
    assert len(seen) == 1


def test_repeatable_tasks_are_known_by_module_path(registry):
    from alerts.tasks import send_digest

    registry.register("x", lambda now: None, repeatable=[send_digest])
    assert registry.repeatable_tasks() == {send_digest.module_path: send_digest}
