"""A preview's pictures and documents open through the preview's own doors only.

Issue 12, item 5: a preview (staff, or a signed link for a partner) shows
exactly what will be published, pictures and documents included, through
URLs only that preview can open; the public file URLs stay shut until the
embargo lifts (the no-leak tests in ``test_previews_and_inputs`` and the
embargo matrix keep those).
"""

from __future__ import annotations

import datetime
import re
import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from releases import workflow
from releases.file_urls import FileUrls
from releases.models import PressRelease, PreviewLink, ReleaseAttachment
from releases.roles import PUBLISHER, WRITER
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PressReleaseFactory,
    ReleaseImageFactory,
)
from tests.files.support import pdf_bytes
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db

Status = PressRelease.Status
#: Every file address a page prints: <img src>, srcset and <source srcset>, download links.
FILE_URL = re.compile(r'(?:src|href)="(/[^"]+)"|(/[^\s",]+/(?:images|files)/[^\s",]+)')


@pytest.fixture
def writer(db):
    return make_user(WRITER, "writer")


@pytest.fixture
def publisher(db):
    return make_user(PUBLISHER, "publisher")


def embargoed_release(author, slug: str = "quillbrook-accord") -> PressRelease:
    release = PressReleaseFactory(
        slug=slug,
        title="Quillbrook accord",
        created_by=author,
        organisations=[OrganisationFactory()],
        contacts=[MediaContactFactory()],
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    ReleaseImageFactory(release=release, is_lead=True)
    ReleaseImageFactory(release=release)
    ReleaseAttachment.objects.create(
        release=release, title="Signed text", file=ContentFile(pdf_bytes(), name="text.pdf")
    )
    return release


def file_urls_in(html: str) -> set[str]:
    """Addresses of pictures, renditions, documents and the media kit in a page."""
    found = set()
    for match in FILE_URL.finditer(html):
        url = match.group(1) or match.group(2)
        if url.startswith("//"):  # inside an absolute URL (og:image): not a file link
            continue
        if url.startswith("/contacts/"):  # a public contact's own card: the address book's
            continue
        if "/images/" in url or "/files/" in url or url.endswith((".zip", ".vcf")):
            found.add(url)
    return found


def assert_private(response) -> None:
    assert response.status_code == 200, response
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "ETag" not in response


def fetch(client, url: str):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        response.body = b"".join(response.streaming_content)
    return response


def public_addresses(release: PressRelease) -> set[str]:
    urls = FileUrls.public(release)
    found = {urls.media_kit, urls.contacts_vcard(release)}
    for image in release.images.all():
        picture = urls.picture(image)
        found.add(picture.original_url)
        found |= {r.url for r in picture.renditions.values()}
        found |= {r.url for r in picture.webp_renditions.values()}
    found |= {urls.attachment(a) for a in release.attachments.all()}
    return found


def test_a_preview_link_shows_every_file_through_its_own_addresses(client, writer, publisher):
    release = embargoed_release(writer)
    link = workflow.create_preview_link(release, publisher)
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200
    urls = file_urls_in(page.text)
    prefix = f"/preview/{link.token}/files/"
    # Two pictures × (3 renditions × 2 formats − the unused social ones) + originals,
    # one document and the media kit: every one through the link's door.
    assert urls, page.text
    assert all(url.startswith(prefix) for url in urls), urls
    assert any("/webp/" in url for url in urls)  # the <source srcset> too
    assert f"{prefix}media-kit.zip" in urls
    assert f"{prefix}contacts.vcf" in urls
    assert not public_addresses(release) & urls
    for url in urls:
        response = fetch(client, url)
        assert_private(response)
    kit = fetch(client, f"{prefix}media-kit.zip")
    assert len(zipfile.ZipFile(BytesIO(kit.body)).namelist()) == 3  # 2 pictures + CREDITS
    original = fetch(client, next(u for u in urls if u.endswith("/original/")))
    assert original["Content-Disposition"].startswith("attachment")
    assert original.body.startswith(b"\xff\xd8")  # the JPEG as uploaded
    # The public doors stay shut until the embargo lifts.
    for url in public_addresses(release):
        assert client.get(url).status_code == 404, url


def test_a_link_opens_only_the_files_of_its_own_release(client, writer, publisher):
    release = embargoed_release(writer)
    other = embargoed_release(writer, slug="another-accord")
    link = workflow.create_preview_link(release, publisher)
    theirs = FileUrls.preview_link(link)
    other_image = other.images.first()
    other_document = other.attachments.first()
    assert client.get(theirs.image(other_image, "web")).status_code == 404
    assert client.get(theirs.image(other_image, "original")).status_code == 404
    assert client.get(theirs.attachment(other_document)).status_code == 404
    mine = theirs.image(release.images.first(), "web")
    assert client.get(mine).status_code == 200
    assert client.get(mine.replace(link.token, "x" * 43)).status_code == 404


@pytest.mark.parametrize("end", ["revoked", "expired", "withdrawn", "removed"])
def test_a_link_s_files_die_with_the_link(client, writer, publisher, end):
    release = embargoed_release(writer)
    link = workflow.create_preview_link(release, publisher)
    urls = FileUrls.preview_link(link)
    addresses = [
        urls.image(release.images.first(), "web"),
        urls.image(release.images.first(), "thumb", "webp"),
        urls.image(release.images.first(), "original"),
        urls.attachment(release.attachments.first()),
        urls.media_kit,
        urls.contacts_vcard(release),
    ]
    assert all(client.get(url).status_code == 200 for url in addresses)
    if end == "revoked":
        workflow.revoke_preview_link(link, publisher)
    elif end == "expired":
        PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        PressRelease.objects.filter(pk=release.pk).update(status=end)
    for url in addresses:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"\xff\xd8" not in response.content


def test_staff_preview_uses_staff_only_addresses(client, writer):
    release = embargoed_release(writer)
    client.force_login(writer)
    page = client.get(reverse("admin:releases_pressrelease_preview", args=[release.pk]))
    assert page.status_code == 200
    urls = file_urls_in(page.text)
    assert urls
    assert all(url.startswith(f"/preview/staff/{release.pk}/files/") for url in urls), urls
    for url in urls:
        assert_private(fetch(client, url))
    # Nobody else: a stranger learns nothing, staff without the right are refused.
    stranger = client.__class__()
    for url in urls:
        assert stranger.get(url).status_code == 404
    outsider = make_user(None, "outsider")  # staff, but no role: may not preview
    stranger.force_login(outsider)
    assert {stranger.get(url).status_code for url in urls} == {403}
    # The public doors are still shut for the writer too.
    for url in public_addresses(release):
        assert client.get(url).status_code == 404


def test_the_public_page_keeps_public_addresses(client):
    release = PressReleaseFactory(slug="public-one", contacts=[MediaContactFactory()])
    ReleaseImageFactory(release=release)
    ReleaseAttachment.objects.create(
        release=release, title="Text", file=ContentFile(pdf_bytes(), name="t.pdf")
    )
    urls = file_urls_in(client.get(release.get_absolute_url()).text)
    assert urls
    assert all(url.startswith("/releases/public-one/") for url in urls), urls
    assert "/releases/public-one/contacts.vcf" in urls
    assert all(client.get(url).status_code == 200 for url in urls)
    # A withdrawn page keeps its notice, but offers no file that would not open.
    PressRelease.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN)
    assert not file_urls_in(client.get(release.get_absolute_url()).text)


