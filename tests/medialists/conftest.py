"""Media-list tests: a real SMTP server (aiosmtpd), real tasks, role users."""

from __future__ import annotations

import pytest
from taggit.models import Tag

from medialists.models import Consent, MediaList, MediaPerson, Outlet
from releases.roles import CONTACTS_MANAGER, PUBLISHER
from tests.mail_fixtures import _mail_settings, smtp  # noqa: F401 (fixtures)
from tests.workflow.conftest import make_user


@pytest.fixture
def publisher(db):
    return make_user(PUBLISHER, "petra")


@pytest.fixture
def manager(db):
    return make_user(CONTACTS_MANAGER, "maria")


def person(name: str, email: str, outlet: Outlet | None = None, **fields) -> MediaPerson:
    beats = fields.pop("beats", [])
    fields.setdefault("consent_basis", Consent.PROFESSIONAL)
    p = MediaPerson.objects.create(name=name, email=email, outlet=outlet, **fields)
    for beat in beats:
        p.beats.add(Tag.objects.get_or_create(name=beat, slug=beat)[0])
    return p


def smart_list(name: str, beats=(), **filters) -> MediaList:
    m = MediaList.objects.create(name=name, kind=MediaList.Kind.SMART, **filters)
    for beat in beats:
        m.beats.add(Tag.objects.get_or_create(name=beat, slug=beat)[0])
    return m


def fixed_list(name: str, members) -> MediaList:
    m = MediaList.objects.create(name=name, kind=MediaList.Kind.FIXED)
    m.members.set(members)
    return m
