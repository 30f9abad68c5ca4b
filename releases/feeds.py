"""RSS 2.0 and Atom feeds: every release, per organisation and per topic.

Items come from ``in_feeds()``: the published releases, so an embargoed
release enters the feed at its embargo instant, and the withdrawn ones as an
updated entry ("Withdrawn: …", the public explanation, dated when it was
withdrawn, no picture) for as long as they would still be among the latest
items; a removed release is never there.  A topic feed exists only
for a topic of a published release (``releases.public``).  Links are absolute
with ``NEWSROOM_SITE_URL`` (the canonical address), not the request's host.
Each feed costs a fixed number of queries: the items and their issuers, tags,
change notes and images are prefetched.  Each language edition has its own
feeds (``/ur/feeds/…``: ``in_edition()``), titled in its language.
"""

from __future__ import annotations

import datetime
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from contacts.models import Organisation
from core.memo import remember_response
from core.urls import absolute_url
from releases.models import PressRelease
from releases.models.release import change_notes_prefetch
from releases.public import public_topics

#: Items per feed: feed readers poll often; the archive is on the site.
FEED_SIZE = 30


def release_guid(release: PressRelease) -> str:
    """A permanent identifier of ``release`` for feed readers: a ``tag:`` URI
    (RFC 4151), ``tag:news.example.org,2023-10-18:release/42``.

    Not the release's URL: that changes with its slug or the site's address,
    and a reader would show the release twice. The authority is
    ``NEWSROOM_FEED_ID_AUTHORITY`` (set once, never changed) and the date is
    the day the row was created, which nothing edits.
    """
    created = timezone.localdate(release.created_at) if release.created_at else None
    day = created.isoformat() if created else "2000-01-01"
    return f"tag:{settings.NEWSROOM_FEED_ID_AUTHORITY},{day}:release/{release.pk}"


class _TypedSelfLink:
    """A feed generator's XML handler whose ``rel="self"`` link states its
    type, as the RSS and Atom validators ask (Django's omits it)."""

    def __init__(self, handler, mime: str) -> None:
        self._handler = handler
        self._mime = mime

    def addQuickElement(self, name: str, contents=None, attrs=None) -> None:  # noqa: N802
        if attrs and attrs.get("rel") == "self":
            attrs = {**attrs, "type": self._mime}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name: str):
        return getattr(self._handler, name)


class RssFeedGenerator(Rss201rev2Feed):
    def add_root_elements(self, handler) -> None:
        super().add_root_elements(_TypedSelfLink(handler, "application/rss+xml"))


class AtomFeedGenerator(Atom1Feed):
    def add_root_elements(self, handler) -> None:
        super().add_root_elements(_TypedSelfLink(handler, "application/atom+xml"))


def feed_items(qs: QuerySet) -> QuerySet:
    """The newest releases of ``qs`` with everything an item shows."""
    return (
        qs.for_listing()
        .prefetch_related(
            "tags",
            change_notes_prefetch(to_attr="feed_change_notes"),
            # The model's order puts the lead picture first: the enclosure.
            Prefetch("images", to_attr="feed_images"),
        )
        .defer("search_vector")[:FEED_SIZE]
    )


