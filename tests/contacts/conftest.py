"""Fixtures of the contacts tests: one user per role (the groups come from the
``roles`` migration and ``releases.roles.sync_roles``)."""

from __future__ import annotations

import pytest

from releases.roles import CONTACTS_MANAGER, EDITOR, PUBLISHER, WRITER
from tests.workflow.conftest import make_user


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
