"""``manage.py ensure_local_admin``: a first admin account for local use.

``make run`` calls it so a newcomer can log in straight away.  It creates an
``admin`` superuser with a random password only when the database has no
superuser, prints the password once and stores it nowhere else.  An existing
account is never touched and its password never printed.  It refuses to run
with DEBUG off: production accounts are made deliberately, with
``createsuperuser``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core.urls import absolute_url

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create a local superuser 'admin' with a random password if there is no superuser."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin is for local development and runs only with DEBUG=1. "
                "On a server, create accounts with: python manage.py createsuperuser"
            )
        User = get_user_model()  # noqa: N806 - a class
        existing = User._default_manager.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"A superuser already exists ({existing.get_username()}); "
                "log in with its password at "
                f"{absolute_url(reverse('admin:index'))} "
                "(forgotten it? python manage.py changepassword "
                f"{existing.get_username()})."
            )
            return
        if User._default_manager.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
            raise CommandError(
                f"A user called “{USERNAME}” exists but is not a superuser; it was left "
                "unchanged. Create a superuser with: python manage.py createsuperuser"
            )
        password = secrets.token_urlsafe(12)
        User._default_manager.create_superuser(
            **{User.USERNAME_FIELD: USERNAME}, email="", password=password
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in at {absolute_url(reverse('admin:index'))} as {USERNAME} / {password}"
            )
        )
