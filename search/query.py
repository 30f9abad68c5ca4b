"""Full-text search over the public archive: the query side.

The words a journalist types become ``websearch_to_tsquery`` on PostgreSQL
(ranked with ``ts_rank``, then by date; a trigram fallback on titles when the
words match nothing) and ``icontains`` on SQLite.  How the vector searched
here is built is :mod:`search.vectors`.

Every function takes a queryset the caller got from ``published()``: search
narrows what is public, it never widens it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import TaggedItem

from releases.models import PressRelease, ReleaseOrganisation
from search.vectors import CONFIG, is_postgres

#: Longest query we run; longer input is cut at a word boundary, with a message.
MAX_QUERY_LENGTH = 200
#: Minimum trigram word-similarity for the misspelling fallback.
TRIGRAM_THRESHOLD = 0.3
#: Most matches ranked by relevance.  Ranking needs every match read and
#: scored before the first page can be cut; beyond this many (words found in
#: most of the archive) relevance barely separates the matches anyway, so
#: they are listed newest first, which the date index serves a page at a time.
RANK_LIMIT = 10_000

#: ``memo(name, compute)``: a value computed once per content state (the
#: search view passes ``core.memo.remember`` bound to its request).
Memo = Callable[[str, Callable[[], int]], int]

# Sentinels around highlighted words in ts_headline output.  They are
# private-use characters that survive escape(), so the <mark> tags are added
# only after the text has been escaped: the body cannot inject markup.
_START, _STOP = "\ue000", "\ue001"
_SENTINELS = {ord(_START): None, ord(_STOP): None}


# --------------------------------------------------------------------------
# Querying
# --------------------------------------------------------------------------


def clean_query(raw: str | None) -> tuple[str, str | None]:
    """Normalise what the user typed: no NUL or control characters (PostgreSQL
    refuses NUL in text), collapsed spaces, at most :data:`MAX_QUERY_LENGTH`
    characters.  Returns ``(query, message)``; the message says the query was
    shortened."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    text = " ".join(text.translate(_SENTINELS).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, None
    cut = text[:MAX_QUERY_LENGTH]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut, f"Your search was longer than {MAX_QUERY_LENGTH} characters and was shortened."


@dataclass
class SearchOutcome:
    """What :func:`search` did, for the template.

    ``fuzzy`` is true when the words matched nothing and the results come
    from the misspelling fallback ("showing releases with similar titles").
    ``by_date`` is true when more than :data:`RANK_LIMIT` releases matched
    and the results are newest first rather than ranked.
    """

    queryset: QuerySet
    query: str
    fuzzy: bool = False
    messages: list[str] = field(default_factory=list)
    by_date: bool = False


def search(qs: QuerySet, query: str, memo: Memo | None = None) -> SearchOutcome:
    """Narrow ``qs`` (a ``published()`` queryset, possibly filtered) to the
    releases matching ``query``, best first.

    Rows of the PostgreSQL results carry ``title_highlighted`` and
    ``excerpt_highlighted`` annotations; use :func:`highlight` to render them.
    An empty query returns ``qs`` newest first.  ``memo`` keeps the number of
    matches (capped) for the content state, so only the first search of a
    query after a change counts them; the caller's memo must key on what
    ``qs`` is (its filters), this function adds the words.
    """
    if not query:
        return SearchOutcome(qs.order_by("-publish_at", "-id"), query)
    if is_postgres():
        return _search_postgres(qs, query, memo)
    return SearchOutcome(_search_fallback(qs, query), query)


