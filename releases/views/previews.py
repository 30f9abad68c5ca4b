"""Previews: a release shown exactly as the public will see it, before it is public.

Staff preview from the admin; people without an account (a partner who must
sign off a joint release) get a :class:`~releases.models.PreviewLink`.  Both
render the public template (``releases/preview.html`` extends
``releases/release_detail.html``) with the same context as the public page,
and both are marked ``noindex`` and ``no-store`` so a preview never ends up
in a search engine or a shared cache.

A preview shows the pictures and documents too, through doors of its own
(``releases.file_urls``): the public file URLs stay shut until the embargo
lifts, so a preview that used them would show broken pictures.  A link's
files open only while that link may show its release, and only files of
that release; the staff preview's files only for staff who may preview.
Every file answer is ``private, no-store`` and ``noindex`` like the page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from contacts.vcard import serialize_contacts, vcard_filename
from contacts.views import vcard_response
from core.http import public_cache_exempt
from releases import workflow
from releases.file_urls import FileUrls
from releases.models import PressRelease, PreviewLink
from releases.models.release import public_contact_links
from releases.views import files
from releases.views.pages import release_context


def _private(response: HttpResponse) -> HttpResponse:
    """Never kept by a shared cache, never indexed: a preview and its token are private."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def render_preview(
    request: HttpRequest, release: PressRelease, *, link: PreviewLink | None = None
) -> HttpResponse:
    """Render ``release`` with the public page's template and context shape."""
    release = PressRelease.objects.for_detail().get(pk=release.pk)
    file_urls = FileUrls.preview_link(link) if link else FileUrls.staff_preview(release)
    context = {
        **release_context(release),
        "is_preview": True,
        "preview_link": link,
        "file_urls": file_urls,
    }
    return _private(render(request, "releases/preview.html", context))


def preview_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """The public end of a shareable preview link (no account needed).

    What the link may show is the workflow's decision
    (:func:`~releases.workflow.previews.preview_link_state`): an unknown
    token is a 404; a release already public redirects to its public page;
    a revoked or expired link, or one whose release was withdrawn or
    removed, is 410 Gone with a page that says which (and never the text),
    so the partner knows what happened.  Every answer is private and
    ``noindex``: the token is a secret.
    """
    link = PreviewLink.objects.select_related("release").filter(token=token).first()
    if link is None:
        raise Http404("No preview at this address.")
    now = timezone.now()
    state = workflow.preview_link_state(link, now)
    if state == workflow.PreviewState.PUBLIC:
        PreviewLink.objects.filter(pk=link.pk).update(last_used_at=now)
        return _private(HttpResponseRedirect(link.release.get_absolute_url()))
    if state != workflow.PreviewState.SHOW:
        response = render(
            request,
            "releases/preview_unavailable.html",
            {"reason": str(state), "link": link},
            status=410,
        )
        return _private(response)
    PreviewLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return render_preview(request, link.release, link=link)


# -- the files of a preview --------------------------------------------------------


def _link_release(token: str) -> PressRelease:
    """The release a preview link may show now, or 404 (unknown, revoked,
    expired, withdrawn, removed: a file learns nothing more than that)."""
    link = PreviewLink.objects.select_related("release").filter(token=token).first()
    if link is None:
        raise Http404("No preview at this address.")
    # PUBLIC too: a page rendered a moment before the embargo lifted may
    # still be asking for its pictures, which are public now anyway.
    if workflow.preview_link_state(link) not in (
        workflow.PreviewState.SHOW,
        workflow.PreviewState.PUBLIC,
    ):
        raise Http404("This preview link no longer works.")
    return link.release


def _staff_release(request: HttpRequest, release_pk: int) -> PressRelease:
    """The release, for signed-in staff who may preview; 404 for anyone else
    (a stranger learns nothing), 403 for staff without the permission."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("No preview at this address.")
    if not workflow.can_preview(user):
        raise PermissionDenied("You may not preview releases.")
    return get_object_or_404(PressRelease, pk=release_pk)


def _contacts_vcard(release: PressRelease) -> HttpResponse:
    """The release's public contacts as one card, as the public page will offer
    it (``releases.views.vcards``, which opens only once it is published)."""
    contacts = [link.contact for link in public_contact_links().filter(release=release)]
    if not contacts:
        raise Http404("This release lists no public contacts.")
    return vcard_response(serialize_contacts(contacts), vcard_filename(f"{release.slug}-contacts"))


@public_cache_exempt
@require_safe
def link_image(
    request: HttpRequest, token: str, pk: int, rendition: str, fmt: str = "jpeg"
) -> HttpResponse:
    return files.serve_image(request, _link_release(token), pk, rendition, fmt, private=True)


@public_cache_exempt
@require_safe
def link_attachment(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    return files.serve_attachment(request, _link_release(token), pk, private=True)


@public_cache_exempt
@require_safe
def link_media_kit(request: HttpRequest, token: str) -> HttpResponse:
    return files.serve_media_kit(request, _link_release(token), private=True)


@public_cache_exempt
@require_safe
def link_contacts_vcard(request: HttpRequest, token: str) -> HttpResponse:
    return _private(_contacts_vcard(_link_release(token)))


@public_cache_exempt
@require_safe
def staff_image(
    request: HttpRequest, release_pk: int, pk: int, rendition: str, fmt: str = "jpeg"
) -> HttpResponse:
    release = _staff_release(request, release_pk)
    return files.serve_image(request, release, pk, rendition, fmt, private=True)


@public_cache_exempt
@require_safe
def staff_attachment(request: HttpRequest, release_pk: int, pk: int) -> HttpResponse:
    release = _staff_release(request, release_pk)
    return files.serve_attachment(request, release, pk, private=True)


@public_cache_exempt
@require_safe
def staff_media_kit(request: HttpRequest, release_pk: int) -> HttpResponse:
    return files.serve_media_kit(request, _staff_release(request, release_pk), private=True)


@public_cache_exempt
@require_safe
def staff_contacts_vcard(request: HttpRequest, release_pk: int) -> HttpResponse:
    return _private(_contacts_vcard(_staff_release(request, release_pk)))
