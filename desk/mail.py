"""The invitation e-mail: what it says, and sending it (the task's body)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from core.urls import absolute_url
from desk.links import link_for, valid_days


def invitation_message(user: Any, invited_by: Any | None) -> EmailMessage:
    context = {
        "user": user,
        "inviter": (invited_by.get_full_name() or invited_by.get_username()) if invited_by else "",
        "roles": ", ".join(user.groups.values_list("name", flat=True)) or "staff",
        "link": link_for(user),
        "days": valid_days(),
        "site_name": settings.NEWSROOM_SITE_NAME,
        "login": absolute_url(reverse("admin:login")),
    }
    return EmailMessage(
        subject=f"You are invited to {settings.NEWSROOM_SITE_NAME}",
        body=render_to_string("desk/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Send the invitation e-mail (the task's body); ``False`` if there is nothing to send.

    An account that has set its password since (or is gone, or inactive)
    gets nothing: the invitation was accepted or withdrawn.
    """
    users = get_user_model().objects
    user = users.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password() or not user.email:
        return False
    inviter = users.filter(pk=invited_by_id).first() if invited_by_id else None
    invitation_message(user, inviter).send(fail_silently=False)
    return True
