"""Invite a colleague: an account with a role and no password, an e-mail sent by the
task worker with a link that sets the password once, and a clear page for a bad link."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from desk import invitations, links
from releases.roles import WRITER
from tests.alerts.support import database_url

pytestmark = pytest.mark.django_db

INVITE = reverse("admin:desk_invite")
ROOT = Path(__file__).resolve().parents[2]


def run_worker(smtp_port: int) -> str:
    """django-tasks-db's worker, in its own process, until the queue is empty."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "NEWSROOM_TESTING": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NEWSROOM_SITE_URL": "https://news.example.org",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("boss", "boss@example.org", "x", first_name="Bina")


def invite(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INVITE, {"name": "", "email": "", "role": "", **data})


@pytest.mark.django_db(transaction=True)
def test_invite_a_writer_end_to_end(client, smtp_port, settings):
    """Committed data (``transaction=True``): the worker is another process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin_user = User.objects.create_superuser("boss", "boss@example.org", "x", first_name="Bina")
    client.force_login(admin_user)
    page = client.get(INVITE).content.decode()
    for role in ("Writer", "Editor", "Publisher", "Contacts manager", "Administrator"):
        assert f'value="{role}"' in page
    response = client.post(
        INVITE, {"name": "Sana Iqbal", "email": "Sana.Iqbal@Example.org", "role": WRITER}
    )
    assert response.status_code == 200
    shown = response.content.decode()
    user = User.objects.get(email="sana.iqbal@example.org")
    assert user.username == "sana.iqbal@example.org" and user.first_name == "Sana"
    assert not user.has_usable_password()
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == [WRITER]
    screen_link = re.search(r'value="(https://news\.example\.org/admin/welcome/[^"]+)"', shown)
    assert screen_link, "the inviting admin sees the link"

    # Nothing is sent in the request: the worker sends it.
    smtp, port = smtp_port
    assert smtp.messages == []
    run_worker(port)
    [message] = smtp.to("sana.iqbal@example.org")
    assert message["Subject"] == "You are invited to Newsroom"
    body = message.get_content()
    assert "boss has invited you" in body or "Bina has invited you" in body
    assert "as Writer" in body and "username: sana.iqbal@example.org" in body
    mailed = re.search(r"https://news\.example\.org(/admin/welcome/\S+/)", body).group(1)

    client.logout()
    form = client.get(mailed)
    assert form.status_code == 200 and "Choose a password" in form.content.decode()
    done = client.post(
        mailed,
        {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"},
        follow=True,
    )
    assert "Your password is set" in done.content.decode()
    assert done.redirect_chain[-1][0].startswith(reverse("admin:login"))
    assert client.login(username="sana.iqbal@example.org", password="a long new passphrase 42")
    home = client.get(reverse("admin:index"))
    assert home.status_code == 200 and "Your drafts" in home.content.decode()

    # The link works once; the on-screen one died with it.
    client.logout()
    for used in (mailed, screen_link.group(1).removeprefix("https://news.example.org")):
        again = client.get(used)
        assert again.status_code == 400 and "This link no longer works" in again.content.decode()


def test_duplicate_email_is_refused_by_name(
    client, admin_user, writer, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    response = invite(
        client,
        django_capture_on_commit_callbacks,
        name="Someone",
        email=writer.email.upper(),
        role=WRITER,
    )
    page = response.content.decode()
    assert "already has an account (username “writer”)" in page
    assert User.objects.filter(email__iexact=writer.email).count() == 1


def test_missing_fields_are_named(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    page = invite(client, django_capture_on_commit_callbacks, email="not an address").content
    assert b"Enter a valid email address." in page and b"This field is required." in page
    assert User.objects.count() == 1


def test_only_those_who_may_add_users_invite(client, writer, editor):
    for user in (writer, editor):
        client.force_login(user)
        assert client.get(INVITE).status_code == 403
        assert b"Invite a colleague" not in client.get(reverse("admin:index")).content


def test_no_one_gives_a_role_they_do_not_hold(writer):
    writer.user_permissions.add(Permission.objects.get(codename="add_user"))
    writer = User.objects.get(pk=writer.pk)
    assert invitations.roles_for(writer) == [WRITER]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="may not give the role"):
        invitations.invite(name="X", email="x@example.org", role="Publisher", invited_by=writer)


@pytest.mark.parametrize(
    "path",
    ["/admin/welcome/xx/yy/", "/admin/welcome/MQ/bad-token/", "/admin/welcome/%F0%9F%98%80/a-b/"],
)
def test_a_bad_link_is_a_clear_page(client, admin_user, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()


def test_expired_link(client, admin_user, writer, settings):
    link = links.link_for(writer).removeprefix("https://news.example.org")
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.get(link).status_code == 400


def test_a_weak_password_is_refused_with_reasons(client, writer):
    link = links.link_for(writer).removeprefix("https://news.example.org")
    page = client.post(link, {"new_password1": "abc", "new_password2": "abd"}).content.decode()
    assert "didn’t match" in page or "didn't match" in page


def test_a_pending_invitation_is_sent_again(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    invite(
        client, django_capture_on_commit_callbacks, name="Ali", email="ali@example.org", role=WRITER
    )
    page = invite(
        client, django_capture_on_commit_callbacks, name="Ali", email="ali@example.org", role=WRITER
    ).content.decode()
    assert "was invited already and has not chosen a password yet" in page
    assert 'name="resend" value="ali@example.org"' in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(INVITE, {"resend": "ali@example.org"}).content.decode()
    assert len(callbacks) == 1  # the e-mail is queued again
    assert "Ali is invited" in page and "/admin/welcome/" in page
    assert User.objects.filter(email="ali@example.org").count() == 1


def test_an_arrived_colleague_is_not_sent_a_link(client, admin_user, writer):
    client.force_login(admin_user)
    page = client.post(INVITE, {"resend": writer.email}).content.decode()
    assert "has already chosen a password" in page and "/admin/welcome/" not in page
