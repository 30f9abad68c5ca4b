"""Previews: a release shown exactly as the public will see it, before it is public.

Staff preview from the admin; people without an account (a partner who must
sign off a joint release) get a :class:`~releases.models.PreviewLink`.  Both
render the public template (``releases/preview.html`` extends
``releases/release_detail.html``) with the same context as the public page,
and both are marked ``noindex`` and ``no-store`` so a preview never ends up
in a search engine or a shared cache.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from releases import workflow
from releases.models import PressRelease, PreviewLink
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
    context = {**release_context(release), "is_preview": True, "preview_link": link}
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
