"""Branded error pages: right status, our design, nothing internal leaked.

This module doubles as a test URLconf (``pytestmark = pytest.mark.urls``):
the newsroom's own URLs plus three views that fail on purpose.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_resolver, path

from newsroom import errors
from newsroom.urls import urlpatterns as newsroom_urlpatterns

SECRET = "internal-detail-7f3a9c"  # must never reach a visitor


def _boom(request):
    raise RuntimeError(f"database password is {SECRET}")


def _denied(request):
    raise PermissionDenied(f"user lacks {SECRET}")


def _missing(request):
    raise Http404(f"no row with {SECRET}")


urlpatterns = [
    path("test-errors/500/", _boom),
    path("test-errors/403/", _denied),
    path("test-errors/404/", _missing),
    *newsroom_urlpatterns,
]
handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

LEAKS = (SECRET, "Traceback", "SECRET_KEY", "DATABASES", "settings.py", "RuntimeError")


def assert_no_leak(response) -> str:
    html = response.content.decode()
    for needle in LEAKS:
        assert needle not in html, f"{needle!r} leaked into the error page"
    return html


def assert_branded(html: str, settings) -> None:
    assert settings.NEWSROOM_SITE_NAME in html
    assert 'class="site-header"' in html
    assert '<html lang="en' in html
    assert "css/newsroom.css" in html


@pytest.fixture
def public_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_handlers_are_wired_in_the_real_urlconf():
    resolver = get_resolver("newsroom.urls")
    assert resolver.resolve_error_handler(400) is errors.bad_request
    assert resolver.resolve_error_handler(403) is errors.permission_denied
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error


def test_unknown_url_gives_branded_404(public_client, settings):
    response = public_client.get("/no-such-page/")
    assert response.status_code == 404
    html = assert_no_leak(response)
    assert_branded(html, settings)
    assert "We could not find that page" in html
    assert '<meta name="robots" content="noindex">' in html


def test_http404_message_is_not_shown(public_client, settings):
    response = public_client.get("/test-errors/404/")
    assert response.status_code == 404
    assert_no_leak(response)


def test_permission_denied_gives_branded_403(public_client, settings):
    response = public_client.get("/test-errors/403/")
    assert response.status_code == 403
    html = assert_no_leak(response)
    assert_branded(html, settings)
    assert "You do not have access to this page" in html


def test_exception_gives_branded_500_without_details(public_client, settings):
    response = public_client.get("/test-errors/500/")
    assert response.status_code == 500
    html = assert_no_leak(response)
    assert_branded(html, settings)
    assert "Something went wrong on our side" in html


def test_500_page_needs_no_database_and_no_context_processors(settings, django_assert_num_queries):
    # A context processor that would fail if the 500 page used a RequestContext.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["tests.test_security_errors._boom"]},
        }
    ]
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_500_falls_back_to_static_html_when_the_template_fails(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_csrf_failure_explains_itself(client, settings):
    settings.DEBUG = False
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = assert_no_leak(response)
    assert "This form has expired" in html
    assert "CSRF" not in html  # no jargon, no Django technical page


def test_bad_host_gives_branded_400(public_client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = public_client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    html = assert_no_leak(response)
    assert "We could not understand that request" in html
    assert "evil.example.com" not in html


def test_nul_byte_in_path_gives_404(public_client):
    response = public_client.get("/feeds/a%00b/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_nul_bytes_are_dropped_from_query_parameters(rf):
    from django.http import HttpResponse

    from newsroom.middleware import NullBytesMiddleware

    seen = {}

    def view(request):
        seen.update({key: request.GET.getlist(key) for key in request.GET})
        return HttpResponse("ok")

    response = NullBytesMiddleware(view)(rf.get("/contacts/?organisation=a%00b&q=%00&q=x&p%00=1"))
    assert response.status_code == 200
    assert seen == {"organisation": ["ab"], "q": ["", "x"], "p": ["1"]}


@pytest.mark.parametrize("message", [None, "", "Removed at the request of <b>the author</b>."])
def test_410_template_with_optional_message(rf, message, settings):
    request = rf.get("/releases/gone/")
    context = {} if message is None else {"message": message}
    html = render_to_string("410.html", context, request=request)
    assert_branded(html, settings)
    assert "This page has been removed" in html
    if message:
        # Shown, and escaped: the message is text, never markup.
        assert "Removed at the request of &lt;b&gt;the author&lt;/b&gt;." in html
    else:
        assert "removed by its publisher" in html