def _plain_text(expression) -> Func:
    """SQL that removes HTML tags, so ts_headline sees text, never markup."""
    return Func(
        expression,
        Value(r"<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def count_matches(qs: QuerySet, query: str, cap: int | None = None) -> int:
    """How many releases of ``qs`` match ``query`` on PostgreSQL, counted up
    to ``cap + 1`` only (default :data:`RANK_LIMIT`: a broad match is not
    counted through)."""
    cap = RANK_LIMIT if cap is None else cap
    tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
    return qs.filter(search_vector=tsquery).order_by().values("pk")[: cap + 1].count()


def _search_postgres(qs: QuerySet, query: str, memo: Memo | None = None) -> SearchOutcome:
    tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
    headline_options = {"config": CONFIG, "start_sel": _START, "stop_sel": _STOP}
    # Matching uses the full vector (GIN index); ranking the small one, which
    # is stored in the row (search.vectors), so scoring thousands of matches
    # reads no body vector.
    compute = lambda: count_matches(qs, query)  # noqa: E731
    found = memo(f"search-count:{query}", compute) if memo else compute()
    if found:
        matches = qs.filter(search_vector=tsquery).annotate(
            rank=SearchRank(F("rank_vector"), tsquery),
            title_highlighted=SearchHeadline(
                "title", tsquery, highlight_all=True, **headline_options
            ),
            excerpt_highlighted=SearchHeadline(
                Concat("summary", Value(" "), _plain_text(F("body")), output_field=TextField()),
                tsquery,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **headline_options,
            ),
        )
        if found > RANK_LIMIT:
            return SearchOutcome(matches.order_by("-publish_at", "-id"), query, by_date=True)
        ranked = matches.order_by(F("rank").desc(nulls_last=True), "-publish_at", "-id")
        return SearchOutcome(ranked, query)
    # Nothing matched the words: perhaps a misspelling.  Compare the query
    # with the words of each title (pg_trgm's word_similarity).
    fuzzy = (
        qs.annotate(similarity=TrigramWordSimilarity(query, "title"))
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "-publish_at", "-id")
    )
    return SearchOutcome(fuzzy, query, fuzzy=True)


def _parse_terms(query: str) -> tuple[list[list[str]], list[str]]:
    """A small reading of websearch syntax for the SQLite fallback.

    Returns ``(alternatives, excluded)``: ``alternatives`` is a list of
    AND-groups joined by "or"; quoted phrases stay whole.
    """
    alternatives: list[list[str]] = [[]]
    excluded: list[str] = []
    for match in re.finditer(r'(-?)"([^"]*)"|(-?)(\S+)', query):
        negative = match.group(1) or match.group(3)
        term = (match.group(2) if match.group(2) is not None else match.group(4)).strip('"')
        if not term:
            continue
        if not negative and term.lower() == "or":
            alternatives.append([])
            continue
        (excluded if negative else alternatives[-1]).append(term)
    return [group for group in alternatives if group], excluded


def _term_q(term: str) -> Q:
    release_ct = ContentType.objects.get_for_model(PressRelease)
    in_organisation = ReleaseOrganisation.objects.filter(release=OuterRef("pk")).filter(
        Q(organisation__name__icontains=term) | Q(organisation__acronym__icontains=term)
    )
    in_tag = TaggedItem.objects.filter(
        content_type=release_ct, object_id=OuterRef("pk"), tag__name__icontains=term
    )
    return (
        Q(title__icontains=term)
        | Q(summary__icontains=term)
        | Q(body__icontains=term)
        | Q(dateline_place__icontains=term)
        | Exists(in_organisation)
        | Exists(in_tag)
    )


def _search_fallback(qs: QuerySet, query: str) -> QuerySet:
    """``icontains`` over the same fields; title matches first, then summary."""
    alternatives, excluded = _parse_terms(query)
    if not alternatives and not excluded:
        return qs.order_by("-publish_at", "-id")
    condition = Q()
    for group in alternatives:
        group_q = Q()
        for term in group:
            group_q &= _term_q(term)
        condition |= group_q
    for term in excluded:
        condition &= ~_term_q(term)
    terms = [term for group in alternatives for term in group]
    score = Value(0, output_field=IntegerField())
    for term in terms:
        score = score + Case(
            When(title__icontains=term, then=Value(4)),
            When(summary__icontains=term, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return qs.filter(condition).annotate(rank=score).order_by("-rank", "-publish_at", "-id")


def highlight(text: str | None) -> SafeString:
    """Escape ``text`` (ts_headline output over tag-free text), then turn the
    sentinels into ``<mark>``.  Entities left by the sanitiser (``&amp;``) are
    decoded first so they are not shown doubly escaped."""
    escaped = escape(html.unescape(text or ""))
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))
