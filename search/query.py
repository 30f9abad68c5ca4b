"""Full-text search over the public archive: the query side.

The words a journalist types are normalised (:mod:`search.normalise`, the
rule the index applies) and become ``websearch_to_tsquery`` on PostgreSQL in
the configuration of the language searched (:mod:`search.languages`; across
every language, one query per configuration joined by "or"), ranked with
``ts_rank``, then by date.  When the words match nothing, trigrams on the
normalised title and summary find near-miss spellings ("سیلاپ" for "سیلاب",
"Balochsitan" for "Balochistan") through the ``release_search_text_trgm``
index.  On SQLite the same interface uses ``icontains`` over normalised
words.  How the vector searched here is built is :mod:`search.vectors`.

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
from django.db.models.lookups import IContains, Lookup
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import TaggedItem

from releases.models import PressRelease, ReleaseOrganisation
from search.languages import config_expression, config_for, configs_in_use
from search.normalise import SQL_FUNCTION, Normalise, normalise
from search.vectors import is_postgres

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
# Zero-width (non-)joiners are not "printable" but are part of an Urdu word
# ("ہو‌گئے"): kept, so the normaliser removes them instead of a space
# splitting the word in two.
_JOINERS = {"\u200c", "\u200d"}


# --------------------------------------------------------------------------
# Querying
# --------------------------------------------------------------------------


def clean_query(raw: str | None) -> tuple[str, str | None]:
    """Normalise what the user typed: no NUL or control characters (PostgreSQL
    refuses NUL in text), collapsed spaces, at most :data:`MAX_QUERY_LENGTH`
    characters.  Returns ``(query, message)``; the message says the query was
    shortened."""
    text = "".join(ch if ch.isprintable() or ch in _JOINERS else " " for ch in (raw or ""))
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
    #: The language searched (``None``: every language).
    language: str | None = None
    messages: list[str] = field(default_factory=list)
    by_date: bool = False


def search(
    qs: QuerySet, query: str, memo: Memo | None = None, language: str | None = None
) -> SearchOutcome:
    """Narrow ``qs`` (a ``published()`` queryset, possibly filtered) to the
    releases matching ``query``, best first.

    ``language`` is the language the words are read in (its configuration:
    English stemmed, Urdu word by word); ``None`` reads them in every
    configuration in use, for a search across every language.  It does not
    filter by language: ``qs`` does (``search.filters``).

    Rows of the PostgreSQL results carry ``title_highlighted`` and
    ``excerpt_highlighted`` annotations; use :func:`highlight` to render them.
    An empty query returns ``qs`` newest first.  ``memo`` keeps the number of
    matches (capped) for the content state, so only the first search of a
    query after a change counts them; the caller's memo must key on what
    ``qs`` is (its filters), this function adds the words.
    """
    if not query:
        return SearchOutcome(qs.order_by("-publish_at", "-id"), query, language=language)
    if is_postgres():
        return _search_postgres(qs, query, memo, language)
    return SearchOutcome(_search_fallback(qs, query), query, language=language)


def text_query(query: str, language: str | None = None) -> SearchQuery:
    """The tsquery for ``query`` (normalised) in ``language``'s configuration,
    or in each configuration in use, joined by "or", when ``language`` is
    ``None``: one constant tsquery either way, so the GIN index serves it."""
    words = normalise(query)
    configs = [config_for(language)] if language else configs_in_use()
    tsquery = SearchQuery(words, search_type="websearch", config=configs[0])
    for config in configs[1:]:
        tsquery = tsquery | SearchQuery(words, search_type="websearch", config=config)
    return tsquery


class SearchText(Func):
    """``search_normalise(title || ' ' || summary)``: written exactly as the
    expression of the ``release_search_text_trgm`` index (search migration
    0001), so the planner can answer a trigram match from it."""

    function = SQL_FUNCTION
    template = "%(function)s((%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("title"), F("summary"))


class WordSimilarTo(Lookup):
    """``text %> 'words'``: pg_trgm's indexable word-similarity operator; its
    threshold is :data:`TRIGRAM_THRESHOLD`, set on each connection
    (``search.apps``)."""

    lookup_name = "word_similar_to"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%> {rhs}", (*lhs_params, *rhs_params)


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


def count_matches(
    qs: QuerySet, query: str, cap: int | None = None, language: str | None = None
) -> int:
    """How many releases of ``qs`` match ``query`` on PostgreSQL, counted up
    to ``cap + 1`` only (default :data:`RANK_LIMIT`: a broad match is not
    counted through)."""
    cap = RANK_LIMIT if cap is None else cap
    tsquery = text_query(query, language)
    return qs.filter(search_vector=tsquery).order_by().values("pk")[: cap + 1].count()


def _search_postgres(
    qs: QuerySet, query: str, memo: Memo | None = None, language: str | None = None
) -> SearchOutcome:
    tsquery = text_query(query, language)
    # Each row's excerpt is cut in its own language's configuration.
    headline_options = {"config": config_expression(), "start_sel": _START, "stop_sel": _STOP}
    # Matching uses the full vector (GIN index); ranking the small one, which
    # is stored in the row (search.vectors), so scoring thousands of matches
    # reads no body vector.
    compute = lambda: count_matches(qs, query, language=language)  # noqa: E731
    found = memo(f"search-count:{language}:{query}", compute) if memo else compute()
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
            return SearchOutcome(
                matches.order_by("-publish_at", "-id"), query, by_date=True, language=language
            )
        ranked = matches.order_by(F("rank").desc(nulls_last=True), "-publish_at", "-id")
        return SearchOutcome(ranked, query, language=language)
    # Nothing matched the words: perhaps a misspelling.  Compare the
    # normalised query with the words of each normalised title and summary
    # (pg_trgm's word similarity).  The operator is answered from the
    # trigram index, so this reads the near matches, not the archive; the
    # similarity is computed again only for those, to order them.
    words = normalise(query)
    fuzzy = (
        qs.filter(WordSimilarTo(SearchText(), Value(words)))
        .annotate(similarity=TrigramWordSimilarity(Value(words), SearchText()))
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "-publish_at", "-id")
    )
    return SearchOutcome(fuzzy, query, fuzzy=True, language=language)


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


def _normalised_contains(field: str, term: str) -> Q:
    """``field`` contains ``term``, both normalised (``search_normalise`` is
    registered on every SQLite connection by ``search.apps``)."""
    return Q(IContains(Normalise(F(field)), Value(normalise(term))))


def _term_q(term: str) -> Q:
    release_ct = ContentType.objects.get_for_model(PressRelease)
    in_organisation = ReleaseOrganisation.objects.filter(release=OuterRef("pk")).filter(
        Q(organisation__name__icontains=term) | Q(organisation__acronym__icontains=term)
    )
    in_tag = TaggedItem.objects.filter(
        content_type=release_ct, object_id=OuterRef("pk"), tag__name__icontains=term
    )
    return (
        _normalised_contains("title", term)
        | _normalised_contains("summary", term)
        | _normalised_contains("body", term)
        | _normalised_contains("dateline_place", term)
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
            When(_normalised_contains("title", term), then=Value(4)),
            When(_normalised_contains("summary", term), then=Value(2)),
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
