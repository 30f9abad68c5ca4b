"""core.admin_actions: the upper apps' actions on the release list, by permission, once each."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin_actions import plug_action
from releases.models import PressRelease
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def actions_for(user) -> set[str]:
    request = RequestFactory().get("/admin/releases/pressrelease/")
    request.user = user
    return set(admin.site._registry[PressRelease].get_actions(request))


def test_each_app_action_shows_to_holders_of_its_permission_only():
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    plain = UserFactory(username="plain", is_staff=True)
    assert {"reach", "send_to_media_lists"} <= actions_for(superuser)  # both wrappers chain
    assert not {"reach", "send_to_media_lists"} & actions_for(plain)


def test_plugging_the_same_action_again_changes_nothing():
    model_admin = admin.site._registry[PressRelease]
    before = model_admin.get_actions
    assert plug_action(PressRelease, "reach", lambda *a: None, "again", "x.y") is False
    assert model_admin.get_actions is before
