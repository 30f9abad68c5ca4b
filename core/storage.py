"""Files on an object store: hand out a short-lived signed URL instead of streaming.

With media on S3 (``NEWSROOM_S3_BUCKET``) the bucket is private, so an
object's plain URL answers 403 to everyone.  A file door that has decided a
viewer may have a file (the release is ``published()``, or a preview link or
staff may preview it) answers with a redirect to a presigned URL that lives
``NEWSROOM_S3_SIGNED_URL_SECONDS``: nodes never stream the bytes, and a URL
copied out of an embargoed preview is dead within a minute.  On the local
filesystem there is no such URL and the doors stream the file as before.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.http import HttpResponseRedirect


def signs_urls(storage: Storage) -> bool:
    """True for a storage whose URLs are presigned (django-storages' S3 backend)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def signed_redirect(
    storage: Storage, name: str, *, filename: str, content_type: str, as_attachment: bool
) -> HttpResponseRedirect | None:
    """A redirect to a signed URL of ``name``, or None where the storage signs nothing.

    The URL makes the store answer with the file's own name and type, as the
    streamed answer did.  The redirect is ``private, no-store``: a shared
    cache must never keep a signed URL, nor hand it to someone else.
    """
    if not signs_urls(storage):
        return None
    disposition = "attachment" if as_attachment else "inline"
    url = storage.url(
        name,
        parameters={
            "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
            "ResponseContentType": content_type,
        },
        expire=settings.NEWSROOM_S3_SIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
