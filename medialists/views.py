"""The one public page of media lists: the unsubscribe link of their e-mails."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import bounces
from alerts.models import Suppression
from core.http import public_cache_exempt
from medialists import tokens
from medialists.models import Recipient


@public_cache_exempt
@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs without our cookie; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a link scanner unsubscribes nobody); POST puts the
    address on the one suppression list, so nothing from anywhere reaches it."""
    try:
        recipient_id, email = tokens.read_unsubscribe_token(token)
    except tokens.BadLinkError:
        return render(request, "medialists/unsubscribe.html", {"bad": True}, status=400)
    context = {"email": email, "done": False}
    if request.method == "POST":
        bounces.suppress(email, Suppression.Reason.MANUAL, "media list", "unsubscribe link")
        Recipient.objects.filter(pk=recipient_id, email=email).update(
            status=Recipient.Status.UNSUBSCRIBED
        )
        context["done"] = True
    return render(request, "medialists/unsubscribe.html", context)
