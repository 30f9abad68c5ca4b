"""Signing up and confirming: double opt-in, throttled.

Nothing but the confirmation e-mail goes to an address until it confirms
through the signed link; the same answer is given whether the address was
known or not (no one learns who subscribes).  A per-address and per-IP limit
per hour keeps the form from being used to flood a third party's inbox.
"""

from __future__ import annotations

import datetime
import ipaddress

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alerts import tasks
from alerts.models import SignupAttempt, Subscriber, Subscription, stored_languages
from alerts.queries import StoredQuery


class TooManySignupsError(Exception):
    """The hourly limit for this address or this client was reached."""


def _hash(email: str) -> str:
    return salted_hmac("alerts.signup", email).hexdigest()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the first trusted proxy saw it.

    With ``ALERTS_PROXY_COUNT`` = N (the login throttle's ``AXES_PROXY_COUNT``)
    proxies in front, each appends the address it heard from to
    ``X-Forwarded-For``: the client is the N-th entry from the right.  Entries
    further left are whatever the client wrote and are never trusted.  With no
    proxy (the default) the header is ignored: anyone can send one.  A
    missing or malformed entry falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.ALERTS_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < count:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-count]))
    except ValueError:
        return remote


def throttle(email: str, ip: str | None) -> None:
    """Count this attempt; raise :class:`TooManySignupsError` past either limit."""
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = SignupAttempt.objects.filter(created_at__gte=since)
    digest = _hash(email)
    if recent.filter(email_hash=digest).count() >= settings.ALERTS_SIGNUPS_PER_ADDRESS:
        raise TooManySignupsError
    if ip and recent.filter(ip=ip).count() >= settings.ALERTS_SIGNUPS_PER_IP:
        raise TooManySignupsError
    SignupAttempt.objects.create(email_hash=digest, ip=ip or None)


@transaction.atomic
def sign_up(
    email: str,
    stored: StoredQuery,
    *,
    frequency: str,
    digest_hour: int,
    time_zone: str,
    source_page: str,
    language: str | None = None,
) -> Subscription:
    """A pending subscription (or the existing one, settings updated) and,
    on commit, its confirmation e-mail."""
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    if not subscriber.confirmed_at:
        subscriber.time_zone = time_zone
        subscriber.save(update_fields=["time_zone"])
    subscription, _ = Subscription.objects.get_or_create(
        subscriber=subscriber,
        query_key=stored.key,
        defaults={
            "query": stored.params,
            "label": stored.label,
            "frequency": frequency,
            "digest_hour": digest_hour,
            "source_page": source_page[:1000],
            "languages": stored_languages([language or settings.LANGUAGE_CODE]),
        },
    )
    if language and language not in subscription.language_list:
        # The same list followed from another edition: that language too.
        subscription.languages = stored_languages([*subscription.language_list, language])
        subscription.save(update_fields=["languages"])
    if subscription.confirmed_at is None:
        # A repeated sign-up re-sends the confirmation (within the limits).
        subscription_id = subscription.pk
        transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscription_id))
    return subscription


def confirm(subscription: Subscription, token: str) -> bool:
    """Record the consent; False if it was already confirmed (a replayed link)."""
    now = timezone.now()
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, confirmation=token[-100:]
    )
    Subscriber.objects.filter(pk=subscription.subscriber_id, confirmed_at__isnull=True).update(
        confirmed_at=now
    )
    return bool(updated)
