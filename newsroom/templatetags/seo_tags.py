"""``{% release_seo release as seo %}`` for ``releases/_meta.html``."""

from django import template

from newsroom.seo import ReleaseMeta, release_meta
from releases.models import PressRelease

register = template.Library()


@register.simple_tag
def release_seo(release: PressRelease) -> ReleaseMeta:
    return release_meta(release)
