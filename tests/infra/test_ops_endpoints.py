"""Health probes, the metrics endpoint's access rule and format, request ids in logs,
and the real client address behind proxies (django-ipware read by django-axes)."""

from __future__ import annotations

import datetime
import json
import logging
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from newsroom.request_id import RequestIdFilter

# --- Health -------------------------------------------------------------------


def _task_row(started_ago: datetime.timedelta) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="alerts.tasks.scheduled_sweep",
        backend_name="default",
        queue_name="default",
        run_after=now,
        started_at=now - started_ago,
        finished_at=now - started_ago,
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_liveness_touches_nothing_and_is_never_stored(client: Client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_readiness_checks_database_cache_storage_and_a_recent_worker(client: Client, settings):
    settings.NEWSROOM_HEALTH_WORKER_MAX_AGE = 180
    _task_row(datetime.timedelta(seconds=30))
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body.values()) == {"OK"}
    names = " ".join(body)
    for part in ("Database", "Cache", "Storage", "WorkerHeartbeat"):
        assert part in names
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_readiness_fails_when_no_worker_started_a_task_lately(client: Client, settings):
    settings.NEWSROOM_HEALTH_WORKER_MAX_AGE = 180
    _task_row(datetime.timedelta(minutes=10))
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    failing = {k: v for k, v in response.json().items() if v != "OK"}
    assert list(failing) == [next(k for k in failing if "WorkerHeartbeat" in k)]
    assert "started 6" in next(iter(failing.values()))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_readiness_can_leave_the_worker_out(client: Client, settings):
    settings.NEWSROOM_HEALTH_WORKER_MAX_AGE = 0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert not any("WorkerHeartbeat" in name for name in response.json())


@pytest.mark.django_db(transaction=True)
def test_readiness_fails_when_storage_cannot_be_written(client: Client, settings, tmp_path):
    settings.NEWSROOM_HEALTH_WORKER_MAX_AGE = 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert [k for k, v in response.json().items() if v != "OK"] == [
        next(k for k in response.json() if "Storage" in k)
    ]


# --- Metrics --------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_is_a_404_without_a_token_or_an_allowed_address(client: Client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""
    settings.NEWSROOM_METRICS_ALLOW = []
    assert client.get("/metrics").status_code == 404
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-token-for-the-scraper"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    bare = client.get("/metrics", HTTP_AUTHORIZATION="s3cret-token-for-the-scraper")
    assert bare.status_code == 404
    # A forwarded address is not the socket's: it opens nothing.
    settings.NEWSROOM_METRICS_ALLOW = ["10.0.0.9"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 404


@pytest.mark.django_db
def test_metrics_with_the_token_is_prometheus_text(client: Client, settings):
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-token-for-the-scraper"
    client.get("/robots.txt")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-the-scraper")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    families = {f.name: f for f in text_string_to_metric_families(response.content.decode())}
    assert "django_http_requests_before_middlewares" in families
    views = {
        s.labels.get("view")
        for s in families["django_http_requests_total_by_view_transport_method"].samples
    }
    assert "robots_txt" in views


@pytest.mark.django_db
def test_metrics_for_an_allowed_address(client: Client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""
    settings.NEWSROOM_METRICS_ALLOW = ["127.0.0.1"]
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.4").status_code == 404


# --- Request ids and JSON logs ------------------------------------------------------


@pytest.mark.django_db
def test_a_good_request_id_is_kept_and_a_bad_one_replaced(client: Client):
    kept = client.get("/health/live/", HTTP_X_REQUEST_ID="proxy-7f3a9c2e-0001")
    assert kept["X-Request-ID"] == "proxy-7f3a9c2e-0001"
    for bad in ("short", "x" * 200, "two words here", "line\nbreak-forged-log"):
        made = client.get("/health/live/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert made != bad
        assert uuid.UUID(made)
    first = client.get("/health/live/")["X-Request-ID"]
    assert first != client.get("/health/live/")["X-Request-ID"]


@pytest.mark.django_db
def test_every_log_record_of_a_request_carries_its_id(client: Client, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page-at-all/", HTTP_X_REQUEST_ID="trace-0123456789")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    assert {r.request_id for r in records} == {"trace-0123456789"}
    # Outside a request, the id is a dash, never another request's.
    logging.getLogger("django.request").warning("after the request")
    assert caplog.records[-1].request_id == "-"


def test_json_format_writes_one_object_a_line_with_the_request_id(tmp_path):
    """The LOGGING the settings build with NEWSROOM_LOG_FORMAT=json, in a fresh interpreter."""
    import subprocess
    import sys

    code = (
        "import django, logging;"
        "django.setup();"
        "from newsroom import request_id as r;"
        "t = r._current.set('req-abcdef012345');"
        "logging.getLogger('newsroom.test').warning('hello %s', 'there')"
    )
    env = {
        "NEWSROOM_TESTING": "1",
        "NEWSROOM_LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    line = [ln for ln in done.stderr.splitlines() if "newsroom.test" in ln][-1]
    record = json.loads(line)
    assert record["message"] == "hello there"
    assert record["level"] == "WARNING"
    assert record["logger"] == "newsroom.test"
    assert record["request_id"] == "req-abcdef012345"
    assert "time" in record


# --- The client address behind proxies ---------------------------------------------------


def _address(proxy_count: str, remote: str, forwarded: str | None) -> str:
    """The address django-axes counts, with AXES_PROXY_COUNT as an operator sets it
    (the settings read it at start-up: a fresh interpreter)."""
    import subprocess
    import sys

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    code = (
        "import django; django.setup();"
        "from axes.helpers import get_client_ip_address;"
        "from django.test import RequestFactory;"
        f"print(get_client_ip_address(RequestFactory().get('/', **{meta!r})))"
    )
    env = {
        "NEWSROOM_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "AXES_PROXY_COUNT": proxy_count,
        "LOG_LEVEL": "ERROR",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_without_proxies_the_socket_address_counts_and_the_header_is_ignored():
    assert _address("", "203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_behind_one_proxy_the_client_it_saw_counts_not_a_forged_entry():
    # The proxy (10.0.0.2, the socket's address) appended the address it saw;
    # the client forged the entry before it.
    assert _address("1", "10.0.0.2", "198.51.100.1, 203.0.113.5") == "203.0.113.5"
    assert _address("1", "10.0.0.2", "203.0.113.5") == "203.0.113.5"


def test_behind_two_proxies():
    # A CDN saw the client and appended it; the load balancer appended the CDN.
    assert _address("2", "10.0.0.3", "6.6.6.6, 203.0.113.5, 198.51.100.7") == "203.0.113.5"
