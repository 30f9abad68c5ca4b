"""A role makes a colleague able to log in: staff status follows the roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from releases.roles import EDITOR, WRITER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_role_given_in_the_admin_lets_the_colleague_log_in(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    colleague = UserFactory(username="amina", is_staff=False)
    colleague.set_password("a long enough passphrase")
    colleague.save()
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{colleague.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data["groups"] = [Group.objects.get(name=WRITER).pk]
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = (
        colleague.date_joined.strftime("%Y-%m-%d"),
        colleague.date_joined.strftime("%H:%M:%S"),
    )
    response = client.post(f"/admin/auth/user/{colleague.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    colleague.refresh_from_db()
    assert colleague.is_staff

    client.logout()
    assert client.login(username="amina", password="a long enough passphrase")
    assert client.get("/admin/").status_code == 200


def test_taking_every_role_away_ends_staff_status():
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name=WRITER), Group.objects.get(name=EDITOR))
    user.refresh_from_db()
    assert user.is_staff
    user.groups.remove(Group.objects.get(name=WRITER))
    user.refresh_from_db()
    assert user.is_staff  # still an editor
    user.groups.clear()
    user.refresh_from_db()
    assert not user.is_staff


def test_a_superuser_keeps_staff_status_without_roles():
    user = UserFactory(is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name=WRITER))
    user.groups.clear()
    user.refresh_from_db()
    assert user.is_staff


def test_a_group_that_is_no_role_grants_nothing():
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.create(name="Book club"))
    user.refresh_from_db()
    assert not user.is_staff
