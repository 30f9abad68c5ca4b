"""Tags that name a release's files through the page's door (``file_urls``).

``{% picture_urls image as pic %}`` gives the renditions and the original of
a picture; ``{% document_url attachment %}`` a document;
``{% media_kit_url release %}`` the ZIP of pictures.  Each reads the page's
``file_urls`` (:class:`releases.file_urls.FileUrls`) from the context; a page
that sets none (the public release page) gets the public URLs, so only the
previews have to say anything.
"""

from __future__ import annotations

from typing import Any

from django import template

from releases.file_urls import FileUrls, PictureUrls
from releases.models import PressRelease, ReleaseAttachment, ReleaseImage

register = template.Library()


def _door(context: template.Context, release: PressRelease) -> FileUrls:
    urls: Any = context.get("file_urls")
    return urls if isinstance(urls, FileUrls) else FileUrls.public(release)


@register.simple_tag(takes_context=True)
def picture_urls(context: template.Context, image: ReleaseImage) -> PictureUrls:
    return _door(context, image.release).picture(image)


@register.simple_tag(takes_context=True)
def document_url(context: template.Context, attachment: ReleaseAttachment) -> str:
    return _door(context, attachment.release).attachment(attachment)


@register.simple_tag(takes_context=True)
def contacts_vcard_url(context: template.Context, release: PressRelease) -> str:
    return _door(context, release).contacts_vcard(release)


@register.simple_tag(takes_context=True)
def media_kit_url(context: template.Context, release: PressRelease) -> str:
    return _door(context, release).media_kit
