"""The human page behind every visible "RSS" link: what a feed is and how to use it.

A feed opened in a browser (above all on a phone) is a screen of raw XML, so
links people click lead here instead: the feed's address to copy into a
feed reader, what a feed reader is, and the e-mail alternative.  Feed
readers still find the feeds themselves through ``<link rel="alternate">``
(``templates/releases/_feed_links.html``), which keeps pointing at them.

``?organisation=<slug>`` or ``?tag=<slug>`` puts that list's feed first; a
slug that has no feed (unknown, or a topic not yet public) is ignored, so
the page never names a topic before its first release is out.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from contacts.models import Organisation
from core.params import filter_spelling
from core.urls import absolute_url
from releases.public import public_topics


@dataclass(frozen=True)
class FeedChoice:
    """One list's feeds, as the page shows them."""

    #: What the list holds, mid-sentence: "press releases from IOM Pakistan".
    subject: str
    rss_url: str
    atom_url: str
    #: The same list's e-mail alerts sign-up (its list filter as a query).
    email_query: str = ""

    @property
    def label(self) -> str:
        """The subject as a heading (names keep their case: "IOM", not "iom")."""
        return self.subject[:1].upper() + self.subject[1:]


def _slug(request: HttpRequest, name: str) -> str:
    value = request.GET.get(filter_spelling(request.GET, name), "")
    return value if value.isprintable() and len(value) <= 100 else ""


def _chosen_feed(request: HttpRequest) -> FeedChoice | None:
    if slug := _slug(request, "organisation"):
        organisation = Organisation.objects.active().filter(slug=slug).first()
        if organisation is not None:
            kwargs = {"slug": organisation.slug}
            return FeedChoice(
                subject=f"press releases from {organisation.name}",
                rss_url=absolute_url(reverse("releases:organisation_feed_rss", kwargs=kwargs)),
                atom_url=absolute_url(reverse("releases:organisation_feed_atom", kwargs=kwargs)),
                email_query=urlencode({"organisation": organisation.slug}),
            )
    if slug := _slug(request, "tag"):
        tag = public_topics().filter(slug=slug).first()
        if tag is not None:
            kwargs = {"slug": tag.slug}
            return FeedChoice(
                subject=f"press releases on {tag.name}",
                rss_url=absolute_url(reverse("releases:tag_feed_rss", kwargs=kwargs)),
                atom_url=absolute_url(reverse("releases:tag_feed_atom", kwargs=kwargs)),
                email_query=urlencode({"tag": tag.slug}),
            )
    return None


@require_safe
def feed_guide(request: HttpRequest) -> HttpResponse:
    """What a news feed is, and the address of each feed to copy."""
    feeds = [
        FeedChoice(
            subject="all press releases",
            rss_url=absolute_url(reverse("releases:feed_rss")),
            atom_url=absolute_url(reverse("releases:feed_atom")),
        )
    ]
    if (chosen := _chosen_feed(request)) is not None:
        feeds.insert(0, chosen)
    return render(request, "releases/feed_guide.html", {"feeds": feeds, "chosen": chosen})
