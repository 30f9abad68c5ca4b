"""Public bulletin pages: a list, a page per bulletin and a plain-text version.

Only releases in ``PressRelease.objects.published()`` are ever shown: a
bulletin whose releases are all drafts or embargoed does not exist publicly.
Each language edition (``/ur/bulletins/…``) shows the bulletin's stories in
its language (``in_edition()``): a bulletin none of whose stories is public
in that language does not exist in that edition.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from bulletins.models import Bulletin, BulletinItem
from core.richtext import html_to_text
from core.urls import absolute_url
from releases.models import PressRelease
from releases.models.release import (
    edition_language,
    issuers_prefetch,
    public_contacts_prefetch,
)


def _edition_releases(bulletin: Bulletin) -> list[PressRelease]:
    """The bulletin's releases as the edition being read tells them, in order.

    A bulletin bundles stories; each language edition shows each story in
    its own language, where that version is public (its own embargo: an
    English release being out says nothing of its Urdu version).  One query
    for the releases (their place in the bulletin comes with them), one
    per prefetch.
    """
    items = BulletinItem.objects.filter(bulletin=bulletin)
    place = (
        items.filter(release__translation_key=OuterRef("translation_key"))
        .order_by("order", "id")
        .values("order")[:1]
    )
    return list(
        PressRelease.objects.published()
        .in_edition()
        .filter(translation_key__in=items.values("release__translation_key"))
        .annotate(bulletin_order=Subquery(place))
        .prefetch_related(issuers_prefetch(), public_contacts_prefetch())
        .order_by("bulletin_order", "id")
    )


def _bulletin_or_404(slug: str) -> tuple[Bulletin, list[PressRelease]]:
    bulletin = get_object_or_404(Bulletin.objects.select_related("organisation"), slug=slug)
    releases = _edition_releases(bulletin)
    if not releases:
        raise Http404("No public release in this bulletin.")
    return bulletin, releases


def bulletin_list(request: HttpRequest) -> HttpResponse:
    bulletins = Bulletin.objects.with_public_releases(edition_language()).select_related(
        "organisation"
    )
    page = Paginator(bulletins, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bulletins/bulletin_list.html", {"page_obj": page})


def bulletin_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bulletin, releases = _bulletin_or_404(slug)
    return render(
        request, "bulletins/bulletin_detail.html", {"bulletin": bulletin, "releases": releases}
    )


def bulletin_text(request: HttpRequest, slug: str) -> HttpResponse:
    bulletin, releases = _bulletin_or_404(slug)
    text = render_bulletin_text(bulletin, releases)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{bulletin.slug}.txt"'
    return response


def render_bulletin_text(bulletin: Bulletin, releases: list[PressRelease]) -> str:
    """The bulletin as plain text, ready to paste into an e-mail."""
    out = [bulletin.title]
    if bulletin.organisation:
        out.append(bulletin.organisation.name)
    out.append(absolute_url(bulletin.get_absolute_url()))
    if bulletin.intro:
        out += ["", bulletin.intro]
    for release in releases:
        out += ["", "=" * 72, "", release.title, "-" * min(len(release.title), 72), ""]
        body = html_to_text(release.body)
        if release.dateline:
            body = f"{release.dateline} – {body}" if body else release.dateline
        out.append(body)
        contacts = getattr(release, "public_contact_links", [])
        if contacts:
            out += ["", _("Contacts:")]
            for link in contacts:
                c = link.contact
                parts = [c.full_name, c.job_title, c.organisation.short_name, c.email, c.phone]
                out.append("- " + ", ".join(p for p in parts if p))
        out += ["", _("Read online: %(url)s") % {"url": absolute_url(release.get_absolute_url())}]
    return "\n".join(out).strip() + "\n"