def test_the_preview_page_runs_a_fixed_number_of_queries(
    client, writer, publisher, django_assert_max_num_queries
):
    release = embargoed_release(writer)
    link = workflow.create_preview_link(release, publisher)
    client.get(link.get_absolute_url())
    for _ in range(3):
        ReleaseImageFactory(release=release)
    with django_assert_max_num_queries(16):
        assert client.get(link.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("first", ["preview", "public"])
def test_the_remembered_public_article_and_a_preview_never_share_html(client, writer, first):
    """The public page keeps its article's HTML per content state
    (``{% remember %}``, issue #17); a staff preview of the same published
    release renders the same template with staff-only file addresses.  In
    either order, neither page may be served the other's HTML."""
    release = PressReleaseFactory(
        slug="shared-article", created_by=writer, contacts=[MediaContactFactory()]
    )
    ReleaseImageFactory(release=release, is_lead=True)
    staff = client.__class__()
    staff.force_login(writer)
    preview_url = reverse("admin:releases_pressrelease_preview", args=[release.pk])
    pages = {}
    for name in (first, "public" if first == "preview" else "preview"):
        for _ in range(2):  # the second from the memo, if anything is kept
            if name == "public":
                pages[name] = client.get(release.get_absolute_url()).text
            else:
                pages[name] = staff.get(preview_url).text
    public, preview = file_urls_in(pages["public"]), file_urls_in(pages["preview"])
    assert public and preview
    assert all(url.startswith("/releases/shared-article/") for url in public), public
    assert all(url.startswith(f"/preview/staff/{release.pk}/files/") for url in preview), preview
