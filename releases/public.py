"""What exists publicly because of the releases: topics, and issuers.

A topic (a taggit ``Tag``) is typed by a writer on a draft long before the
release goes out: "Merger talks" on an embargoed release is news in itself.
So a topic exists publicly only while a *published* release uses it — its
feed, the topic filter and the API ask :func:`public_topics`, which starts
from ``PressRelease.objects.published()``, so an embargo lifts for the topic
at the same instant as for the release, with no job.

Organisations are public records (``Organisation.objects.active()``), and an
inactive one stays named on the releases it issued; one that is neither is
nobody's business (:func:`public_issuers`).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Subquery
from taggit.models import Tag, TaggedItem

from contacts.models import Organisation
from releases.models import PressRelease, ReleaseOrganisation


def public_topics(now: datetime.datetime | None = None) -> QuerySet[Tag]:
    """Topics of at least one release the public may see at ``now``.

    One query with a sub-select (no join, so no duplicate rows and nothing
    to make distinct); filter it further, e.g. ``.filter(slug=slug)``.
    """
    tagged = (
        release_tags()
        .filter(
            object_id__in=PressRelease.objects.published(now).values("pk"),
        )
        .values("tag_id")
    )
    return Tag.objects.filter(pk__in=tagged)


def release_tags() -> QuerySet[TaggedItem]:
    """taggit's rows that tag a release (not a media-list person or anything
    else taggit serves).

    The content type is a scalar sub-select, not a join: joined, PostgreSQL
    guessed a few thousand tagged releases where there were 125,000 and
    chose 250,000 index probes (0.8 s of a cold list page's facets at
    100,000 releases); as a sub-select it is one value, planned as such.
    No query of its own, so no extra round trip and nothing cached that a
    test database flush could leave stale.
    """
    release_type = ContentType.objects.filter(
        app_label=PressRelease._meta.app_label, model=PressRelease._meta.model_name
    ).values("pk")[:1]
    return TaggedItem.objects.filter(content_type_id=Subquery(release_type))


def public_issuers(now: datetime.datetime | None = None) -> QuerySet[Organisation]:
    """Organisations a reader may filter by: the active ones (public records,
    even with no release yet) and any that issued a release public at
    ``now`` — a facet link to a former office must keep working."""
    issued = ReleaseOrganisation.objects.filter(
        release__in=PressRelease.objects.published(now)
    ).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=Organisation.objects.active().values("pk")) | Q(pk__in=issued)
    )
