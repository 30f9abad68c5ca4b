"""Fixtures of the contacts tests: one user per role (the groups come from the
``roles`` migration and ``releases.roles.sync_roles``)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from releases.roles import CONTACTS_MANAGER, EDITOR, PUBLISHER, WRITER, sync_roles
from tests.factories import UserFactory


def make_user(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    group = Group.objects.filter(name=role).first()
    if group is None:  # a transactional test flushed the groups
        sync_roles(apps)
        group = Group.objects.get(name=role)
    user.groups.add(group)
    return user


@pytest.fixture
def writer(db):
    return make_user(WRITER, "wendy")


@pytest.fixture
def editor(db):
    return make_user(EDITOR, "eddie")


@pytest.fixture
def publisher(db):
    return make_user(PUBLISHER, "pablo")


@pytest.fixture
def contacts_manager(db):
    return make_user(CONTACTS_MANAGER, "maria")
