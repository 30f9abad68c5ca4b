"""Full-text search over the public archive.

On PostgreSQL every release carries a weighted ``search_vector``:

* A — the title;
* B — the summary;
* C — the issuing organisations' names and acronyms, the tags and the
  dateline place;
* D — the body.

The vector is rebuilt by a single ``UPDATE`` (sub-selects gather the issuers
and the tags inside the database, so there is no read-modify-write race) on
every save of a release, and whenever its issuers or tags change — including
an organisation or a tag being renamed.  A generated column cannot do this
because it cannot look at other tables.  The query side uses
``websearch_to_tsquery`` (``"exact phrase"``, ``-word``, ``or``), ranks with
``ts_rank`` then by date, and falls back to trigram similarity on the title
when the words match nothing (a misspelt "Balochsitan" still finds
"Balochistan").

On SQLite (development and the default test run) the same public interface
works with ``icontains`` over the same fields, ranking title matches first.

Every function takes a queryset the caller got from ``published()``: search
narrows what is public, it never widens it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag, TaggedItem

from contacts.models import Organisation
from releases.models import PressRelease, ReleaseOrganisation

#: Longest query we run; longer input is cut at a word boundary, with a message.
MAX_QUERY_LENGTH = 200
#: Text-search configuration (stemming "floods" → "flood").
CONFIG = "english"
#: Minimum trigram word-similarity for the misspelling fallback.
TRIGRAM_THRESHOLD = 0.3

# Sentinels around highlighted words in ts_headline output.  They are
# private-use characters that survive escape(), so the <mark> tags are added
# only after the text has been escaped: the body cannot inject markup.
_START, _STOP = "\ue000", "\ue001"
_SENTINELS = {ord(_START): None, ord(_STOP): None}

#: Fields of a release whose change must rebuild the vector.
_VECTOR_FIELDS = {"title", "summary", "body", "dateline_place"}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --------------------------------------------------------------------------
# Keeping the vector current (PostgreSQL)
# --------------------------------------------------------------------------


def _search_vector_expression() -> SearchVector:
    """The weighted vector of the row being updated, built in SQL."""
    release_ct = ContentType.objects.get_for_model(PressRelease)
    organisations = (
        ReleaseOrganisation.objects.filter(release=OuterRef("pk"))
        .order_by()
        .values("release")
        .annotate(
            text=StringAgg(
                Concat(
                    "organisation__name",
                    Value(" "),
                    "organisation__acronym",
                    output_field=TextField(),
                ),
                delimiter=" ",
            )
        )
        .values("text")
    )
    tags = (
        TaggedItem.objects.filter(content_type=release_ct, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(text=StringAgg("tag__name", delimiter=" "))
        .values("text")
    )
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector(
            Coalesce(Subquery(organisations), Value(""), output_field=TextField()),
            Coalesce(Subquery(tags), Value(""), output_field=TextField()),
            "dateline_place",
            weight="C",
            config=CONFIG,
        )
        # ts_vector's parser drops HTML tags by itself.
        + SearchVector("body", weight="D", config=CONFIG)
    )


def update_search_vectors(release_ids: Iterable[int] | QuerySet | None = None) -> int:
    """Rebuild the vector of the given releases (all when ``None``) in one
    statement; a no-op off PostgreSQL.  Returns the number of rows updated."""
    if not is_postgres():
        return 0
    qs = PressRelease.objects.all()
    if release_ids is not None:
        qs = qs.filter(pk__in=release_ids)
    return qs.update(search_vector=_search_vector_expression())


@receiver(post_save, sender=PressRelease, dispatch_uid="search_release_saved")
def _release_saved(sender, instance: PressRelease, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & _VECTOR_FIELDS):
        return
    update_search_vectors([instance.pk])


@receiver(post_save, sender=ReleaseOrganisation, dispatch_uid="search_issuer_saved")
@receiver(post_delete, sender=ReleaseOrganisation, dispatch_uid="search_issuer_deleted")
def _issuer_changed(sender, instance: ReleaseOrganisation, raw=False, **kwargs):
    # Issuer rows are created directly by admin inlines and factories, which
    # never send m2m_changed, so the rows' own signals are watched too.
    if not raw:
        update_search_vectors([instance.release_id])


@receiver(post_save, sender=TaggedItem, dispatch_uid="search_taggeditem_saved")
@receiver(post_delete, sender=TaggedItem, dispatch_uid="search_taggeditem_deleted")
def _tagged_item_changed(sender, instance: TaggedItem, raw=False, **kwargs):
    if raw or instance.content_type_id != ContentType.objects.get_for_model(PressRelease).pk:
        return
    update_search_vectors([instance.object_id])


@receiver(m2m_changed, sender=PressRelease.organisations.through, dispatch_uid="search_orgs_m2m")
@receiver(m2m_changed, sender=PressRelease.tags.through, dispatch_uid="search_tags_m2m")
def _release_m2m_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    """``release.organisations.add()`` / ``release.tags.set()`` and friends.

    taggit sends m2m_changed from ``tags.add``/``remove``/``clear``; the
    reverse side (``organisation.releases.add(...)``) passes the *other*
    model as ``instance``.
    """
    if not action.startswith("post_"):
        return
    if not reverse and isinstance(instance, PressRelease):
        update_search_vectors([instance.pk])
    elif isinstance(instance, Organisation):
        update_search_vectors(PressRelease.objects.filter(organisations=instance).values("pk"))
    elif pk_set:
        update_search_vectors(pk_set)


@receiver(post_save, sender=Organisation, dispatch_uid="search_organisation_renamed")
def _organisation_saved(sender, instance: Organisation, created: bool, raw=False, **kwargs):
    if raw or created:
        return
    update_search_vectors(PressRelease.objects.filter(organisations=instance).values("pk"))


@receiver(post_save, sender=Tag, dispatch_uid="search_tag_renamed")
def _tag_saved(sender, instance: Tag, created: bool, raw=False, **kwargs):
    if raw or created:
        return
    release_ct = ContentType.objects.get_for_model(PressRelease)
    update_search_vectors(
        TaggedItem.objects.filter(tag=instance, content_type=release_ct).values("object_id")
    )


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
    """

    queryset: QuerySet
    query: str
    fuzzy: bool = False
    messages: list[str] = field(default_factory=list)


def search(qs: QuerySet, query: str) -> SearchOutcome:
    """Narrow ``qs`` (a ``published()`` queryset, possibly filtered) to the
    releases matching ``query``, best first.

    Rows of the PostgreSQL results carry ``title_highlighted`` and
    ``excerpt_highlighted`` annotations; use :func:`highlight` to render them.
    An empty query returns ``qs`` newest first.
    """
    if not query:
        return SearchOutcome(qs.order_by("-publish_at", "-id"), query)
    if is_postgres():
        return _search_postgres(qs, query)
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


def _search_postgres(qs: QuerySet, query: str) -> SearchOutcome:
    tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
    headline_options = {"config": CONFIG, "start_sel": _START, "stop_sel": _STOP}
    matches = (
        qs.filter(search_vector=tsquery)
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery),
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
        .order_by("-rank", "-publish_at", "-id")
    )
    if matches.exists():
        return SearchOutcome(matches, query)
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
