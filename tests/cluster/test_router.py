"""The replica router: who reads a replica, and when the primary instead."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom import db_router
from releases.models import PressRelease
from tests.cluster.conftest import uses_replica
from tests.factories import PressReleaseFactory

# The mirror alias exists for this whole module (see conftest.replica_alias).
pytestmark = [uses_replica, pytest.mark.usefixtures("replica_alias")]


def _read_from(client, path: str = "/releases/", **extra) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return response.wsgi_request.newsroom_read_from


def test_anonymous_public_read_uses_the_replica(client, replica):
    PressReleaseFactory(title="Read from the copy")
    with CaptureQueriesContext(connections[replica]) as on_replica:
        response = client.get("/releases/")
    assert response.wsgi_request.newsroom_read_from == replica
    assert b"Read from the copy" in response.content
    assert any("releases_pressrelease" in q["sql"] for q in on_replica.captured_queries)


def test_content_state_is_read_from_the_primary(client, replica):
    """The page cache's key (content version) comes from the primary, so a
    withdrawal invalidates cached pages at once, whatever a replica says."""
    PressReleaseFactory()
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        assert _read_from(client) == replica
    state_sql = [q["sql"] for q in on_primary.captured_queries if "pg_" not in q["sql"]]
    assert any("newsroom_contentversion" in sql and "version" in sql for sql in state_sql)
    assert not any(
        "newsroom_contentversion" in q["sql"] and "changed_at" in q["sql"]
        for q in on_replica.captured_queries
    )


def test_signed_in_users_read_the_primary(client, replica, admin_user):
    client.force_login(admin_user)
    assert _read_from(client) == "default"


def test_admin_paths_read_the_primary(client, replica):
    response = client.get("/admin/login/")
    assert response.wsgi_request.newsroom_read_from == "default"


def test_a_client_that_wrote_reads_the_primary_for_a_while(client, replica, settings):
    client.post("/alerts/", {})  # any unsafe request, whatever its answer
    assert db_router.STICKY_COOKIE in client.cookies
    assert _read_from(client) == "default"
    # Once the cookie is gone (expired), the replica again.
    del client.cookies[db_router.STICKY_COOKIE]
    assert _read_from(client) == replica


def test_a_forged_sticky_cookie_is_ignored(client, replica):
    client.cookies[db_router.STICKY_COOKIE] = "forged"
    assert _read_from(client) == replica


def test_a_lagging_replica_is_not_read(client, replica, settings):
    settings.NEWSROOM_REPLICA_MAX_LAG = 5
    db_router.set_lag_probe(lambda alias: 30.0)
    assert _read_from(client) == "default"
    db_router.set_lag_probe(lambda alias: 0.5)
    assert _read_from(client) == replica


def test_lag_is_measured_at_most_once_a_second(client, replica):
    calls: list[str] = []

    def probe(alias: str) -> float:
        calls.append(alias)
        return 0.0

    db_router.set_lag_probe(probe)
    for _ in range(5):
        assert _read_from(client) == replica
    assert calls == [replica]


def test_an_unreachable_replica_falls_back_to_the_primary(client, replica):
    def probe(alias: str) -> float:
        raise OperationalError("connection refused")

    db_router.set_lag_probe(probe)
    assert _read_from(client) == "default"
    assert db_router.replica_lag(replica) == float("inf")


def test_a_replica_behind_the_content_version_is_not_read(client, replica, monkeypatch):
    """The replica has not replayed the latest public change (e.g. a
    withdrawal): the request reads the primary, so the withdrawn release is
    gone at once and no stale page is cached under the new version."""
    release = PressReleaseFactory(title="Soon withdrawn")
    assert _read_from(client) == replica
    monkeypatch.setattr(db_router, "_replica_version", lambda alias: 0)
    db_router.set_lag_probe(None)  # forget what the replica was seen to have
    release.status = PressRelease.Status.WITHDRAWN
    release.withdrawal_reason = "Issued in error."
    release.save()
    response = client.get("/releases/")
    assert response.wsgi_request.newsroom_read_from == "default"
    assert b"Soon withdrawn" not in response.content


def test_writes_and_migrations_stay_on_the_primary(replica):
    router = db_router.ReplicaRouter()
    assert router.db_for_write(PressRelease) == "default"
    assert router.allow_migrate("default", "releases") is True
    assert router.allow_migrate(replica, "releases") is False
    # Outside a request nothing is routed to a replica.
    assert router.db_for_read(PressRelease) == "default"


def test_an_embargoed_release_never_shows_early_from_a_replica(client, replica):
    """Visibility is decided by the clock, not by replication: a replica
    read before the instant hides it, one after shows it, with no write."""
    embargo = timezone.now() + datetime.timedelta(minutes=10)
    PressReleaseFactory(title="Embargoed on the replica", publish_at=embargo)
    response = client.get("/releases/")
    assert response.wsgi_request.newsroom_read_from == replica
    assert b"Embargoed on the replica" not in response.content
    with time_machine.travel(embargo + datetime.timedelta(seconds=1), tick=False):
        db_router.set_lag_probe(lambda alias: 0.0)  # the cached lag is from another clock
        response = client.get("/releases/")
        assert response.wsgi_request.newsroom_read_from == replica
        assert b"Embargoed on the replica" in response.content


def test_a_replica_failing_mid_request_is_retried_on_the_primary(client, replica, monkeypatch):
    """The replica passes its checks, then its connection fails inside the
    view: the reader still gets the page (from the primary), and the next
    request does not try the broken replica."""
    PressReleaseFactory(title="Served despite the replica")
    monkeypatch.setattr(db_router, "_replica_version", lambda alias: 10**9)
    broken = connections[replica]

    def refuse() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(broken, "ensure_connection", refuse)
    response = client.get("/releases/")
    assert response.status_code == 200
    assert b"Served despite the replica" in response.content
    assert response.wsgi_request.newsroom_read_from == "default"
    assert db_router.replica_lag(replica) == float("inf")
    assert _read_from(client) == "default"
