"""Production settings: ``check --deploy`` is clean, and DEBUG off means secure.

Settings are read once at import, so each case starts a fresh Python with a
production-like environment (no pytest marker in it, so the settings module
behaves exactly as under gunicorn).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": s.SECURE_HSTS_PRELOAD,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_HTTPONLY": s.CSRF_COOKIE_HTTPONLY,
    "SECURE_REFERRER_POLICY": s.SECURE_REFERRER_POLICY,
    "SECURE_CONTENT_TYPE_NOSNIFF": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
    "AUTHENTICATION_BACKENDS": s.AUTHENTICATION_BACKENDS,
    "MIDDLEWARE": s.MIDDLEWARE,
}))
"""


def production_env(**overrides: str) -> dict[str, str]:
    """The current environment minus test markers, plus a production config."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PYTEST_VERSION",
            "NEWSROOM_TESTING",
            "PYTEST_XDIST_WORKER",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not k.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="news.example.org",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(**overrides: str) -> dict:
    result = run_python(["-c", PRINT_SETTINGS], production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_has_no_warnings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def test_check_deploy_catches_a_weakened_configuration():
    """The check above is only meaningful if the same command fails when a
    secure default is switched off."""
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SESSION_COOKIE_SECURE="0"),
    )
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


def test_debug_off_is_secure_by_default():
    s = production_settings()
    assert s["DEBUG"] is False
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is False  # opt-in: preloading is hard to undo
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["CSRF_COOKIE_HTTPONLY"] is True
    assert s["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["STATICFILES_BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["AUTHENTICATION_BACKENDS"][0] == "newsroom.auth_backends.ThrottledLoginBackend"
    middleware = s["MIDDLEWARE"]
    # Security headers first, then the resource policy (so static files get
    # it too), then static files before any session or auth work.
    assert middleware[:3] == [
        "django.middleware.security.SecurityMiddleware",
        "newsroom.middleware.CrossOriginResourcePolicyMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


def test_environment_switches():
    s = production_settings(
        SECURE_HSTS_PRELOAD="1",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https",
    )
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_preload_on_still_passes_check_deploy():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SECURE_HSTS_PRELOAD="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_fails_clearly():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_python(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_make_serve_refuses_to_start_without(missing):
    env = production_env()
    env.pop(missing)
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", "install", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_gunicorn_config_reads_the_environment():
    code = (
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps({k: c[k] for k in ('bind', 'workers', 'accesslog', 'timeout')}))"
    )
    env = production_env(WEB_CONCURRENCY="3", GUNICORN_BIND="127.0.0.1:9999")
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config == {"bind": "127.0.0.1:9999", "workers": 3, "accesslog": "-", "timeout": 30}

    result = run_python(["-c", code], production_env())
    config = json.loads(result.stdout)
    assert config["workers"] == max(2, 2 * os.cpu_count())


def test_gunicorn_accepts_the_config_and_loads_the_app():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--check-config",
         "newsroom.wsgi:application"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_does_not_announce_itself(tmp_path):
    """A real gunicorn with the project's config answers without ``Server:``
    (issue 19, item 6), and with the Cross-Origin-Resource-Policy of a page."""
    import http.client
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        # Its own SQLite file: the header is the same on any database.
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    migrated = run_python(["manage.py", "migrate", "--noinput", "-v0"], env)
    assert migrated.returncode == 0, migrated.stderr
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
         "newsroom.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/robots.txt")
                response = connection.getresponse()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert response.status == 200, server.stderr.read1().decode() if server.stderr else ""
        assert response.getheader("Server") is None, response.getheaders()
        assert response.getheader("Cross-Origin-Resource-Policy") == "cross-origin"
    finally:
        server.terminate()
        server.wait(timeout=30)
