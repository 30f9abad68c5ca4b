"""Public pages of the alerts: sign up, confirm, manage, unsubscribe.

Thin: the work is in :mod:`alerts.signup`, the links in :mod:`alerts.tokens`.
Every bad input — a malformed or 10 kB address, a tampered or expired link,
a replayed unsubscribe — is a clear page, never a 500.  None of these pages
is publicly cached (they carry forms or personal data).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import signup, tokens
from alerts.forms import AlertSettingsForm, SubscribeForm
from alerts.models import Frequency, Subscriber, Subscription
from alerts.queries import read_query
from core.http import public_cache_exempt
from releases.models import PressRelease
from releases.models.release import edition_language


def _bad_link(request: HttpRequest, error: tokens.BadLinkError | None = None) -> HttpResponse:
    expired = bool(error and error.expired)
    return render(request, "alerts/bad_link.html", {"expired": expired}, status=400)


def _subscriber(data: tokens.LinkData) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(pk=data.subscriber_id).first()
    if subscriber is None or subscriber.nonce != data.nonce:
        return None
    return subscriber


@public_cache_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """``/alerts/subscribe/?<the list's filters and words>``: "Get these by e-mail"."""
    stored = read_query(request.GET, PressRelease.objects.published())
    # The digest hour is in the newsroom's zone unless the journalist says otherwise.
    form = SubscribeForm(request.POST or None, initial={"time_zone": settings.TIME_ZONE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signup.throttle(data["email"], signup.client_ip(request))
        except signup.TooManySignupsError:
            return render(request, "alerts/throttled.html", status=429)
        signup.sign_up(
            data["email"],
            stored,
            frequency=data["frequency"],
            digest_hour=data["digest_hour"],
            time_zone=data["time_zone"],
            source_page=request.GET.get("from", "")[:1000] or request.get_full_path()[:1000],
            # The edition subscribed on (/ur/alerts/… follows the Urdu releases).
            language=edition_language(),
        )
        return render(request, "alerts/check_inbox.html", {"email": data["email"]})
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/subscribe.html", {"form": form, "stored": stored}, status=status)


@public_cache_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        data = tokens.read_confirm_token(token)
    except tokens.BadLinkError as error:
        return _bad_link(request, error)
    subscriber = _subscriber(data)
    subscription = (
        Subscription.objects.filter(pk=data.subscription_ids[0], subscriber=subscriber).first()
        if subscriber and data.subscription_ids
        else None
    )
    if subscription is None:
        return _bad_link(request)
    if request.method == "POST":
        signup.confirm(subscription, token)
        manage = reverse(
            "alerts:manage", args=[tokens.manage_token(subscriber.pk, subscriber.nonce)]
        )
        return render(
            request, "alerts/confirmed.html", {"subscription": subscription, "manage_url": manage}
        )
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@public_cache_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every subscription of the address: change, pause, resume, unsubscribe."""
    try:
        subscriber = _subscriber(tokens.read_manage_token(token))
    except tokens.BadLinkError as error:
        return _bad_link(request, error)
    if subscriber is None:
        return _bad_link(request)
    mine = subscriber.subscriptions.filter(confirmed_at__isnull=False)
    message, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "unsubscribe_all":
            mine.delete()
            message = gettext("You are unsubscribed from every e-mail alert.")
        else:
            target = mine.filter(pk=_int(request.POST.get("subscription"))).first()
            message, status = _change(target, action, request.POST)
    forms = [
        (
            s,
            AlertSettingsForm(
                initial={
                    "frequency": s.frequency,
                    "digest_hour": s.digest_hour,
                    "time_zone": subscriber.time_zone,
                },
                prefix=f"s{s.pk}",
            ),
        )
        for s in mine
    ]
    return render(
        request,
        "alerts/manage.html",
        {"subscriber": subscriber, "forms": forms, "message": message},
        status=status,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 18 else None


def _change(target: Subscription | None, action: str, post) -> tuple[str, int]:
    if target is None:
        return gettext("That alert is no longer there: nothing was changed."), 400
    if action == "unsubscribe":
        target.delete()
        return gettext("You are unsubscribed from “%(label)s”.") % {"label": target.label}, 200
    if action in ("pause", "resume"):
        target.paused = action == "pause"
        target.save(update_fields=["paused"])
        text = (
            gettext("“%(label)s” is paused.")
            if target.paused
            else gettext("“%(label)s” is on again.")
        )
        return text % {"label": target.label}, 200
    if action == "update":
        form = AlertSettingsForm(post, prefix=f"s{target.pk}")
        if not form.is_valid():
            return gettext("Check the frequency, hour and time zone: nothing was changed."), 400
        target.frequency = form.cleaned_data["frequency"]
        target.digest_hour = form.cleaned_data["digest_hour"]
        target.save(update_fields=["frequency", "digest_hour"])
        Subscriber.objects.filter(pk=target.subscriber_id).update(
            time_zone=form.cleaned_data["time_zone"]
        )
        frequency = str(Frequency(target.frequency).label).lower()
        return gettext("“%(label)s”: %(frequency)s.") % {
            "label": target.label,
            "frequency": frequency,
        }, 200
    return gettext("Unknown action: nothing was changed."), 400


@public_cache_exempt
@never_cache
@csrf_exempt  # RFC 8058: mail providers POST here without a cookie; the token authenticates.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058).  GET shows a button, so that a link
    scanner fetching the URL unsubscribes nobody; POST unsubscribes."""
    try:
        data = tokens.read_unsubscribe_token(token)
    except tokens.BadLinkError as error:
        return _bad_link(request, error)
    subscriber = _subscriber(data)
    if subscriber is None:
        return _bad_link(request)
    targets = subscriber.subscriptions.all()
    if data.subscription_ids:
        targets = targets.filter(pk__in=data.subscription_ids)
    labels = [s.label for s in targets]
    manage_url = reverse(
        "alerts:manage", args=[tokens.manage_token(subscriber.pk, subscriber.nonce)]
    )
    context = {"labels": labels, "manage_url": manage_url, "done": False}
    if request.method == "POST" and labels:  # a replay finds nothing left to do
        targets.delete()
        context["done"] = True
    return render(request, "alerts/unsubscribe.html", context)
