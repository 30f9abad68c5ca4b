"""The public page of one release. Thin: every queryset starts from ``published()``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import translation

from contacts.models import MediaContact, Organisation
from core.memo import remember
from releases import relations
from releases.models import PressRelease, ReleaseContact


@dataclass
class ContactGroup:
    """Contacts of one role on a release ("For more information", …)."""

    role: str
    label: str
    contacts: list[MediaContact] = field(default_factory=list)


#: The order in which roles are printed; journalists look for the media
#: contact first, then who can say more, then who speaks on the record.
ROLE_ORDER = [
    ReleaseContact.Role.MEDIA,
    ReleaseContact.Role.MORE_INFO,
    ReleaseContact.Role.SPOKESPERSON,
]


def group_contacts(links: list[ReleaseContact]) -> list[ContactGroup]:
    """Group a release's (already public-only) contact links by role.

    Within a role the editor's order is kept; roles follow ``ROLE_ORDER`` so
    every release reads the same way.
    """
    groups = {role: ContactGroup(role, role.label) for role in ROLE_ORDER}
    for link in links:
        role = ReleaseContact.Role(link.role)
        groups.setdefault(role, ContactGroup(role, role.label)).contacts.append(link.contact)
    return [group for group in groups.values() if group.contacts]


@dataclass(frozen=True)
class Boilerplate:
    """An "About …" paragraph and the organisation it really describes."""

    organisation: Organisation
    html: str


def boilerplates_for(issuers: list[Organisation]) -> list[Boilerplate]:
    """One "About" per distinct boilerplate, named after its true owner.

    A country office without its own text borrows its parent's, so the
    heading must name the parent ("About IOM", not "About IOM Pakistan"),
    and when both issue a release the same text is printed once.
    """
    seen: set[str] = set()
    result = []
    for org in issuers:
        html = org.display_about
        if not html or html in seen:
            continue
        seen.add(html)
        owner = org if org.about else org.parent
        result.append(Boilerplate(owner or org, html))
    return result


def release_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One release as a journalist would print it.

    viewable(): published, or withdrawn (kept at its URL with a notice,
    templates/releases/_withdrawn_notice.html); removed answers 410 Gone;
    anything else is a 404.
    """
    # The release and its relations, loaded once per content state (the
    # ORM work is most of this page's cost): a correction, a withdrawal or
    # an embargo lifting moves the state and so the key.  An unknown slug
    # is not kept (remember() treats None as absent), so junk addresses
    # cannot fill the cache.
    release = remember(
        request,
        f"release-page:{slug}",
        lambda: relations.detail_page(PressRelease.objects.viewable().filter(slug=slug)),
    )
    if release is None:
        if PressRelease.objects.filter(slug=slug, status=PressRelease.Status.REMOVED).exists():
            request.error_page = True  # no language alternates (newsroom/errors.py)
            return render(request, "releases/release_gone.html", status=410)
        raise Http404("No release at this address.")
    wrong_edition = canonical_redirect(request, release)
    if wrong_edition is not None:
        return wrong_edition
    # Its public translations, remembered per content state like the release:
    # one translation published or embargoed moves the state.
    request.language_alternates = remember(
        request, f"release-alternates:{release.pk}", lambda: language_alternates(release)
    )
    context = release_context(release)
    # The article's HTML once per content state (templates/releases/_article.html):
    # only here, on the public page.  Previews and the press room render
    # the same template without this key: their file links belong to a
    # preview or a journalist and must never be kept for anyone else.
    context["article_memo_key"] = f"{release.pk}:{release.language}"
    return render(request, "releases/release_detail.html", context)


def canonical_redirect(request: HttpRequest, release: PressRelease) -> HttpResponse | None:
    """A 301 to the release's own edition when it was asked for under another
    language's prefix (``/ur/releases/<english-slug>/``, ``/releases/<urdu-slug>/``).

    One address per page: the language of the page and of its content must
    agree, and search engines must not index one text under two languages.
    Called only for a release the caller may already show, so it tells
    nobody anything about an embargoed one.
    """
    if release.language == translation.get_language():
        return None
    target = release.get_absolute_url()
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(target)


def language_alternates(release: PressRelease) -> dict[str, str]:
    """``{code: path}`` of this release and its PUBLIC translations, for the
    language switcher and the ``hreflang`` links (core/i18n.py).

    ``published()`` first: a translation keeps its own embargo, so an Urdu
    version still under embargo must not be linked — not even its address.
    """
    found = {release.language: release.get_absolute_url()}
    # PressRelease.public_translations(): published() only, and no query at
    # all for a release whose row says it has none (relations.detail_page).
    for other in release.public_translations():
        found.setdefault(other.language, other.get_absolute_url())
    return found


def release_context(release: PressRelease) -> dict[str, object]:
    """What the release template needs; shared by the public page and previews
    so a preview is exactly what the public will see."""
    issuers = release.issuing_organisations
    return {
        "release": release,
        "issuers": issuers,
        "contact_groups": group_contacts(release.public_contact_links),
        "boilerplates": boilerplates_for(issuers),
        "change_notes": list(release.change_notes.all()),
        "partnerships": list(release.partnerships.all()),
        "tags": list(release.tags.all()),
    }
