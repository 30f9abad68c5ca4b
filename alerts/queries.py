"""A followed list as a stored query: the search app's own parameters.

A subscription stores what the list's URL said (``organisation``, ``tag``,
``partnership``, ``year``, ``month``, ``place`` and the words ``q``), cleaned
and validated by the search app's own functions, so a filter means one thing
on the page and in the e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from search import query as release_search
from search.filters import FILTER_PARAMS, apply_filters

#: Parameters a subscription keeps, in a fixed order (the canonical key).
QUERY_PARAMS = (*FILTER_PARAMS, "q")


@dataclass(frozen=True)
class StoredQuery:
    """The cleaned parameters of a list, its canonical key and a label."""

    params: dict[str, str]
    label: str
    errors: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        query = QueryDict(mutable=True)
        for name in QUERY_PARAMS:
            if self.params.get(name):
                query[name] = self.params[name]
        return query.urlencode()


def read_query(params: Mapping, base: QuerySet) -> StoredQuery:
    """Clean ``params`` (a request's GET) into a :class:`StoredQuery`.

    Only the filters the search app accepted are kept; unknown ones are
    reported in ``errors`` (the page says so) rather than silently widening
    the subscription to everything.
    """
    words, _ = release_search.clean_query(params.get("q") if hasattr(params, "get") else "")
    _, active = apply_filters(base, params)
    kept = active.as_params()
    if words:
        kept["q"] = words
    parts = [f"{item.kind.lower()} “{item.label}”" for item in active]
    if words:
        parts.append(f"matching “{words}”")
    label = "All press releases" if not parts else "Press releases: " + ", ".join(parts)
    return StoredQuery(kept, label[:500], tuple(active.errors))


def narrow(base: QuerySet, params: Mapping[str, str]) -> QuerySet | None:
    """``base`` (from ``published()``) narrowed by a stored query, or
    ``None`` when one of its filters no longer exists (a renamed topic):
    such a subscription matches nothing rather than everything."""
    qs, active = apply_filters(base, params)
    if active.errors or len(active) != len([p for p in params if p != "q"]):
        return None
    words = params.get("q", "")
    if words:
        qs = release_search.search(qs, words).queryset
    return qs
