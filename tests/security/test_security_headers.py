"""Security headers under production-like settings.

The suite runs with DEBUG off but the HTTPS redirect off (the test client
speaks HTTP); ``production`` switches on what a deployment has, and requests
are made with ``secure=True`` as if they came through TLS.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = ["news.example.org"]
    return settings


def get(client, path: str, **extra):
    return client.get(path, secure=True, HTTP_HOST="news.example.org", **extra)


def csp_directives(response) -> dict[str, list[str]]:
    """Parse the Content-Security-Policy header into {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = tokens[1:]
    return directives


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/", HTTP_HOST="news.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://news.example.org/"


def test_hsts(client, production):
    response = get(client, "/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_preload_when_enabled(client, production):
    production.SECURE_HSTS_PRELOAD = True
    response = get(client, "/")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_static_headers(client, production, header, value):
    for path in ("/", "/no-such-page/"):
        assert get(client, path)[header] == value


def test_permissions_policy(client, production):
    header = get(client, "/")["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_public_csp_is_strict(client, production):
    for path in ("/", "/no-such-page/"):
        response = get(client, path)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        directives = csp_directives(response)
        assert directives["default-src"] == ["'none'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["connect-src"] == ["'self'"]
        assert directives["font-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert sorted(directives["img-src"]) == ["'self'", "data:"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/", "same-site"),
        ("/releases/", "same-site"),
        ("/feeds/releases.rss", "cross-origin"),
        ("/api/v1/releases/", "cross-origin"),
        ("/sitemap.xml", "cross-origin"),
        ("/robots.txt", "cross-origin"),
        ("/no-such-page/", "same-origin"),  # errors are no-store
        ("/admin/login/", "same-origin"),
    ],
)
def test_cross_origin_resource_policy(client, production, path, policy):
    """Pages stay on the site; what others must load (feeds, API, files) may
    be loaded from anywhere; staff and private answers only by this origin."""
    assert get(client, path)["Cross-Origin-Resource-Policy"] == policy


def test_admin_csp_is_relaxed_only_for_styles(client, production):
    response = get(client, reverse("admin:login"))
    assert response.status_code == 200
    directives = csp_directives(response)
    assert "'unsafe-inline'" in directives["style-src"]
    # Scripts stay locked down even in the admin.
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_admin_relaxation_does_not_leak_to_lookalike_paths(client, production):
    response = get(client, "/administration/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_csrf_cookie_is_secure_and_httponly(client, production):
    response = get(client, reverse("admin:login"))
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_session_cookie_is_secure_and_httponly(client, production):
    UserFactory(username="editor", is_staff=True)
    get(client, reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "correct horse battery staple"},
        secure=True,
        HTTP_HOST="news.example.org",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_error_pages_carry_the_headers_too(client, production):
    response = get(client, "/no-such-page/")
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


def test_admin_import_map_is_allowed_by_hash_not_by_unsafe_inline(rf, production):
    """The editor's inline import map gets its own hash; other inline scripts
    in the same admin page stay blocked."""
    import base64
    import hashlib

    from django.http import HttpResponse

    from newsroom.middleware import NewsroomCSPMiddleware

    importmap = '{"imports": {"django-prose-editor/editor": "/static/editor.js"}}'
    html = f'<script type="importmap">{importmap}</script><script>alert(1)</script>'
    middleware = NewsroomCSPMiddleware(lambda request: HttpResponse(html))

    directives = csp_directives(middleware(rf.get(reverse("admin:index"))))
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert len(directives["script-src"]) == 2  # 'self' and the one hash

    # Public pages never get hashes, even with an import map in them.
    public = csp_directives(middleware(rf.get("/")))
    assert public["script-src"] == ["'self'"]