class ReleaseFeed(Feed):
    """All published releases, newest first (RSS 2.0)."""

    feed_type = RssFeedGenerator
    feed_kind = "rss"
    description_template = None

    def title(self, obj=None) -> str:
        return _("%(site)s: press releases") % {"site": settings.NEWSROOM_SITE_NAME}

    def description(self, obj=None) -> str:
        return _("The latest press releases published on %(site)s.") % {
            "site": settings.NEWSROOM_SITE_NAME
        }

    subtitle = description

    def link(self, obj=None) -> str:
        return absolute_url(reverse("search:release_list"))

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse(f"releases:feed_{self.feed_kind}"))

    def feed_guid(self, obj=None) -> str:
        return self.feed_url(obj)

    def releases(self, obj=None) -> QuerySet:
        return PressRelease.objects.in_feeds().in_edition()

    def items(self, obj=None) -> QuerySet:
        return feed_items(self.releases(obj))

    # Items -----------------------------------------------------------------
    @staticmethod
    def is_withdrawn(item: PressRelease) -> bool:
        return item.status == PressRelease.Status.WITHDRAWN

    def item_title(self, item: PressRelease) -> str:
        return f"Withdrawn: {item.title}" if self.is_withdrawn(item) else item.title

    def item_description(self, item: PressRelease) -> str:
        """The summary, and the latest change note when there is one, so a
        reader sees why an item reappears as updated.  A withdrawn release's
        text has left the site: only its public explanation is given."""
        if self.is_withdrawn(item):
            withdrawn = timezone.localtime(item.withdrawn_at) if item.withdrawn_at else None
            when = f" on {withdrawn:%-d %B %Y}" if withdrawn else ""
            reason = item.withdrawal_reason.strip()
            return f"This press release was withdrawn{when}." + (f" {reason}" if reason else "")
        parts = [item.summary]
        notes = getattr(item, "feed_change_notes", [])
        if notes:
            parts.append(f"Updated {notes[0].created_at:%-d %B %Y}: {notes[0].note}")
        return "\n\n".join(part for part in parts if part)

    def item_link(self, item: PressRelease) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: PressRelease) -> str:
        return release_guid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: PressRelease) -> datetime.datetime | None:
        return item.first_published_at or item.publish_at

    def item_updateddate(self, item: PressRelease) -> datetime.datetime | None:
        if self.is_withdrawn(item) and item.withdrawn_at:
            return item.withdrawn_at
        notes = getattr(item, "feed_change_notes", [])
        candidates = [
            d
            for d in (
                item.last_updated_at,
                notes[0].created_at if notes else None,
                item.first_published_at or item.publish_at,
            )
            if d
        ]
        return max(candidates) if candidates else None

    def item_author_name(self, item: PressRelease) -> str | None:
        lead = item.lead_issuer
        return lead.name if lead else None

    def item_categories(self, item: PressRelease) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: PressRelease) -> list[Enclosure]:
        """The lead image, when the media module gives images a public URL
        (``image.url("web")``); without that method there is no safe URL to
        give (originals are not served from MEDIA_ROOT), so none is given."""
        if self.is_withdrawn(item):  # its files answer 404 now
            return []
        images = getattr(item, "feed_images", [])
        if not images or not callable(getattr(images[0], "url", None)):
            return []
        image = images[0]
        try:
            url = image.url("web")
        except Exception:  # a missing rendition must not break the whole feed
            return []
        if not url:
            return []
        mime = mimetypes.guess_type(url)[0] or "image/jpeg"
        return [Enclosure(absolute_url(url), "0", mime)]

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The feed built once per content state and served as bytes after.

        Keyed on the path only (a feed reads no query parameter, so junk
        parameters cannot multiply the entries) and on the state token,
        which a publish, a withdrawal or an embargo lifting moves: a
        remembered feed never shows a release the live one would not.
        """
        return remember_response(
            request,
            f"feed:{request.path}",
            lambda: super(ReleaseFeed, self).__call__(request, *args, **kwargs),
        )

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        # The language of the newsroom, not the generator's default.
        feed.feed["language"] = settings.LANGUAGE_CODE
        return feed


class ReleaseAtomFeed(ReleaseFeed):
    feed_type = AtomFeedGenerator
    feed_kind = "atom"


class OrganisationReleaseFeed(ReleaseFeed):
    """Releases an organisation issued (alone or with others)."""

    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation.objects.active(), slug=slug)

    def title(self, obj: Organisation) -> str:
        return _("%(site)s: press releases from %(name)s") % {
            "site": settings.NEWSROOM_SITE_NAME,
            "name": obj.name,
        }

    def description(self, obj: Organisation) -> str:
        return _("The latest press releases issued by %(name)s.") % {"name": obj.name}

    subtitle = description

    def link(self, obj: Organisation) -> str:
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj: Organisation) -> str:
        return absolute_url(
            reverse(f"releases:organisation_feed_{self.feed_kind}", kwargs={"slug": obj.slug})
        )

    def releases(self, obj: Organisation) -> QuerySet:
        return (
            PressRelease.objects.in_feeds()
            .in_edition()
            .filter(pk__in=obj.issued.values("release_id"))
        )


class OrganisationReleaseAtomFeed(OrganisationReleaseFeed):
    feed_type = AtomFeedGenerator
    feed_kind = "atom"


class TagReleaseFeed(ReleaseFeed):
    """Releases on one topic (tag).

    Only a public topic has a feed (``releases.public``): the feed's title
    names the topic, and a topic typed on a draft or an embargoed release
    must not be named before that release is out.  Unknown and not-yet-public
    topics get the same 404.
    """

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        # <str:slug> accepts any text; PostgreSQL refuses NUL in a parameter.
        ok = slug.isprintable() and len(slug) <= 100
        tag = public_topics().filter(slug=slug).first() if ok else None
        if tag is None:
            raise Http404("No such topic.")
        return tag

    def title(self, obj: Tag) -> str:
        return _("%(site)s: press releases on %(name)s") % {
            "site": settings.NEWSROOM_SITE_NAME,
            "name": obj.name,
        }

    def description(self, obj: Tag) -> str:
        return _("The latest press releases about %(name)s.") % {"name": obj.name}

    subtitle = description

    def link(self, obj: Tag) -> str:
        return absolute_url(f"{reverse('search:search')}?tag={obj.slug}")

    def feed_url(self, obj: Tag) -> str:
        return absolute_url(
            reverse(f"releases:tag_feed_{self.feed_kind}", kwargs={"slug": obj.slug})
        )

    def releases(self, obj: Tag) -> QuerySet:
        return PressRelease.objects.in_feeds().in_edition().filter(tags=obj)


class TagReleaseAtomFeed(TagReleaseFeed):
    feed_type = AtomFeedGenerator
    feed_kind = "atom"
