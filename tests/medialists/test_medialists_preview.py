"""The send page shows the e-mail as it will be sent: the HTML part, its CSS
inlined as sent, in a sandboxed frame (no script, no same origin), and the
text part."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from medialists import sending
from medialists.models import Recipient
from tests.factories import PressReleaseFactory
from tests.medialists.conftest import fixed_list, person

pytestmark = pytest.mark.django_db


def test_the_preview_is_the_html_as_sent_in_a_sandboxed_frame_and_the_text(client, publisher):
    release = PressReleaseFactory(title="Harbour <reopens> & more")
    media_list = fixed_list("Harbour", [person("Quinn Ray", "quinn@example.org")])
    client.force_login(publisher)
    send = reverse("admin:medialists_distribution_send", args=[release.pk])
    page = client.post(send, {"lists": [media_list.pk], "note": "Just for you", "preview": "1"})
    text = page.content.decode()
    frame = re.search(r'<iframe id="email-preview-html"[^>]*>', text).group(0)
    assert ' sandbox=""' in frame, "the e-mail's HTML could run or reach the admin's origin"
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    # The very HTML that is sent: the same message, its CSS inlined (style attributes).
    sent = sending.message(release, _distribution("Just for you"), _fake()).alternatives[0][0]
    token = re.compile(r"/unsubscribe/[^/]+/")  # signed with the time: differs by the second
    assert token.sub("/unsubscribe/T/", srcdoc) == token.sub("/unsubscribe/T/", sent)
    assert "<style" not in srcdoc.split("<body", 1)[1] and 'style="' in srcdoc
    assert "Harbour &lt;reopens&gt; &amp; more" in srcdoc  # the title escaped in the e-mail
    assert "Just for you" in srcdoc
    pre = re.search(r'<pre id="email-preview">(.*?)</pre>', text, re.S).group(1)
    assert "Just for you" in html.unescape(pre)
    assert "<script" not in srcdoc


def _distribution(note: str):
    from medialists.models import Distribution

    return Distribution(note=note)


def _fake() -> Recipient:
    return Recipient(pk=0, email="journalist@example.org")
