"""The e-mails a journalist gets about their account: what they say, and sending them.

Each is rendered and sent by the task worker (``journalists.tasks``)
through ``alerts.delivery.send_one``, the newsroom's one way out for e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from alerts.delivery import send_one
from core.urls import absolute_url
from journalists import tokens
from journalists.models import Journalist, JournalistEvent

SUBJECTS = {
    "approved": "Your journalist account is approved",
    "rejected": "Your journalist account was not approved",
    "more_info": "We need more information about your journalist account",
    "suspended": "Your journalist account is suspended",
    "revoked": "Your journalist account is closed",
    "reinstated": "Your journalist account is active again",
    "lapsed": "Your journalist account has lapsed",
    "reconfirm": "Please confirm your journalist account for another year",
}


Action = JournalistEvent.Action
#: The e-mail each step of the history sends (``journalists.rules`` says which steps mail).
TEMPLATES = {
    Action.APPROVED: "approved",
    Action.REJECTED: "rejected",
    Action.MORE_INFO: "more_info",
    Action.SUSPENDED: "suspended",
    Action.REVOKED: "revoked",
    Action.REINSTATED: "reinstated",
    Action.LAPSED: "lapsed",
}


def _message(template: str, journalist: Journalist, context: dict) -> EmailMultiAlternatives:
    context = {
        "journalist": journalist,
        "site_name": settings.NEWSROOM_SITE_NAME,
        "account_url": absolute_url(reverse("journalists:account")),
        **context,
    }
    return EmailMultiAlternatives(
        subject=f"[{settings.NEWSROOM_SITE_NAME}] {SUBJECTS[template]}",
        body=render_to_string(f"journalists/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[journalist.email],
    )


def send_status_mail(event_id: int) -> str:
    """Tell the journalist about a change of status (the task's body)."""
    event = JournalistEvent.objects.select_related("journalist__user").filter(pk=event_id).first()
    if event is None:
        return "gone"
    template = TEMPLATES.get(event.action)
    if template is None or not event.journalist.email:
        return "nothing to send"
    send_one(_message(template, event.journalist, {"event": event}))
    return "sent"


def send_reconfirm_mail(journalist_id: int) -> str:
    """The yearly "are you still a journalist?" e-mail, with its signed link."""
    journalist = Journalist.objects.select_related("user").filter(pk=journalist_id).first()
    if journalist is None or not journalist.email:
        return "gone"
    link = absolute_url(reverse("journalists:reconfirm", args=[tokens.token_for(journalist)]))
    send_one(_message("reconfirm", journalist, {"link": link}))
    return "sent"


def send_account_mail(subject: str, body: str, html: str, to: list[str]) -> str:
    """One of allauth's e-mails (verification, password reset…), rendered in the request."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    send_one(message)
    return "sent"
