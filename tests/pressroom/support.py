"""Journalists, agreements and embargoed releases for the press-room tests, made with the ORM.

The journalists' sign-up and approval pages are another app's work; here a
journalist is simply rows: a user, a ``Journalist`` with a status, the
current agreement and (unless told otherwise) its acceptance.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from taggit.models import Tag

from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist
from pressroom.models import AdvanceAccess
from releases.models import PressRelease
from releases.roles import sync_roles
from tests.factories import PressReleaseFactory, UserFactory

PASSWORD = "correct horse battery staple"
Status = Journalist.Status


def agreement() -> EmbargoAgreement:
    """The agreement in force (version 1, published a day ago)."""
    current, _ = EmbargoAgreement.objects.get_or_create(
        version=1,
        defaults={
            "text": "I will not publish embargoed material before its embargo lifts.",
            "published_at": timezone.now() - datetime.timedelta(days=1),
        },
    )
    return current


def make_journalist(
    username: str,
    *,
    status: str = Status.APPROVED,
    beats: tuple[str, ...] = (),
    outlet: str = "The Daily Example",
    accepted: bool = True,
    name: str | None = None,
) -> Journalist:
    user = UserFactory(username=username, email=f"{username}@example.net")
    journalist = Journalist.objects.create(
        user=user,
        name=name or username.replace("_", " ").title(),
        outlet=outlet,
        role="Correspondent",
        status=status,
        confirmed_at=timezone.now() if status == Status.APPROVED else None,
    )
    for beat in beats:
        tag, _ = Tag.objects.get_or_create(name=beat, defaults={"slug": beat.lower()})
        journalist.beats.add(tag)
    if accepted:
        AgreementAcceptance.objects.create(journalist=journalist, agreement=agreement())
    return journalist


def embargoed_release(
    *,
    hours: float = 24,
    tags: tuple[str, ...] = ("Health",),
    **kwargs,
) -> PressRelease:
    """A release scheduled ``hours`` ahead (status published, instant in the future)."""
    instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)
    kwargs.setdefault("publish_at", instant)
    return PressReleaseFactory(tags=list(tags), **kwargs)


def open_access(
    release: PressRelease,
    *,
    opens_at: datetime.datetime | None = None,
    beats: tuple[str, ...] = (),
    outlets: str = "",
    journalists: tuple[Journalist, ...] = (),
) -> AdvanceAccess:
    """Advance access as a publisher would set it (for the release's current instant)."""
    access = AdvanceAccess.objects.create(
        release=release,
        enabled=True,
        opens_at=opens_at or timezone.now() - datetime.timedelta(minutes=5),
        for_publish_at=release.publish_at,
        outlets=outlets,
    )
    for beat in beats:
        tag, _ = Tag.objects.get_or_create(name=beat, defaults={"slug": beat.lower()})
        access.beats.add(tag)
    access.journalists.add(*journalists)
    return access


def staff(role: str | None, username: str):
    """A staff user in a role's group (re-creating the groups after a flush)."""
    user = UserFactory(username=username, is_staff=True)
    if role:
        group = Group.objects.filter(name=role).first()
        if group is None:
            sync_roles(apps)
            group = Group.objects.get(name=role)
        user.groups.add(group)
    return user
