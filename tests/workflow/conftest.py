"""Fixtures of the workflow tests: one user per role, releases in each state."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from releases.models import PressRelease
from releases.roles import (
    ADMINISTRATOR,
    CONTACTS_MANAGER,
    EDITOR,
    PUBLISHER,
    WRITER,
    sync_roles,
)
from tests.factories import OrganisationFactory, PressReleaseFactory, UserFactory

PASSWORD = "correct horse battery staple"


def make_user(role: str | None, username: str):
    """A staff user in the role's group (groups come from the ``roles`` migration;
    re-created if a transactional test flushed them)."""
    user = UserFactory(username=username, is_staff=True)
    if role:
        group = Group.objects.filter(name=role).first()
        if group is None:
            sync_roles(apps)
            group = Group.objects.get(name=role)
        user.groups.add(group)
    return user


@pytest.fixture
def writer(db):
    return make_user(WRITER, "writer")


@pytest.fixture
def other_writer(db):
    return make_user(WRITER, "writer2")


@pytest.fixture
def editor(db):
    return make_user(EDITOR, "editor")


@pytest.fixture
def publisher(db):
    return make_user(PUBLISHER, "publisher")


@pytest.fixture
def contacts_manager(db):
    return make_user(CONTACTS_MANAGER, "contacts")


@pytest.fixture
def administrator(db):
    return make_user(ADMINISTRATOR, "administrator")


@pytest.fixture
def users(writer, editor, publisher, contacts_manager, administrator):
    return {
        "writer": writer,
        "editor": editor,
        "publisher": publisher,
        "contacts_manager": contacts_manager,
        "administrator": administrator,
    }


@pytest.fixture
def make_release(writer):
    """A release in a given state, written (and so submitted) by ``writer``."""

    def make(state: str = "draft", **kwargs) -> PressRelease:
        now = timezone.now()
        values = {
            "created_by": writer,
            "publish_at": None,
            "organisations": [OrganisationFactory()],
        }
        if state == "scheduled":
            values.update(
                status=PressRelease.Status.PUBLISHED, publish_at=now + datetime.timedelta(days=1)
            )
        elif state == "live":
            values.update(
                status=PressRelease.Status.PUBLISHED, publish_at=now - datetime.timedelta(hours=1)
            )
        elif state == "withdrawn":
            values.update(
                status=PressRelease.Status.WITHDRAWN,
                publish_at=now - datetime.timedelta(days=2),
                withdrawn_at=now - datetime.timedelta(days=1),
                withdrawal_reason="Superseded by a later release.",
            )
        else:
            values["status"] = state
        values.update(kwargs)
        return PressReleaseFactory(**values)

    return make
