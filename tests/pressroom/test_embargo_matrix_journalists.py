"""The embargo leak matrix, extended to journalists.

Six readers — anonymous, a journalist pending approval, a rejected one, a
suspended one, an approved one outside the release's beats, an approved one
within them — and one embargoed release with advance access for its beat.
Before the instant only the last reads it (the page at its public address,
the press-room list, its files, its media kit); after it, everyone does.
The public channels (lists, search, feeds, sitemaps, API, vCards, facet
counts) never show it early, even to the approved journalist: they are
public, and answer the same to everyone.  Plus the abuse cases: guessed and
expired file URLs, another journalist's link, another release's file with a
valid link, and a session from before a suspension.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from journalists.models import Journalist
from pressroom.file_urls import make_token
from tests.factories import ReleaseImageFactory
from tests.pressroom.support import embargoed_release, make_journalist, open_access
from tests.public.test_embargo_matrix import (  # the public matrix's release and channels
    LISTINGS,
    embargoed,  # noqa: F401 - the fixture
    marker,
    urls_of_the_release,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "pending", "rejected", "suspended", "outside_beats", "within_beats"]


@pytest.fixture
def readers(embargoed):  # noqa: F811 - the imported fixture
    """A client per persona; the release is open to its beat ("embargo-topic")."""
    open_access(embargoed["release"], beats=("embargo-topic",))
    clients = {"anonymous": Client()}
    journalists = {}
    for persona, status, beats in [
        ("pending", "pending", ("embargo-topic",)),
        ("rejected", "rejected", ("embargo-topic",)),
        ("suspended", "suspended", ("embargo-topic",)),
        ("outside_beats", "approved", ("Energy",)),
        ("within_beats", "approved", ("embargo-topic",)),
    ]:
        journalist = make_journalist(persona, status=status, beats=beats)
        client = Client()
        client.force_login(journalist.user)
        clients[persona], journalists[persona] = client, journalist
    return clients, journalists


def personal_urls(embargoed, journalist) -> list[str]:  # noqa: F811
    """The release's files through the press room's door, signed for ``journalist``."""
    token = make_token(journalist.pk, embargoed["release"].pk)
    image, attachment = embargoed["image"], embargoed["attachment"]
    return [
        f"/press-room/files/{token}/images/{image.pk}/original/",
        f"/press-room/files/{token}/images/{image.pk}/web/",
        f"/press-room/files/{token}/documents/{attachment.pk}/",
        f"/press-room/files/{token}/media-kit.zip",
    ]


def _normalised(content: bytes) -> bytes:
    """A page as everyone sees it: without the per-request CSRF token and nonce."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'nonce="[^"]*"', b"", content)


def test_only_the_journalist_within_the_beats_reads_it_before_the_instant(
    embargoed,  # noqa: F811
    readers,
):
    clients, journalists = readers
    release = embargoed["release"]
    for persona in PERSONAS:
        client = clients[persona]
        allowed = persona == "within_beats"
        page = client.get(release.get_absolute_url())
        assert page.status_code == (200 if allowed else 404), persona
        room = client.get("/press-room/")
        assert (release.slug.encode() in room.content) is allowed, persona
        if persona in journalists:
            for url in personal_urls(embargoed, journalists[persona]):
                assert client.get(url).status_code == (200 if allowed else 404), (persona, url)
        # The public doors stay shut for everyone, the approved journalist too.
        for url in urls_of_the_release(embargoed):
            if url == release.get_absolute_url():
                continue
            assert client.get(url).status_code == 404, (persona, url)


def test_public_channels_never_show_it_early_even_to_the_approved_journalist(
    embargoed,  # noqa: F811
    readers,
):
    clients, _ = readers
    anonymous, within = clients["anonymous"], clients["within_beats"]
    for url in LISTINGS:
        theirs = within.get(url)
        assert theirs.status_code == 200, url
        assert marker(url, embargoed) not in theirs.content, f"leaked to the journalist on {url}"
        # Same answer as anyone's: no facet count, no total, moved by the release.
        assert _normalised(theirs.content) == _normalised(anonymous.get(url).content), url


def test_after_the_instant_everyone_reads_it_at_the_same_address(
    embargoed,  # noqa: F811
    readers,
):
    clients, _ = readers
    release = embargoed["release"]
    with time_machine.travel(embargoed["instant"] + datetime.timedelta(seconds=1), tick=False):
        for persona in PERSONAS:
            page = clients[persona].get(release.get_absolute_url())
            assert page.status_code == 200, persona
            assert b"EMBARGOED UNTIL" not in page.content, persona
            for url in urls_of_the_release(embargoed):
                assert clients[persona].get(url).status_code == 200, (persona, url)


def test_guessed_and_expired_file_urls(embargoed, readers):  # noqa: F811
    clients, journalists = readers
    within, journalist = clients["within_beats"], journalists["within_beats"]
    image = embargoed["image"]
    for guess in ("abc", "e30:1tZ:guess", make_token(journalist.pk, embargoed["release"].pk)[::-1]):
        assert (
            within.get(f"/press-room/files/{guess}/images/{image.pk}/original/").status_code == 404
        )
    urls = personal_urls(embargoed, journalist)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        for url in urls:
            assert within.get(url).status_code == 404, url


def test_another_journalists_link_is_refused(embargoed, readers):  # noqa: F811
    clients, _ = readers
    colleague = make_journalist("colleague", beats=("embargo-topic",))
    for url in personal_urls(embargoed, colleague):
        assert clients["within_beats"].get(url).status_code == 404, url


def test_another_releases_file_with_a_valid_link_is_refused(embargoed, readers):  # noqa: F811
    clients, journalists = readers
    journalist = journalists["within_beats"]
    closed = embargoed_release(tags=("Energy",))  # no advance access at all
    closed_image = ReleaseImageFactory(release=closed)
    token = make_token(journalist.pk, embargoed["release"].pk)
    within = clients["within_beats"]
    assert (
        within.get(f"/press-room/files/{token}/images/{closed_image.pk}/original/").status_code
        == 404
    )
    # A link minted for the closed release (ids tampered with) is refused too.
    forged = make_token(journalist.pk, closed.pk)
    assert (
        within.get(f"/press-room/files/{forged}/images/{closed_image.pk}/original/").status_code
        == 404
    )
    assert within.get(f"/press-room/files/{forged}/media-kit.zip").status_code == 404
    assert within.get(closed.get_absolute_url()).status_code == 404


def test_a_session_from_before_the_suspension_is_refused_on_the_next_request(
    embargoed,  # noqa: F811
    readers,
):
    clients, journalists = readers
    within, journalist = clients["within_beats"], journalists["within_beats"]
    release = embargoed["release"]
    urls = personal_urls(embargoed, journalist)
    assert within.get(release.get_absolute_url()).status_code == 200
    Journalist.objects.filter(pk=journalist.pk).update(status=Journalist.Status.SUSPENDED)
    assert within.get(release.get_absolute_url()).status_code == 404
    for url in urls:
        assert within.get(url).status_code == 404, url
    assert release.slug.encode() not in within.get("/press-room/").content
