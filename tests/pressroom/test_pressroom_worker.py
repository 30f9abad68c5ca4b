"""The done-when flow without a browser: a real worker sends the advance notice.

The worker process (``manage.py alerts_worker``) runs the task booked when
advance access is saved, against this test database (committed data) and a
real SMTP server.  The journalist then follows the e-mail's link with a
signed-in client: embargoed page and picture before the instant, the public
page after it; a colleague suspended mid-session is refused.  The same flow
in Chromium is tests/browser/test_pressroom_ui.py.
"""

from __future__ import annotations

import re
import signal
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from journalists.models import Journalist
from pressroom import tasks
from pressroom.models import AdvanceNotice
from tests.alerts.support import SMTPServer, Worker, text_part, wait_for
from tests.factories import ReleaseImageFactory
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = [pytest.mark.django_db(transaction=True)]
EMBARGO_SECONDS = 40


@pytest.fixture
def inbox_and_worker(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = SMTPServer().__enter__()
    worker = Worker(server, tmp_path / "worker.log", rate=0)
    worker.start()
    yield server.inbox
    worker.stop(signal.SIGKILL)
    server.__exit__()


def test_notice_through_the_worker_then_early_reading_then_the_public_page(inbox_and_worker):
    inbox = inbox_and_worker
    release = embargoed_release(hours=EMBARGO_SECONDS / 3600, tags=("Floods",))
    ReleaseImageFactory(release=release)
    ayesha = make_journalist("ayesha", beats=("Floods",))
    bilal = make_journalist("bilal", beats=("Floods",))
    make_journalist("outside", beats=("Energy",))
    access = open_access(release, beats=("Floods",))
    tasks.plan(access)

    assert wait_for(lambda: len(inbox.messages) >= 2, timeout=30), "no notices arrived"
    time.sleep(3)  # the worker's sweep runs meanwhile (every 2 s): nothing more may come
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == sorted(
        [ayesha.user.email, bilal.user.email]
    )
    assert set(AdvanceNotice.objects.values_list("status", flat=True)) == {"sent"}
    (notice,) = inbox.to(ayesha.user.email)
    assert "EMBARGOED" in notice["Subject"] and "EMBARGOED UNTIL" in text_part(notice)
    url = re.search(r"https://news\.example\.org/releases/\S+/", text_part(notice)).group()
    path = urlsplit(url).path

    reader = Client()
    reader.force_login(ayesha.user)
    page = reader.get(path)
    assert page.status_code == 200 and b"EMBARGOED UNTIL" in page.content
    picture = re.search(r'href="(/press-room/files/[^"]+/original/)"', page.content.decode())
    assert reader.get(picture.group(1)).status_code == 200

    colleague = Client()
    colleague.force_login(bilal.user)
    assert colleague.get(path).status_code == 200
    Journalist.objects.filter(pk=bilal.pk).update(status=Journalist.Status.SUSPENDED)
    assert colleague.get(path).status_code == 404
    assert timezone.now() < release.publish_at, "the machine was too slow for this embargo"

    time.sleep(max(0.0, (release.publish_at - timezone.now()).total_seconds()) + 1)
    for client in (reader, colleague, Client()):
        public = client.get(path)
        assert public.status_code == 200 and b"EMBARGOED UNTIL" not in public.content
    assert len(inbox.messages) == 2
