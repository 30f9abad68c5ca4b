"""Login throttling with django-axes on the admin login."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True)


def attempt(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def test_four_failures_then_the_right_password_still_works(client, editor):
    for _ in range(4):
        response = attempt(client, "editor", "wrong")
        assert response.status_code == 200  # the admin form with its error
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 302
    # A success resets the count.
    assert not AccessAttempt.objects.filter(username="editor", failures_since_start__gt=0).exists()


def test_five_failures_lock_out_even_the_right_password(client, editor, settings):
    for _ in range(5):
        attempt(client, "editor", "wrong")
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in is paused" in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, editor):
    for _ in range(5):
        attempt(client, "editor", "wrong", ip="203.0.113.7")
    # The same account from another address (a colleague elsewhere) is not locked...
    assert attempt(client, "editor", PASSWORD, ip="198.51.100.20").status_code == 302
    # ...nor another account from the locked address.
    client.logout()
    UserFactory(username="writer", is_staff=True)
    assert attempt(client, "writer", PASSWORD, ip="203.0.113.7").status_code == 302


def test_lockout_ends_after_the_cooling_off_period(client, editor, settings):
    for _ in range(5):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", PASSWORD).status_code == 429
    # Age the attempts past the cooling-off period.
    cooloff = settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    for row in AccessAttempt.objects.all():
        row.attempt_time -= cooloff
        row.save(update_fields=["attempt_time"])
    assert attempt(client, "editor", PASSWORD).status_code == 302


def test_client_login_keeps_working(client, editor):
    """Other tests log in with the test client, which passes no request."""
    assert client.login(username="editor", password=PASSWORD)
    assert not client.login(username="editor", password="wrong")


def test_an_absurdly_long_username_is_recorded_and_locked_not_a_500(client):
    """Axes' username column holds 255 characters; a longer name is truncated
    (it used to be a 500 on PostgreSQL) and still counts towards a lockout."""
    long_name = "x" * 10_000
    for _ in range(4):
        assert attempt(client, long_name, "wrong").status_code == 200
    assert attempt(client, long_name, "wrong").status_code == 429
    recorded = AccessAttempt.objects.get()
    assert recorded.username == "x" * 255
