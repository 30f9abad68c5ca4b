"""How a release is written into a revision: Django's JSON plus the names of its topics.

django-taggit keeps a release's ``tags`` in a generic through table that
Django's serialisers skip, so a revision could not say which topics the
release had, and neither a restore nor a recovery could bring them back.
This format adds the topic *names* to the release's own row in the
revision (``"tag_names"``).  Names rather than ids: a topic deleted or
renamed since is put back by its name, and nothing else in the revision
depends on it, so a revision always reverts.

Django's deserialiser is called by django-reversion with
``ignorenonexistent=True``, so it skips the extra key; read it with
:func:`tag_names`.  Revisions kept before this format existed are plain
``"json"`` and have no names (:func:`tag_names` returns ``None``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers import json as json_serializer

if TYPE_CHECKING:
    from reversion.models import Version

#: The name the format is registered under (``Version.format``).
FORMAT = "newsroom_release_json"
TAG_NAMES = "tag_names"


class Serializer(json_serializer.Serializer):
    """JSON, with the sorted topic names of an object that has django-taggit ``tags``."""

    def end_object(self, obj: Any) -> None:
        tags = getattr(obj, "tags", None)
        if tags is not None and hasattr(tags, "names") and obj.pk is not None:
            self._current[TAG_NAMES] = sorted(tags.names())
        super().end_object(obj)


Deserializer = json_serializer.Deserializer


def tag_names(version: Version) -> list[str] | None:
    """The topic names a revision holds, or ``None`` if it was kept without them."""
    if version.format != FORMAT:
        return None
    try:
        rows = json.loads(version.serialized_data)
        names = rows[0]["fields"].get(TAG_NAMES)
    except (ValueError, LookupError, TypeError, AttributeError):
        return None
    return [str(name) for name in names] if isinstance(names, list) else None
