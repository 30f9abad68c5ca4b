"""django-allauth, fitted to the newsroom: journalists only, e-mail through the worker.

* Sign-up can never make staff: whatever a form posts, the new user has no
  staff or superuser flag (groups and permissions are never set by allauth).
* A staff account does not sign in here: staff use the admin's login, which
  is throttled by django-axes and has its own rules.
* allauth's e-mails (verification, password reset, "you already have an
  account") are rendered in the request and sent by the task worker, like
  every other e-mail of the newsroom, so a slow SMTP server never keeps a
  visitor waiting, nor tells them by its delay whether an address is known.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


class JournalistAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any):
        if user.is_staff or user.is_superuser:
            messages.info(request, "Staff sign in on the staff sign-in page.")
            return HttpResponseRedirect(reverse("admin:login"))
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        from journalists import tasks

        # The site's name, also where no request (and so no context processor) is at hand.
        context = {"SITE_NAME": settings.NEWSROOM_SITE_NAME, **context}
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html = content
        tasks.send_account_mail.enqueue(
            subject=message.subject,
            body=message.body,
            html=html,
            to=list(message.to),
        )
