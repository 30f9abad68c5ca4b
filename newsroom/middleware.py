"""Security headers the stock middleware does not set.

* ``Permissions-Policy`` switches off browser features the newsroom never
  uses (camera, microphone, geolocation...), so an injected script or a
  compromised third party cannot ask for them.
* NUL characters are dropped from query parameters (a NUL in the path is a
  404): PostgreSQL rejects them in text, so a view that filters on a query
  parameter would otherwise answer a 500.
* Every 404 and 410 says ``Cache-Control: no-store``: an embargoed release
  is a 404 until its instant, and a cache that kept that 404 would hide
  the release after it went public (a removed release's 410, likewise,
  must not outlive a correction).
* The Content-Security-Policy comes from django-csp; the subclass below only
  relaxes it under the admin's URL prefix, where Django's admin and the
  ProseMirror editor set inline styles.  Public pages keep the strict policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.urls import NoReverseMatch, reverse


class PermissionsPolicyMiddleware:
    """Add ``Permissions-Policy`` built from ``settings.PERMISSIONS_POLICY``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy: dict[str, str] = settings.PERMISSIONS_POLICY
        self.header = ", ".join(f"{feature}={allow}" for feature, allow in policy.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class CrossOriginResourcePolicyMiddleware:
    """``Cross-Origin-Resource-Policy`` on every response, by what it is.

    * Staff and private answers (the admin, preview links, anything
      ``Cache-Control: private`` or ``no-store``): ``same-origin`` — no other
      site may load them, even as an image or a script.
    * Public HTML pages: ``same-site`` — nobody needs to embed them.
    * Everything else public (pictures, documents, feeds, the API, vCards,
      sitemaps, static files): ``cross-origin`` — news sites hotlink press
      pictures and aggregators fetch feeds and JSON from elsewhere; refusing
      them would break the newsroom's purpose and protect nothing public.

    Placed outside WhiteNoise so static files get it too. A view that sets
    the header itself keeps its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cross-Origin-Resource-Policy" not in response:
            response["Cross-Origin-Resource-Policy"] = self.policy(request, response)
        return response

    @staticmethod
    def policy(request: HttpRequest, response: HttpResponseBase) -> str:
        prefix = _admin_prefix()
        cache_control = response.get("Cache-Control", "")
        if (
            (prefix and request.path_info.startswith(prefix))
            or request.path_info.startswith("/preview/")
            or "private" in cache_control
            or "no-store" in cache_control
        ):
            return "same-origin"
        if response.get("Content-Type", "").startswith("text/html"):
            return "same-site"
        return "cross-origin"


class NoStoreErrorsMiddleware:
    """``Cache-Control: no-store`` on every 404 and 410, whichever view or handler made it.

    Not-found and gone answers are cacheable by default (RFC 9110), and the
    newsroom's 404s are temporary by design: an embargoed page, file,
    vCard or media kit answers 404 until the instant, then 200.  Stated
    once here (outermost of our middlewares), so a new view cannot forget
    it.  A response that already says ``no-store`` (previews: ``private,
    no-store``; the API) keeps its header; 200s are left to
    ``newsroom.caching``.
    """

    STATUSES = frozenset({404, 410})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in self.STATUSES:
            directives = {
                part.strip().split("=", 1)[0].lower()
                for part in response.get("Cache-Control", "").split(",")
            }
            if "no-store" not in directives:
                response["Cache-Control"] = "no-store"
        return response


class NullBytesMiddleware:
    """Drop NUL characters from query parameters; answer 404 to one in the path.

    No legitimate link contains a NUL, and PostgreSQL refuses them in text, so
    a view filtering on ``?organisation=%00`` would otherwise answer a 500.
    Query values are cleaned (the page still works, as if the NUL had not been
    typed); no page has a NUL in its address, so one in the path gets the
    branded 404 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404("NUL character in the path")
        if "%00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


@cache
def _admin_prefix() -> str | None:
    """The admin's URL prefix ("/admin/"), looked up once from the URLconf."""
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


_IMPORTMAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def importmap_hashes(response: HttpResponseBase) -> list[str]:
    """CSP hash sources for the ``<script type="importmap">`` blocks of an HTML
    response.

    The ProseMirror editor's widget media include an inline import map
    (django-js-asset), which Django 5.2's admin renders without a nonce.
    Allowing exactly that map by its hash keeps ``script-src`` free of
    ``'unsafe-inline'``: any other inline script stays blocked.  The hash is
    computed per response because the map holds hashed static file names.
    """
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return []
    content = response.content.decode(response.charset or "utf-8", errors="replace")
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii")
        )
        for block in _IMPORTMAP.findall(content)
    ]


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``NEWSROOM_ADMIN_CSP_UPDATE`` added to the
    policy of admin pages only (a view's own ``@csp_update`` still wins), plus
    the hashes of the admin page's import maps (see :func:`importmap_hashes`)."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefix = _admin_prefix()
        admin_update = settings.NEWSROOM_ADMIN_CSP_UPDATE
        if (
            not report_only
            and admin_update
            and prefix
            and request.path_info.startswith(prefix)
            and parts.update is None
        ):
            update = {key: list(values) for key, values in admin_update.items()}
            hashes = importmap_hashes(response)
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
            parts.update = update
        return parts
