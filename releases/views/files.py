"""File URLs of releases: pictures, renditions, documents, media kit.

``MEDIA_URL`` is never served: every file goes through these views, and each
one finds the release through ``PressRelease.objects.published()`` *first*.
With media on S3 the view, having checked, redirects to a signed URL that
lives a minute (``core.storage.signed_redirect``) instead of streaming.
A draft, embargoed or withdrawn release's files therefore answer 404 — the
same answer as a file that does not exist, so a guessed URL learns nothing.

Responses are cacheable by anyone (``public``) but only for a few minutes,
so a withdrawal reaches shared caches quickly; the ETag (the original's
checksum) makes revalidation cheap.

The ``serve_*`` functions answer for a release someone else has already
allowed: the public views here (through ``published()``) and the preview
views (``releases.views.previews``: a live preview link, or staff who may
preview), whose answers are ``private, no-store`` and ``noindex``.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from core.http import public_cache_exempt
from core.storage import signed_redirect
from releases.documents import document_response
from releases.models import PressRelease, ReleaseAttachment, ReleaseImage
from releases.renditions import FORMATS, IMAGE_VARIANTS, ensure_rendition

#: Media kits are assembled in memory up to this size, then on disk.
ZIP_SPOOL_BYTES = 16 * 1024 * 1024


def _max_age() -> int:
    return settings.NEWSROOM_MEDIA_MAX_AGE


def _public_release(slug: str) -> PressRelease:
    """The release, if the public may see it now; otherwise 404."""
    return get_object_or_404(PressRelease.objects.published().only("pk", "slug"), slug=slug)


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=_max_age())
    return response


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    response = get_conditional_response(request, etag=etag)
    return _finish(response, etag) if response is not None else None


def _private(response: HttpResponse) -> HttpResponse:
    """A preview's file: for this viewer only, never stored, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_image(
    request: HttpRequest,
    release: PressRelease,
    pk: int,
    rendition: str,
    fmt: str = "jpeg",
    *,
    private: bool = False,
) -> HttpResponse:
    """The original upload (as an attachment) or a rendition (inline) of a
    picture of ``release`` — whoever called has decided ``release`` may be seen.

    ``private`` answers for a preview: no ETag, ``private, no-store``.
    """
    if rendition not in IMAGE_VARIANTS or fmt not in FORMATS:
        raise Http404("No such rendition.")
    if rendition == "original" and "fmt" in request.resolver_match.kwargs:
        raise Http404("The original is served as uploaded.")
    image = get_object_or_404(ReleaseImage.objects.filter(release=release), pk=pk)
    image.release = release  # for download_filename, without a query
    if not image.checksum:
        image.refresh_file_facts(save=True)
    etag = f'"{image.checksum[:32]}-{rendition}-{fmt}"'
    if not private and (cached := _not_modified(request, etag)) is not None:
        return cached
    try:
        if rendition == "original":
            redirect = signed_redirect(
                image.image.storage,
                image.image.name,
                filename=image.download_filename,
                content_type=image.content_type,
                as_attachment=True,
            )
            if redirect is not None:
                return redirect
            response = FileResponse(
                image.image.open("rb"),
                as_attachment=True,
                filename=image.download_filename,
                content_type=image.content_type,
            )
        else:
            name = ensure_rendition(image, rendition, fmt)
            stem = image.download_filename.rsplit(".", 1)[0]
            redirect = signed_redirect(
                default_storage,
                name,
                filename=f"{stem}-{rendition}.{FORMATS[fmt][0]}",
                content_type=FORMATS[fmt][1],
                as_attachment=False,
            )
            if redirect is not None:
                return redirect
            response = FileResponse(
                default_storage.open(name, "rb"),
                filename=f"{stem}-{rendition}.{FORMATS[fmt][0]}",
                content_type=FORMATS[fmt][1],
            )
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    return _private(response) if private else _finish(response, etag)


