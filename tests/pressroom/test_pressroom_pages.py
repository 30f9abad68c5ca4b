"""The press room, the embargoed page at the public URL, and the files bound to a journalist."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from journalists.models import Journalist
from pressroom.file_urls import make_token
from pressroom.models import AccessLogEntry
from releases.models import ReleaseAttachment
from tests.factories import ReleaseImageFactory
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BANNER = "EMBARGOED UNTIL"


def signed_in(journalist: Journalist) -> Client:
    client = Client()
    client.force_login(journalist.user)
    return client


@pytest.fixture
def setup():
    release = embargoed_release(title="Vaccination drive reaches the valleys", tags=("Health",))
    open_access(release, beats=("Health",))
    image = ReleaseImageFactory(release=release)
    attachment = ReleaseAttachment.objects.create(
        release=release, title="Fact sheet", file=ContentFile(PDF, name="facts.pdf")
    )
    journalist = make_journalist("ayesha", beats=("Health",))
    return {"release": release, "image": image, "attachment": attachment, "j": journalist}


def file_links(html: str) -> list[str]:
    return sorted(set(re.findall(r'(/press-room/files/[^"\s]+)"', html)))


def assert_private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_press_room_asks_a_visitor_to_sign_in(client):
    response = client.get("/press-room/")
    assert response.status_code == 302
    assert "next=/press-room/" in response["Location"]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("pending", "waiting for approval"),
        ("rejected", "was not approved"),
        ("suspended", "suspended"),
        ("more_info", "more information"),
    ],
)
def test_press_room_says_why_not(status, words):
    journalist = make_journalist("someone", status=status)
    response = signed_in(journalist).get("/press-room/")
    assert response.status_code == 403
    assert words in response.content.decode()
    assert_private(response)


def test_press_room_sends_to_the_agreement_first():
    journalist = make_journalist("ayesha", accepted=False)
    response = signed_in(journalist).get("/press-room/")
    assert response.status_code == 302
    assert response["Location"] == "/journalists/agreement/?next=%2Fpress-room%2F"


def test_staff_without_a_journalist_record_are_told(setup):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="plainuser"))
    response = client.get("/press-room/")
    assert response.status_code == 403
    assert setup["release"].title not in response.content.decode()


def test_press_room_lists_what_is_open_to_the_journalist(setup):
    other = embargoed_release(title="Energy tariffs to change", tags=("Energy",))
    open_access(other, beats=("Energy",))
    response = signed_in(setup["j"]).get("/press-room/")
    html = response.content.decode()
    assert response.status_code == 200
    assert setup["release"].title in html
    assert other.title not in html
    assert BANNER in html
    assert_private(response)


def test_the_embargoed_page_at_the_public_address(setup):
    release = setup["release"]
    response = signed_in(setup["j"]).get(release.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert release.title in html
    assert "EMBARGOED UNTIL " in html
    assert "— not for publication or broadcast before then" in html
    assert_private(response)
    assert AccessLogEntry.objects.filter(release=release, item="page").count() == 1
    entry = AccessLogEntry.objects.get()
    assert (entry.journalist_name, entry.journalist_email) == ("Ayesha", "ayesha@example.net")
    # Its files go through the personal door only.
    links = file_links(html)
    assert links, "the page names its pictures and documents"
    assert f"/releases/{release.slug}/images/" not in html


def test_banner_wording_in_newsroom_time_and_utc(setup, settings):
    release = setup["release"]
    release.publish_at = datetime.datetime(2030, 10, 18, 6, 0, tzinfo=datetime.UTC)
    release.save()
    access = release.advance_access
    access.for_publish_at = release.publish_at
    access.save()
    html = signed_in(setup["j"]).get(release.get_absolute_url()).content.decode()
    assert (
        "EMBARGOED UNTIL 18 Oct 2030, 11:00 PKT (06:00 UTC) — not for publication or "
        "broadcast before then" in html
    )


def test_after_the_instant_the_same_address_is_the_public_page(setup):
    release = setup["release"]
    with time_machine.travel(release.publish_at + datetime.timedelta(seconds=1), tick=False):
        for client in (signed_in(setup["j"]), Client()):
            response = client.get(release.get_absolute_url())
            assert response.status_code == 200
            assert BANNER not in response.content.decode()
            assert "no-store" not in response.get("Cache-Control", "")


def test_others_get_the_same_404_as_for_nothing(setup):
    release = setup["release"]
    outside = make_journalist("outside", beats=("Energy",))
    for client in (Client(), signed_in(outside)):
        response = client.get(release.get_absolute_url())
        assert response.status_code == 404
        assert release.title not in response.content.decode()


def test_files_open_for_the_journalist_with_their_link(setup):
    client = signed_in(setup["j"])
    html = client.get(setup["release"].get_absolute_url()).content.decode()
    for link in file_links(html):
        response = client.get(link)
        assert response.status_code == 200, link
        assert_private(response)
    items = set(AccessLogEntry.objects.values_list("item", flat=True))
    assert items == {"page", "picture", "document", "media_kit"}


def test_media_kit_credits_carry_the_embargo_line(setup):
    client = signed_in(setup["j"])
    html = client.get(setup["release"].get_absolute_url()).content.decode()
    (kit,) = [link for link in file_links(html) if link.endswith("media-kit.zip")]
    response = client.get(kit)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    credits = archive.read("CREDITS.txt").decode()
    assert credits.startswith("EMBARGOED UNTIL ")
    assert "not for publication or broadcast before then" in credits


def test_a_file_link_is_personal_short_lived_and_for_one_release(setup, settings):
    release, image, journalist = setup["release"], setup["image"], setup["j"]
    token = make_token(journalist.pk, release.pk)
    url = f"/press-room/files/{token}/images/{image.pk}/original/"
    assert signed_in(journalist).get(url).status_code == 200
    # Another trusted journalist, same link: refused.
    colleague = make_journalist("colleague", beats=("Health",))
    assert signed_in(colleague).get(url).status_code == 404
    # Nobody signed in: refused.
    assert Client().get(url).status_code == 404
    # Expired (default 15 minutes).
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert signed_in(journalist).get(url).status_code == 404
    # Forged or guessed tokens.
    for bad in ("x", token[:-2] + "zz", make_token(journalist.pk, release.pk) + "a"):
        path = f"/press-room/files/{bad}/images/{image.pk}/original/"
        assert signed_in(journalist).get(path).status_code == 404


def test_another_releases_file_with_a_valid_token_is_refused(setup):
    journalist = setup["j"]
    other = embargoed_release(tags=("Health",))
    open_access(other)
    other_image = ReleaseImageFactory(release=other)
    token = make_token(journalist.pk, setup["release"].pk)
    url = f"/press-room/files/{token}/images/{other_image.pk}/original/"
    assert signed_in(journalist).get(url).status_code == 404
    doc_url = f"/press-room/files/{token}/documents/{setup['attachment'].pk + 999}/"
    assert signed_in(journalist).get(doc_url).status_code == 404


def test_suspension_ends_access_on_the_next_request(setup):
    release, journalist = setup["release"], setup["j"]
    client = signed_in(journalist)
    html = client.get(release.get_absolute_url()).content.decode()
    link = file_links(html)[0]
    Journalist.objects.filter(pk=journalist.pk).update(status=Journalist.Status.SUSPENDED)
    assert client.get(release.get_absolute_url()).status_code == 404
    assert client.get(link).status_code == 404
    response = client.get("/press-room/")
    assert response.status_code == 403
    assert release.title not in response.content.decode()


def test_account_panel_lists_what_is_open_and_nothing_for_the_untrusted(setup, rf):
    from pressroom.panels import embargoed_panel

    request = rf.get("/journalists/account/")
    request.user = setup["j"].user
    html = embargoed_panel(request, setup["j"])
    assert setup["release"].title in html and "EMBARGOED UNTIL" in html
    pending = make_journalist("pending_one", status="pending", beats=("Health",))
    request.user = pending.user
    assert setup["release"].title not in embargoed_panel(request, pending)


def test_the_account_page_carries_the_press_rooms_panel(setup):
    """The panel is registered by pressroom's ready(), so the account page shows it."""
    response = signed_in(setup["j"]).get("/journalists/account/")
    assert response.status_code == 200
    page = response.content.decode()
    assert setup["release"].title in page and "EMBARGOED UNTIL" in page
