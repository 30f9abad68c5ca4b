"""Which address a page gives to a release's pictures and documents.

The public page, the staff preview and a shareable preview link render the
same templates, but their files live behind different doors:

* public: ``/releases/<slug>/images/…`` — opens only through ``published()``,
  so it answers 404 until the embargo lifts;
* preview link: ``/preview/<token>/files/…`` — opens only while that link may
  show its release (``workflow.preview_link_state``), and only for files of
  that release;
* staff preview: ``/preview/staff/<release id>/files/…`` — opens only for
  signed-in staff who may preview (``workflow.can_preview``).

A :class:`FileUrls` is handed to the template as ``file_urls`` (the release
templates' ``release_files`` filters ask it), so the templates say *which
file* and never *which door*: no ``if is_preview`` around every ``src``.
Without one, the public door is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from releases.renditions import RENDITIONS, SRCSET_RENDITIONS, Rendition, rendition_size

if TYPE_CHECKING:
    from releases.models import PressRelease, PreviewLink, ReleaseAttachment, ReleaseImage


@dataclass(frozen=True)
class PictureUrls:
    """What a template prints for one picture: every rendition and the original."""

    renditions: dict[str, Rendition]
    webp_renditions: dict[str, Rendition]
    original_url: str

    @property
    def srcset(self) -> str:
        """The JPEG widths for ``<img srcset>``: ``url 400w, url 800w, …``."""
        return _srcset(self.renditions)

    @property
    def webp_srcset(self) -> str:
        """The same widths in WebP, for ``<source type="image/webp">``."""
        return _srcset(self.webp_renditions)


def _srcset(renditions: dict[str, Rendition]) -> str:
    """Each width once: a small picture's renditions are all its own size."""
    seen: dict[int, str] = {}
    for name in SRCSET_RENDITIONS:
        rendition = renditions[name]
        seen.setdefault(rendition.width, f"{rendition.url} {rendition.width}w")
    return ", ".join(seen.values())


@dataclass(frozen=True)
class FileUrls:
    """Builds file URLs of one release through one door.

    ``prefix`` picks the URL names (``image``, ``image_format``, ``file``,
    ``media_kit`` in the ``releases`` namespace, each door's names carrying
    its prefix) and ``kwargs`` is what identifies the release to that door.
    """

    prefix: str
    kwargs: tuple[tuple[str, Any], ...]

    @classmethod
    def public(cls, release: PressRelease) -> FileUrls:
        return cls("", (("slug", release.slug),))

    @classmethod
    def preview_link(cls, link: PreviewLink) -> FileUrls:
        return cls("preview_", (("token", link.token),))

    @classmethod
    def staff_preview(cls, release: PressRelease) -> FileUrls:
        return cls("staff_preview_", (("release_pk", release.pk),))

    @property
    def is_public(self) -> bool:
        return self.prefix == ""

    def _reverse(self, name: str, **kwargs: Any) -> str:
        return reverse(f"releases:{self.prefix}{name}", kwargs={**dict(self.kwargs), **kwargs})

    def image(self, image: ReleaseImage, rendition: str = "web", fmt: str = "jpeg") -> str:
        """A rendition ("web", "thumb", "social") or the "original" upload."""
        if fmt != "jpeg" and rendition != "original":
            return self._reverse("image_format", pk=image.pk, rendition=rendition, fmt=fmt)
        return self._reverse("image", pk=image.pk, rendition=rendition)

    def picture(self, image: ReleaseImage) -> PictureUrls:
        """Every URL the picture markup needs (``<picture>``, ``srcset``, download)."""

        def rendition(name: str, fmt: str) -> Rendition:
            spec = RENDITIONS[name]
            width, height = rendition_size(spec, image.width or 0, image.height or 0)
            return Rendition(name, self.image(image, name, fmt), width, height)

        return PictureUrls(
            renditions={name: rendition(name, "jpeg") for name in RENDITIONS},
            webp_renditions={name: rendition(name, "webp") for name in RENDITIONS},
            original_url=self.image(image, "original"),
        )

    def attachment(self, attachment: ReleaseAttachment) -> str:
        return self._reverse("file", pk=attachment.pk)

    @property
    def media_kit(self) -> str:
        return self._reverse("media_kit")

    def contacts_vcard(self, release: PressRelease) -> str:
        """The card of the release's public contacts, or "" where it would not
        open: the public door serves it only while the release is published
        (a withdrawn page keeps its contacts listed, not their card)."""
        if self.is_public and release.status != release.Status.PUBLISHED:
            return ""
        return self._reverse("contacts_vcard")
