"""Public bulletin pages: a list, a page per bulletin and a plain-text version.

Only releases in ``PressRelease.objects.published()`` are ever shown: a
bulletin whose releases are all drafts or embargoed does not exist publicly.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from bulletins.models import Bulletin, BulletinItem
from core.richtext import html_to_text
from core.urls import absolute_url
from releases.models import PressRelease
from releases.models.release import issuers_prefetch, public_contacts_prefetch


def _public_items():
    """Items whose release the public may see now, with what a page prints."""
    return (
        BulletinItem.objects.filter(release__in=PressRelease.objects.published())
        .select_related("release")
        .prefetch_related(
            issuers_prefetch("release__issuers"),
            public_contacts_prefetch("release__contact_links"),
        )
        .order_by("order", "id")
    )


def _bulletin_or_404(slug: str) -> tuple[Bulletin, list[BulletinItem]]:
    bulletin = get_object_or_404(Bulletin.objects.select_related("organisation"), slug=slug)
    items = list(_public_items().filter(bulletin=bulletin))
    if not items:
        raise Http404("No public release in this bulletin.")
    return bulletin, items


def bulletin_list(request: HttpRequest) -> HttpResponse:
    bulletins = Bulletin.objects.with_public_releases().select_related("organisation")
    page = Paginator(bulletins, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bulletins/bulletin_list.html", {"page_obj": page})


def bulletin_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bulletin, items = _bulletin_or_404(slug)
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {"bulletin": bulletin, "releases": [item.release for item in items]},
    )


def bulletin_text(request: HttpRequest, slug: str) -> HttpResponse:
    bulletin, items = _bulletin_or_404(slug)
    text = render_bulletin_text(bulletin, [item.release for item in items])
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
            out += ["", "Contacts:"]
            for link in contacts:
                c = link.contact
                parts = [c.full_name, c.job_title, c.organisation.short_name, c.email, c.phone]
                out.append("- " + ", ".join(p for p in parts if p))
        out += ["", f"Read online: {absolute_url(release.get_absolute_url())}"]
    return "\n".join(out).strip() + "\n"
