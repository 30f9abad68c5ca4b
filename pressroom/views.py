"""The press room's pages: the list, the embargoed release page, its files.

Thin: who may read what is :mod:`pressroom.rules`, whether a person is
trusted is :func:`journalists.access.trusted_journalist`.  Every embargoed
answer is for one person only: ``Cache-Control: private, no-store``,
``X-Robots-Tag: noindex``, no ETag or Last-Modified, never in the shared
page cache (the public cache middleware leaves a response that has its own
``Cache-Control`` alone, and never caches a request with a session).
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.http import public_cache_exempt
from journalists.access import has_accepted_current_agreement, journalist_of, trusted_journalist
from journalists.models import Journalist
from pressroom import access_log, rules
from pressroom.embargo import banner_text, embargo_until
from pressroom.file_urls import JournalistFileUrls, read_token
from releases.models import PressRelease
from releases.views import files, pages

#: Where a journalist accepts the embargo agreement (the journalists app's page).
AGREEMENT_URL = "/journalists/agreement/"


def private(response: HttpResponse) -> HttpResponse:
    """For this reader only: never stored by any cache, never indexed, no validators."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    for header in ("ETag", "Last-Modified"):
        if response.has_header(header):
            del response[header]
    return response


def _why_not(journalist: Journalist | None) -> str:
    """Why this signed-in user may not enter the press room, in plain words."""
    if journalist is None:
        return "The press room is for journalists approved by the newsroom."
    status = Journalist.Status
    reasons = {
        status.PENDING: "Your account is waiting for approval by the newsroom.",
        status.MORE_INFO: "The newsroom has asked you for more information before approval.",
        status.REJECTED: "Your application was not approved.",
        status.SUSPENDED: "Your access to embargoed material is suspended.",
        status.REVOKED: "Your access to embargoed material has been revoked.",
        status.LAPSED: "Your account lapsed: it was not re-confirmed this year.",
    }
    if journalist.status in reasons:
        return reasons[journalist.status]
    if not journalist.user.is_active:
        return "Your account is not active."
    return "Your account must be re-confirmed before you can read embargoed material."


@public_cache_exempt
@require_safe
def press_room(request: HttpRequest) -> HttpResponse:
    """An approved journalist's list of the embargoed releases open to them."""
    if not request.user.is_authenticated:
        return private(redirect_to_login(request.get_full_path()))
    journalist = trusted_journalist(request.user)
    if journalist is None:
        candidate = journalist_of(request.user)
        if (
            candidate is not None
            and Journalist.objects.approved().filter(pk=candidate.pk).exists()
            and not has_accepted_current_agreement(candidate)
        ):
            query = urlencode({"next": request.get_full_path()})
            return private(HttpResponseRedirect(f"{AGREEMENT_URL}?{query}"))
        response = render(
            request,
            "pressroom/not_allowed.html",
            {"reason": _why_not(candidate), "journalist": candidate},
            status=403,
        )
        return private(response)
    releases = list(rules.embargoed_for(journalist).for_listing())
    items = [(release, embargo_until(release)) for release in releases]
    return private(
        render(request, "pressroom/press_room.html", {"journalist": journalist, "items": items})
    )


@functools.wraps(pages.release_detail)
def release_page(request: HttpRequest, slug: str) -> HttpResponse:
    """``/releases/<slug>/``: the public page, or — before the instant, to a
    journalist it is open to — the embargoed page at the same address.

    The public view answers first, unchanged; only its 404 is looked at
    again.  Anyone else gets that same 404, so nobody learns an embargoed
    release exists.  After the instant the public view answers, so the URL
    a journalist noted becomes the public page.
    """
    try:
        return pages.release_detail(request, slug)
    except Http404:
        if request.method not in ("GET", "HEAD"):
            raise
        journalist = trusted_journalist(request.user)
        if journalist is None:
            raise  # no query more than the public 404 for anyone else
        release = PressRelease.objects.filter(slug=slug).first()
        if release is None or not rules.may_read(journalist, release):
            raise
    release = PressRelease.objects.for_detail().get(pk=release.pk)
    wrong_edition = pages.canonical_redirect(request, release)
    if wrong_edition is not None:
        return private(wrong_edition)
    # Only the story's PUBLIC translations: an embargoed one is linked from
    # its own page, not from here (it may not be open to this journalist).
    request.language_alternates = pages.language_alternates(release)
    access_log.record(journalist, release, access_log.Item.PAGE)
    context = {
        **pages.release_context(release),
        "embargo_banner": banner_text(release),
        "file_urls": JournalistFileUrls.for_journalist(journalist.pk, release.pk),
        "journalist": journalist,
    }
    return private(render(request, "pressroom/release_embargoed.html", context))


def _file_release(request: HttpRequest, token: str) -> tuple[Journalist, PressRelease]:
    """The journalist and release a file token opens now, or 404.

    Expired, forged or someone else's token, a journalist no longer trusted
    (a session from before a suspension), a release no longer open to them:
    all the same 404 as a file that never existed.
    """
    ids = read_token(token)
    journalist = trusted_journalist(request.user)
    if ids is None or journalist is None or journalist.pk != ids[0]:
        raise Http404("No file at this address.")
    release = get_object_or_404(PressRelease, pk=ids[1])
    if not rules.may_read(journalist, release, timezone.now()):
        raise Http404("No file at this address.")
    return journalist, release


@public_cache_exempt
@require_safe
def image_file(
    request: HttpRequest, token: str, pk: int, rendition: str, fmt: str = "jpeg"
) -> HttpResponse:
    journalist, release = _file_release(request, token)
    response = files.serve_image(request, release, pk, rendition, fmt, private=True)
    if rendition == "original":  # a download; renditions are the page's own pictures
        access_log.record(journalist, release, access_log.Item.PICTURE, pk)
    return private(response)


@public_cache_exempt
@require_safe
def attachment_file(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    journalist, release = _file_release(request, token)
    response = files.serve_attachment(request, release, pk, private=True)
    access_log.record(journalist, release, access_log.Item.DOCUMENT, pk)
    return private(response)


@public_cache_exempt
@require_safe
def media_kit(request: HttpRequest, token: str) -> HttpResponse:
    journalist, release = _file_release(request, token)
    response = files.serve_media_kit(
        request, release, private=True, embargo_line=banner_text(release)
    )
    access_log.record(journalist, release, access_log.Item.MEDIA_KIT)
    return private(response)
