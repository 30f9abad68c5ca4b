"""The e-mails themselves: built from templates, both parts, CSS inlined.

Every e-mail to a subscriber carries a signed link to its manage page and
RFC 8058 one-click unsubscribe headers (``List-Unsubscribe`` with an HTTPS
URL, ``List-Unsubscribe-Post``) and a ``List-Id``.  HTML is written with a
``<style>`` block and inlined by css-inline (mail clients drop style
blocks); there is no image and no tracking pixel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from alerts import tokens
from alerts.models import Subscriber, Subscription
from core.urls import absolute_url
from releases.models import AuditLogEntry, PressRelease
from releases.models.release import issuers_prefetch, public_contacts_prefetch

_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def site_host() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"


def list_id() -> str:
    """``Newsroom alerts <alerts.news.example.org>`` (RFC 2919)."""
    value = settings.ALERTS_LIST_ID or f"alerts.{site_host()}"
    return f"{settings.NEWSROOM_SITE_NAME} alerts <{value}>"


def load_release(release_id: int) -> PressRelease | None:
    """The release with what an alert prints: issuers, public contacts."""
    return (
        PressRelease.objects.filter(pk=release_id)
        .prefetch_related(issuers_prefetch(), public_contacts_prefetch())
        .first()
    )


def releases_for_mail(ids: Iterable[int]) -> list[PressRelease]:
    return list(
        PressRelease.objects.filter(pk__in=list(ids))
        .prefetch_related(
            Prefetch("issuers", queryset=issuers_prefetch().queryset),
            public_contacts_prefetch(),
        )
        .order_by("-publish_at", "-id")
    )


def manage_url(subscriber: Subscriber) -> str:
    token = tokens.manage_token(subscriber.pk, subscriber.nonce)
    return absolute_url(reverse("alerts:manage", args=[token]))


def unsubscribe_url(subscriber: Subscriber, subscriptions: Iterable[Subscription]) -> str:
    ids = tuple(s.pk for s in subscriptions)
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.nonce, ids)
    return absolute_url(reverse("alerts:unsubscribe", args=[token]))


def _message(
    to: str,
    subject: str,
    template: str,
    context: dict,
    *,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    context = {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": settings.NEWSROOM_SITE_URL,
        **context,
    }
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = _INLINER.inline(render_to_string(f"alerts/email/{template}.html", context))
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": make_msgid(domain=site_host()), **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def _list_headers(
    subscriber: Subscriber, subscriptions: Iterable[Subscription], url: str = ""
) -> dict:
    return {
        "List-Id": list_id(),
        "List-Unsubscribe": f"<{url or unsubscribe_url(subscriber, subscriptions)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def release_context(release: PressRelease) -> dict:
    return {
        "release": release,
        "url": absolute_url(release.get_absolute_url()),
        "summary": " ".join(release.summary.split()),
        "issuers": release.issuing_organisations,
        "contacts": [link.contact for link in getattr(release, "public_contact_links", [])],
    }


def alert_message(
    release: PressRelease, subscriber: Subscriber, subscriptions: list[Subscription]
) -> EmailMultiAlternatives:
    """The e-mail of one release for one address."""
    return AlertRenderer(release).message(subscriber, subscriptions)


class AlertRenderer:
    """One release's alert, rendered once per distinct set of followed lists.

    Only the "you follow …" line and the two signed links differ from one
    address to the next.  Templates and css-inline (most of a message's
    cost) run once per set of lists with placeholder links; each address then
    gets a copy with its own links put in.  The links are signed tokens of
    URL-safe characters, so they need no escaping in HTML.
    """

    _MANAGE, _UNSUBSCRIBE = (
        "https://alerts.invalid/MANAGE-LINK",
        "https://alerts.invalid/UNSUB-LINK",
    )

    def __init__(self, release: PressRelease) -> None:
        self.release = release
        self.rendered: dict[tuple[str, ...], tuple[str, str]] = {}

    def _parts(self, subscriptions: list[Subscription]) -> tuple[str, str]:
        key = tuple(s.label for s in subscriptions)
        if key not in self.rendered:
            context = {
                "SITE_NAME": settings.NEWSROOM_SITE_NAME,
                "SITE_URL": settings.NEWSROOM_SITE_URL,
                **release_context(self.release),
                "subscriptions": subscriptions,
                "manage_url": self._MANAGE,
                "unsubscribe_url": self._UNSUBSCRIBE,
            }
            # In the release's language: an Urdu release's alert reads in Urdu.
            with translation.override(self.release.language):
                text = render_to_string("alerts/email/alert.txt", context)
                html = _INLINER.inline(render_to_string("alerts/email/alert.html", context))
            self.rendered[key] = (text, html)
        return self.rendered[key]

    def message(
        self, subscriber: Subscriber, subscriptions: list[Subscription]
    ) -> EmailMultiAlternatives:
        text, html = self._parts(subscriptions)
        manage, unsubscribe = manage_url(subscriber), unsubscribe_url(subscriber, subscriptions)
        message = EmailMultiAlternatives(
            subject=" ".join(self.release.title.split())[:250],
            body=text.replace(self._MANAGE, manage).replace(self._UNSUBSCRIBE, unsubscribe),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "Message-ID": make_msgid(domain=site_host()),
                **_list_headers(subscriber, subscriptions, unsubscribe),
            },
        )
        message.attach_alternative(
            html.replace(self._MANAGE, manage).replace(self._UNSUBSCRIBE, unsubscribe),
            "text/html",
        )
        return message


def digest_message(
    subscriber: Subscriber, releases: list[PressRelease], subscriptions: list[Subscription]
) -> EmailMultiAlternatives:
    """Releases grouped by their lead organisation, each as in an alert."""
    groups: dict[str, list[dict]] = {}
    for release in releases:
        lead = release.lead_issuer
        groups.setdefault(lead.name if lead else "Other", []).append(release_context(release))
    context = {
        "groups": sorted(groups.items()),
        "count": len(releases),
        "subscriptions": subscriptions,
        "manage_url": manage_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber, subscriptions),
    }
    # One language for the whole digest: the releases' own, when they share
    # one; else the default edition's.
    languages = {release.language for release in releases}
    language = languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = ngettext(
            "%(site)s: %(count)d new press release",
            "%(site)s: %(count)d new press releases",
            len(releases),
        ) % {"site": settings.NEWSROOM_SITE_NAME, "count": len(releases)}
        return _message(
            subscriber.email,
            subject,
            "digest",
            context,
            headers=_list_headers(subscriber, subscriptions),
        )


def bulletin_message(
    subscriber: Subscriber,
    bulletin: Any,
    releases: list[PressRelease],
    subscriptions: list[Subscription],
) -> EmailMultiAlternatives:
    """A bulletin (Media Update) as one e-mail: its title, its intro, then its
    releases in the bulletin's order, each as in an alert."""
    order = {pk: n for n, pk in enumerate(
        bulletin.items.order_by("order", "id").values_list("release_id", flat=True)
    )}  # fmt: skip
    ordered = sorted(releases, key=lambda r: order.get(r.pk, len(order)))
    context = {
        "bulletin": bulletin,
        "bulletin_url": absolute_url(bulletin.get_absolute_url()),
        "items": [release_context(release) for release in ordered],
        "count": len(ordered),
        "subscriptions": subscriptions,
        "manage_url": manage_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber, subscriptions),
    }
    return _message(
        subscriber.email,
        f"{bulletin.title} — {settings.NEWSROOM_SITE_NAME}",
        "bulletin",
        context,
        headers=_list_headers(subscriber, subscriptions),
    )


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """The only e-mail an unconfirmed address ever gets."""
    subscriber = subscription.subscriber
    token = tokens.confirm_token(subscriber.pk, subscriber.nonce, subscription.pk)
    context = {
        "subscription": subscription,
        "confirm_url": absolute_url(reverse("alerts:confirm", args=[token])),
        "hours": settings.ALERTS_CONFIRM_HOURS,
    }
    return _message(
        subscriber.email,
        f"Confirm your e-mail alerts from {settings.NEWSROOM_SITE_NAME}",
        "confirm",
        context,
        headers={"Auto-Submitted": "auto-generated"},
    )


def staff_message(entry: AuditLogEntry, email: str) -> EmailMultiAlternatives:
    """A workflow notice: a release waits for review, was sent back, or went out."""
    release = entry.release
    admin_url = (
        absolute_url(reverse("admin:releases_pressrelease_change", args=[release.pk]))
        if release
        else ""
    )
    context = {"entry": entry, "admin_url": admin_url, "action": entry.get_action_display()}
    return _message(
        email,
        f"{entry.get_action_display()}: {entry.release_title}",
        "staff_notice",
        context,
        headers={"Auto-Submitted": "auto-generated"},
    )
