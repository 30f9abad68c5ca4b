"""Tags and partnerships an imported release probably wants.

A media update never says which of the newsroom's tags it belongs under or
which partnership it announces, so staff added them by hand after every
import, and often forgot (the release then missed the journalists who follow
that topic).  The preview offers them instead, unticked: a suggestion is a
guess, and the person accepts it with one click.

* a tag is suggested when its name occurs in the release's headline or text
  as whole words (``Migration`` in "…of migration policy…");
* a partnership is suggested when at least two of its members are among the
  organisations the release names, or one is and its title occurs in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Count, Q
from taggit.models import Tag

from contacts.models import Organisation, Partnership

#: Tags considered at most (the newsroom's own vocabulary is far smaller).
MAX_TAGS_CONSIDERED = 2000
#: Suggestions shown per release, of each kind.
MAX_SUGGESTIONS = 8


class TagVocabulary:
    """The newsroom's tag names, loaded once per import (one query)."""

    def __init__(self) -> None:
        self.names = list(
            Tag.objects.order_by("name").values_list("name", flat=True)[:MAX_TAGS_CONSIDERED]
        )

    def suggest(self, text: str) -> list[str]:
        """The tag names that occur in ``text`` as whole words, case ignored."""
        found = []
        for name in self.names:
            if name.strip() and re.search(
                r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)", text, re.I
            ):
                found.append(name)
        return found[:MAX_SUGGESTIONS]


def suggest_partnerships(organisations: Iterable[Organisation], text: str) -> list[Partnership]:
    """Existing partnerships linking the organisations a release names."""
    pks = {org.pk for org in organisations if org.pk}
    if not pks:
        return []
    partnerships = (
        Partnership.objects.filter(members__organisation__in=pks)
        .annotate(
            named=Count(
                "members__organisation", filter=Q(members__organisation__in=pks), distinct=True
            )
        )
        .order_by("-named", "title")
        .distinct()[: MAX_SUGGESTIONS * 4]
    )
    lowered = " ".join(text.casefold().split())
    return [
        partnership
        for partnership in partnerships
        if partnership.named >= 2 or " ".join(partnership.title.casefold().split()) in lowered
    ][:MAX_SUGGESTIONS]
