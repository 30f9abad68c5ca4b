"""Which PostgreSQL text search configuration reads each language.

One place: a release is indexed with its own language's configuration, and a
search in a language edition is parsed with it.  English is stemmed
(``english``: "floods" finds "flood"); PostgreSQL has no Urdu stemmer, so
Urdu is read word by word (``simple``, after :mod:`search.normalise`), with
trigrams for near-miss spellings.  Any language not listed falls back to
``simple``.  A language added to ``NEWSROOM_LANGUAGES`` that PostgreSQL can
stem gets an entry here (``"fr": "french"``), keyed by the language code or
by its base language (``en`` covers ``en-gb``); changing an entry needs
``manage.py rebuild_search_vectors``.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Value, When

from core.i18n import language_codes

#: Language (base code) → text search configuration.
CONFIGS: dict[str, str] = {"en": "english", "ur": "simple"}
#: What a language without an entry is read with.
FALLBACK = "simple"


def config_for(code: str | None) -> str:
    """The configuration for language ``code`` (``simple`` when unknown)."""
    if not code:
        return FALLBACK
    return CONFIGS.get(code) or CONFIGS.get(code.split("-")[0]) or FALLBACK


def configs_in_use() -> list[str]:
    """The distinct configurations of the newsroom's languages, in order:
    what a search across every language must ask in."""
    seen: list[str] = []
    for code in language_codes():
        config = config_for(code)
        if config not in seen:
            seen.append(config)
    return seen


def config_expression(field: str = "language") -> Case:
    """The configuration of each row, from its ``language`` column: one
    ``CASE`` over the known languages, ``simple`` for any other (Django's
    ``SearchConfig`` casts it to ``regconfig``)."""
    whens = [When(**{field: code}, then=Value(config_for(code))) for code in language_codes()]
    return Case(*whens, default=Value(FALLBACK), output_field=CharField())
