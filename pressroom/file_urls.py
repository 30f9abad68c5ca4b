"""The press room's door to an embargoed release's files: signed, short-lived, personal.

The public file URLs stay shut until the embargo lifts (``published()``),
so an embargoed page names its pictures and documents through this door:
``/press-room/files/<token>/…``.  The token is signed with the site's secret
(``django.core.signing``) and carries the journalist's id, the release's id
and its time of issue; it is valid ``PRESSROOM_FILE_URL_MINUTES`` minutes.
Every request is checked again — the token, that the signed-in user is that
journalist and still trusted, and that the release is still open to them —
so a link forwarded, kept past its expiry, or used after a suspension
answers 404 like a guessed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from releases.file_urls import FileUrls

SALT = "pressroom.files"


def make_token(journalist_id: int, release_id: int) -> str:
    return signing.dumps({"j": journalist_id, "r": release_id}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    """(journalist id, release id) from a token still valid, else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PRESSROOM_FILE_URL_MINUTES * 60)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    journalist_id, release_id = data.get("j"), data.get("r")
    if not isinstance(journalist_id, int) or not isinstance(release_id, int):
        return None
    return journalist_id, release_id


@dataclass(frozen=True)
class JournalistFileUrls(FileUrls):
    """:class:`~releases.file_urls.FileUrls` through the press room's door."""

    def _reverse(self, name: str, **kwargs: Any) -> str:
        return reverse(f"pressroom:{name}", kwargs={**dict(self.kwargs), **kwargs})

    @classmethod
    def for_journalist(cls, journalist_id: int, release_id: int) -> JournalistFileUrls:
        return cls("pressroom_", (("token", make_token(journalist_id, release_id)),))

    def contacts_vcard(self, release: Any) -> str:
        """No card before the instant: the contacts are printed on the page."""
        return ""
