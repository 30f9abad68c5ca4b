"""A dropped database connection is a 503 "try again", never a 500."""

from __future__ import annotations

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from tests.factories import PressReleaseFactory


@pytest.fixture
def client(settings) -> Client:
    settings.ROOT_URLCONF = "tests.cluster.urls"
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/test-dropped/", "/test-closed/"])
def test_a_dropped_connection_answers_503_try_again(client, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert b"Please try again" in response.content


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(client):
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert b"Please try again in a moment" not in response.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_by_the_server_is_a_503_then_recovers(settings):
    """The real thing on PostgreSQL: the server ends the app's session (as a
    restart does); that request gets the 503, the next one a fresh
    connection (CONN_HEALTH_CHECKS) and the page."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    settings.ROOT_URLCONF = "tests.cluster.urls"
    PressReleaseFactory(title="Still here")
    client = Client(raise_request_exception=False)
    assert client.get("/releases/").status_code == 200
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    # Keep the same Django connection object across requests, as a worker does.
    settings.CONN_MAX_AGE = 60
    connection.settings_dict["CONN_MAX_AGE"] = 60
    response = client.get("/releases/")
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert b"Please try again" in response.content
    # A server (gunicorn) runs close_old_connections at each request's start
    # and end; Django's test client switches that off, so do it here.
    close_old_connections()
    again = client.get("/releases/")
    assert again.status_code == 200
    assert b"Still here" in again.content
