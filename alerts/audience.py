"""Who gets which e-mail — the one place that decides it.

* An **alert** for a release goes to every address with an *active*
  (confirmed, unpaused, unsuppressed) *immediate* subscription whose stored
  query matches the release, confirmed before the release went public, and
  that follows the release's language edition (an Urdu release alerts the
  Urdu edition's followers; ``Subscription.languages``).
* A **digest** holds the releases published since the subscriber's last
  digest that match any of their active digest subscriptions, less those the
  address already received (an address gets a release at most once).
* Whether anything is sent at all is asked of ``published()`` at send time
  (:func:`is_public`): an unscheduled or moved embargo sends nothing early.

Each distinct stored query is run once per release, against
``PressRelease.objects.published().filter(pk=release.pk)`` with the search
app's own filter and search functions, however many addresses follow it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from alerts.models import Delivery, Frequency, Subscriber, Subscription, Suppression
from alerts.queries import narrow
from releases.models import AuditLogEntry, PressRelease


def is_public(release_id: int, now: datetime.datetime | None = None) -> bool:
    """The release is public at this instant (asked before every send)."""
    return PressRelease.objects.published(now).filter(pk=release_id).exists()


def public_release(release_id: int, now: datetime.datetime | None = None) -> QuerySet:
    """The release if it is public at this instant, as a subquery for a
    claim's WHERE (narrowed to its id: a primary-key probe, not a scan of
    every published release)."""
    return PressRelease.objects.published(now).filter(pk=release_id).values("pk")


def public_ids(release_ids, now: datetime.datetime | None = None) -> list[int]:
    """Those of ``release_ids`` public at this instant (a digest asks before it goes)."""
    return list(
        PressRelease.objects.published(now).filter(pk__in=release_ids).values_list("pk", flat=True)
    )


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email=email.lower()).exists()


def matching_subscriptions(release: PressRelease, subscriptions: QuerySet) -> QuerySet:
    """Those of ``subscriptions`` whose stored query matches ``release`` now."""
    base = PressRelease.objects.published().filter(pk=release.pk)
    matched: list[str] = []
    for key, query in subscriptions.order_by().values_list("query_key", "query").distinct():
        narrowed = narrow(base, query or {})
        if narrowed is not None and narrowed.exists():
            matched.append(key)
    return subscriptions.filter(query_key__in=matched)


def alert_audience(release: PressRelease) -> QuerySet:
    """Subscriber ids that get the alert for ``release`` (a lazy subquery)."""
    followers = (
        Subscription.objects.active()
        .in_language(release.language)
        .filter(
            frequency=Frequency.IMMEDIATE, confirmed_at__lte=release.publish_at or timezone.now()
        )
    )
    return (
        matching_subscriptions(release, followers)
        .order_by()
        .values_list("subscriber_id", flat=True)
        .distinct()
    )


def alert_subscriptions(release: PressRelease, subscriber: Subscriber) -> list[Subscription]:
    """The subscriptions of one address an alert answers (for its
    unsubscribe link and its "you follow …" line)."""
    mine = (
        Subscription.objects.active()
        .in_language(release.language)
        .filter(subscriber=subscriber, frequency=Frequency.IMMEDIATE)
    )
    return list(matching_subscriptions(release, mine))


def digest_releases(
    subscriber: Subscriber, since: datetime.datetime, until: datetime.datetime
) -> tuple[list[PressRelease], list[Subscription]]:
    """Releases for one address's digest, and the subscriptions they answer."""
    subscriptions = list(
        Subscription.objects.active()
        .filter(subscriber=subscriber)
        .exclude(frequency=Frequency.IMMEDIATE)
    )
    window = (
        PressRelease.objects.published(until)
        .filter(publish_at__gt=since)
        .exclude(pk__in=Delivery.objects.filter(subscriber=subscriber).values("release_id"))
    )
    ids: set[int] = set()
    answered = []
    for subscription in subscriptions:
        # Only the editions the subscription follows.
        narrowed = narrow(
            window.filter(language__in=subscription.language_list), subscription.query or {}
        )
        if narrowed is None:
            continue
        found = set(narrowed.order_by().values_list("pk", flat=True))
        if found:
            answered.append(subscription)
            ids |= found
    releases = list(
        PressRelease.objects.filter(pk__in=ids)
        .prefetch_related("issuers__organisation")
        .order_by("-publish_at", "-id")
    )
    return releases, answered


def digest_due(subscription: Subscription, now: datetime.datetime) -> datetime.datetime | None:
    """The digest instant that is due for ``subscription`` at ``now``, if any.

    Daily: today's ``digest_hour`` in the subscriber's zone; weekly: Monday's.
    Due when that instant has passed and no digest went since it.
    """
    local = now.astimezone(subscription.subscriber.zone)
    instant = local.replace(hour=subscription.digest_hour, minute=0, second=0, microsecond=0)
    if instant > local:
        instant -= datetime.timedelta(days=1)
    if subscription.frequency == Frequency.WEEKLY:
        instant -= datetime.timedelta(days=instant.weekday())
    last = subscription.last_digest_at or subscription.confirmed_at
    if last is None or last >= instant:
        return None
    return instant


def staff_recipients(entry: AuditLogEntry) -> list:
    """Who hears of a workflow step: editors when a release waits for review;
    publishers when one is approved (it waits for them now); its writer when
    it is sent back, scheduled, published or withdrawn.  Never the person who
    did it.  ``desk.notices`` shows the same people the same steps."""
    action = AuditLogEntry.Action
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if entry.user_id:
        users = users.exclude(pk=entry.user_id)
    if entry.action == action.SUBMIT:
        review = Q(groups__permissions__codename="review_pressrelease") | Q(
            user_permissions__codename="review_pressrelease"
        )
        return list(users.filter(review | Q(is_superuser=True)).distinct())
    if entry.action == action.APPROVE:
        publish = Q(groups__permissions__codename="publish_pressrelease") | Q(
            user_permissions__codename="publish_pressrelease"
        )
        return list(users.filter(publish | Q(is_superuser=True)).distinct())
    if entry.action in (
        action.REJECT,
        action.PUBLISH,
        action.SCHEDULE,
        action.FORCE_PUBLISH,
        action.WITHDRAW,
    ):
        release = entry.release
        if release is None or release.created_by_id is None:
            return []
        return list(users.filter(pk=release.created_by_id))
    return []