def serve_attachment(
    request: HttpRequest, release: PressRelease, pk: int, *, private: bool = False
) -> HttpResponse:
    """A document of ``release``, always as a download (see :func:`serve_image`)."""
    attachment = get_object_or_404(ReleaseAttachment.objects.filter(release=release), pk=pk)
    attachment.release = release
    stamp = f"{attachment.pk}-{attachment.file.name}-{attachment.file_size}"
    etag = f'"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"'
    if not private and (cached := _not_modified(request, etag)) is not None:
        return cached
    redirect = signed_redirect(
        attachment.file.storage,
        attachment.file.name,
        filename=attachment.download_filename,
        content_type=attachment.content_type,
        as_attachment=True,
    )
    if redirect is not None:
        return redirect
    response = document_response(attachment)
    return _private(response) if private else _finish(response, etag)


@public_cache_exempt
@require_safe
def image_file(
    request: HttpRequest, slug: str, pk: int, rendition: str, fmt: str = "jpeg"
) -> HttpResponse:
    """A picture of a public release: the original or a rendition."""
    if rendition not in IMAGE_VARIANTS or fmt not in FORMATS:
        raise Http404("No such rendition.")
    return serve_image(request, _public_release(slug), pk, rendition, fmt)


@public_cache_exempt
@require_safe
def attachment_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A document of a public release, always as a download."""
    return serve_attachment(request, _public_release(slug), pk)


def credits_text(
    request: HttpRequest,
    release: PressRelease,
    images: list[ReleaseImage],
    *,
    embargo_line: str = "",
) -> str:
    """The CREDITS.txt of a media kit: what each file is and how to credit it.

    ``embargo_line`` (the press room's kit of a release still under embargo)
    heads the file, so the warning travels with the pictures.
    """
    published = timezone.localtime(release.publish_at) if release.publish_at else None
    lines = [embargo_line, ""] if embargo_line else []
    lines += [
        release.title,
        request.build_absolute_uri(release.get_absolute_url()),
    ]
    if published:
        lines.append(f"Published: {published:%-d %B %Y, %H:%M %Z}")
    lines += [
        "",
        "Pictures in this media kit are the high-resolution originals.",
        "Always print the credit given for each picture.",
        "",
    ]
    for image in images:
        lines += [
            image.download_filename,
            f"  Caption: {image.caption}",
            f"  Credit: {image.credit}",
            f"  Usage terms: {image.usage_terms}",
            f"  Size: {image.width}×{image.height} pixels",
            "",
        ]
    return "\n".join(lines)


@public_cache_exempt
@require_safe
def media_kit(request: HttpRequest, slug: str) -> HttpResponse:
    """A ZIP of every original picture of a public release, with CREDITS.txt."""
    release = get_object_or_404(PressRelease.objects.published(), slug=slug)
    return serve_media_kit(request, release)


def serve_media_kit(
    request: HttpRequest, release: PressRelease, *, private: bool = False, embargo_line: str = ""
) -> HttpResponse:
    """A ZIP of every original picture of ``release``, with CREDITS.txt.

    Built in a spooled temporary file (memory, then disk) rather than held
    in memory whole: twenty 15 MB pictures must not take a worker's RAM.
    JPEGs are already compressed, so pictures are stored, not deflated.
    """
    images = list(release.images.all())
    if not images:
        raise Http404("This release has no pictures.")
    for image in images:
        image.release = release
    credits = credits_text(request, release, images, embargo_line=embargo_line)
    digest = hashlib.sha256(credits.encode())
    for image in images:
        digest.update(image.checksum.encode())
    etag = f'"{digest.hexdigest()[:32]}"'
    if not private and (cached := _not_modified(request, etag)) is not None:
        return cached

    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    # A draft in preview has no embargo yet: its kit is dated now.
    stamp = timezone.localtime(release.publish_at or timezone.now()).timetuple()[:6]
    try:
        with zipfile.ZipFile(spool, "w") as archive:
            for image in images:
                info = zipfile.ZipInfo(image.download_filename, date_time=stamp)
                info.compress_type = zipfile.ZIP_STORED
                with image.image.open("rb") as source, archive.open(info, "w") as target:
                    for chunk in iter(lambda src=source: src.read(1024 * 1024), b""):
                        target.write(chunk)
            info = zipfile.ZipInfo("CREDITS.txt", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, credits.encode("utf-8"))
    except FileNotFoundError as exc:
        spool.close()
        raise Http404("A picture of this release is missing.") from exc
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"{release.slug}-media-kit.zip",
        content_type="application/zip",
    )
    return _private(response) if private else _finish(response, etag)
