"""Filters and facet counts for release lists, independent of any view.

Both the search page and the ``/releases/`` list use them::

    qs, active = apply_filters(PressRelease.objects.published(), request.GET)
    facets = facet_counts(qs)

Parameters (all optional, combinable): ``organisation`` or ``org``
(organisation slug; one filter, two spellings — see ``core.params``), ``tag``
(tag slug), ``partnership`` (partnership slug), ``year``, ``month`` (1 to 12,
with a year), ``place`` (dateline place) and ``language`` (a language code,
or ``all``): the API's names for the filters it shares with the site.  A
list or search page under a language prefix shows that edition's language
unless ``language`` says otherwise (``default_language``).  An unknown slug or a bad number
is ignored and reported in ``active.errors``: a journalist's mistyped URL
gives a message, never a 500.  Only public things are known (``releases.public``):
a label must not name a topic or issuer that only unpublished releases use.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, F, QuerySet, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy

from contacts.models import Partnership
from core.i18n import html_lang, is_rtl, language_codes, name_local
from core.memo import remember
from core.params import canonical_name, filter_spelling
from releases.models import PressRelease, ReleaseOrganisation
from releases.public import public_issuers, public_topics, release_tags

#: How the links this module writes spell the organisation filter: its
#: canonical name, as in the API.  The old ``org`` is still read
#: (``core.params``), so links in the wild keep working.
ORGANISATION_PARAM = canonical_name("org")
#: Query-string parameters this module reads (a view keeps them across pages),
#: as the links it writes spell them.
FILTER_PARAMS = (ORGANISATION_PARAM, "tag", "partnership", "year", "month", "place", "language")
#: The language filter's value for "every language", and its label.
ALL_LANGUAGES = "all"
ALL_LANGUAGES_LABEL = gettext_lazy("All languages")
#: Longest value considered; longer ones cannot be a slug or a place.
MAX_VALUE_LENGTH = 200
#: Facet lists are cut to this many entries (most frequent first).
FACET_LIMIT = 30
MIN_YEAR, MAX_YEAR = 1900, 2100


def month_name(month: int) -> str:
    """The month's name in the active language (Django's own translations)."""
    return str(MONTH_NAMES[month])


@dataclass(frozen=True)
class ActiveFilter:
    """One filter in force: ``param=value`` shown to the reader as ``label``."""

    param: str
    value: str
    label: str
    kind: str


@dataclass
class ActiveFilters:
    """The filters applied, in order, and messages about ignored ones."""

    items: list[ActiveFilter] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The language whose releases are shown (``None``: every language):
    #: the ``language`` parameter, else the edition's default.
    language: str | None = None
    #: How each filter narrows a queryset, in order (:meth:`narrow`).
    steps: list[Callable[[QuerySet], QuerySet]] = field(default_factory=list, repr=False)

    def __getstate__(self) -> dict:
        # Kept in the memo with a filter panel's context: the steps are
        # closures, and a kept value never narrows anything.
        return {**self.__dict__, "steps": []}

    def narrow(self, qs: QuerySet) -> QuerySet:
        """``qs`` (a ``published()`` queryset) narrowed by these filters."""
        for step in self.steps:
            qs = step(qs)
        return qs

    @property
    def key(self) -> str:
        """What the filtered queryset depends on, for remembered values:
        the valid filters *and* the language in force, which the page's
        address may set without a parameter (``/ur/search/``)."""
        return f"{sorted(self.as_params().items())}:{self.language or ALL_LANGUAGES}"

    def __iter__(self) -> Iterator[ActiveFilter]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_params(self) -> dict[str, str]:
        """The applied filters as query parameters (for hidden form fields)."""
        return {item.param: item.value for item in self.items}

    @property
    def values(self) -> dict[str, str]:
        return self.as_params()


def _param(params: Mapping, name: str) -> str:
    """A single, cleaned value: the last one given, no control characters
    (PostgreSQL refuses NUL), no surrounding spaces.  ``name`` may be any
    spelling of the filter (``org`` or ``organisation``)."""
    name = filter_spelling(params, name)
    if hasattr(params, "getlist"):
        values = params.getlist(name)
        value = values[-1] if values else ""
    else:
        value = params.get(name, "")
    value = "".join(ch for ch in str(value or "") if ch.isprintable()).strip()
    return value


def _int(value: str, low: int, high: int) -> int | None:
    if not value.isascii() or not value.isdigit() or len(value) > 4:
        return None
    number = int(value)
    return number if low <= number <= high else None


#: How a caller keeps a value derived from public content:
#: ``memo(name, compute)`` returns ``compute()`` or a copy kept for the
#: current content state (``core.memo.remember`` bound to the request).
Memo = Callable[[str, Callable[[], object]], object]


def _computed(name: str, compute: Callable[[], object]) -> object:
    """The memo of a caller that keeps nothing (the API, alerts, tests)."""
    return compute()


def _public_slug(
    memo: Memo, kind: str, slug: str, lookup: Callable[[str], tuple[int, str, str] | None]
) -> tuple[int, str, str] | None:
    """``(pk, slug, label)`` of the public thing a filter names, or ``None``.

    "Public" is decided over the whole archive (an organisation that issued
    a release the public may see, a topic a published release carries): on
    100,000 releases that question is the filtered list's biggest cost, so a
    page asks it through ``memo``, once per content state and slug.  A
    publish or an embargo lifting moves the state, so a topic becomes
    filterable at the instant its first release is public, not before.
    """
    if len(slug) > MAX_VALUE_LENGTH:
        return None
    return memo(f"filter-slug:{kind}:{slug}", lambda: lookup(slug))  # type: ignore[return-value]


def _issuer(slug: str) -> tuple[int, str, str] | None:
    org = public_issuers().filter(slug=slug).only("name", "acronym", "slug").first()
    return (org.pk, org.slug, org.name) if org else None


def _topic(slug: str) -> tuple[int, str, str] | None:
    tag = public_topics().filter(slug=slug).first()
    return (tag.pk, tag.slug, tag.name) if tag else None


def _partnership(slug: str) -> tuple[int, str, str] | None:
    found = Partnership.objects.public().filter(slug=slug).only("title", "slug").first()
    return (found.pk, found.slug, found.title) if found else None


def apply_filters(
    qs: QuerySet,
    params: Mapping,
    default_language: str | None = None,
    memo: Memo = _computed,
) -> tuple[QuerySet, ActiveFilters]:
    """Narrow ``qs`` (already ``published()``) by the filters in ``params``.

    ``default_language`` is the language shown when ``params`` names none
    (a page's edition); ``None`` shows every language (the API's default).

    Costs at most one query per slug filter used (to read the label and to
    tell an unknown slug from an empty result), none when ``memo`` already
    holds the answer for this content state; the returned queryset is lazy.
    """
    active = read_filters(params, default_language, memo)
    return active.narrow(qs), active


def read_filters(
    params: Mapping, default_language: str | None = None, memo: Memo = _computed
) -> ActiveFilters:
    """The filters of ``params``, checked, with how each narrows a queryset
    (:meth:`ActiveFilters.narrow`), but no queryset built yet.

    A warm list page needs the filters' labels and key, never the queryset:
    its facets, rows and HTML are remembered.  Composing the sub-selects is
    ORM work in Python (a millisecond of a five-millisecond page), so it is
    left to :meth:`ActiveFilters.narrow`, called only on a miss.
    """
    active = ActiveFilters()
    steps = active.steps

    slug = _param(params, ORGANISATION_PARAM)
    if slug:
        org = _public_slug(memo, "organisation", slug, _issuer)
        if org is None:
            active.errors.append(gettext("Unknown organisation: the filter was ignored."))
        else:
            steps.append(
                lambda qs, pk=org[0]: qs.filter(
                    pk__in=ReleaseOrganisation.objects.filter(organisation_id=pk).values(
                        "release_id"
                    )
                )
            )
            active.items.append(
                ActiveFilter(ORGANISATION_PARAM, org[1], org[2], gettext("Organisation"))
            )

    slug = _param(params, "tag")
    if slug:
        tag = _public_slug(memo, "tag", slug, _topic)
        if tag is None:
            active.errors.append(gettext("Unknown topic: the filter was ignored."))
        else:
            steps.append(
                lambda qs, pk=tag[0]: qs.filter(
                    pk__in=release_tags().filter(tag_id=pk).values("object_id")
                )
            )
            active.items.append(ActiveFilter("tag", tag[1], tag[2], gettext("Topic")))

    slug = _param(params, "partnership")
    if slug:
        partnership = _public_slug(memo, "partnership", slug, _partnership)
        if partnership is None:
            active.errors.append(gettext("Unknown partnership: the filter was ignored."))
        else:
            steps.append(
                lambda qs, pk=partnership[0]: qs.filter(
                    pk__in=PressRelease.partnerships.through.objects.filter(
                        partnership_id=pk
                    ).values("pressrelease_id")
                )
            )
            active.items.append(
                ActiveFilter("partnership", partnership[1], partnership[2], gettext("Partnership"))
            )

    raw_year, raw_month = _param(params, "year"), _param(params, "month")
    year = _int(raw_year, MIN_YEAR, MAX_YEAR) if raw_year else None
    if raw_year and year is None:
        active.errors.append(
            gettext("The year must be a number such as 2023: the filter was ignored.")
        )
    if year is not None:
        steps.append(lambda qs, year=year: qs.filter(publish_at__year=year))
        active.items.append(ActiveFilter("year", str(year), str(year), gettext("Year")))
    if raw_month:
        month = _int(raw_month, 1, 12)
        if month is None:
            active.errors.append(gettext("The month must be 1 to 12: the filter was ignored."))
        elif year is None:
            active.errors.append(gettext("Choose a year before a month: the month was ignored."))
        else:
            # A range on publish_at (local time, as ``__month`` would be) so
            # the list index is range-scanned instead of EXTRACT on each row.
            start = timezone.make_aware(datetime.datetime(year, month, 1))
            end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
            steps.append(
                lambda qs, start=start, end=end: qs.filter(
                    publish_at__gte=start, publish_at__lt=end
                )
            )
            active.items.append(
                ActiveFilter("month", str(month), month_name(month), gettext("Month"))
            )

    place = _param(params, "place")
    if place:
        if len(place) > MAX_VALUE_LENGTH:
            active.errors.append(gettext("That place name is too long: the filter was ignored."))
        else:
            steps.append(lambda qs, place=place: qs.filter(dateline_place__iexact=place))
            active.items.append(ActiveFilter("place", place, place, gettext("Place")))

    language = _param(params, "language")
    active.language = default_language
    if language == ALL_LANGUAGES:
        active.language = None
        active.items.append(
            ActiveFilter("language", ALL_LANGUAGES, str(ALL_LANGUAGES_LABEL), gettext("Language"))
        )
    elif language in language_codes():
        active.language = language
        active.items.append(
            ActiveFilter("language", language, name_local(language), gettext("Language"))
        )
    elif language:
        active.errors.append(gettext("Unknown language: the filter was ignored."))
    if active.language:
        steps.append(lambda qs, code=active.language: qs.in_language(code))

    # Slug filters use sub-selects rather than joins: no duplicate rows, so no
    # DISTINCT to fight with the search ranking's ORDER BY.
    return active


@dataclass(frozen=True)
class Facet:
    """One choice in a facet list: the parameter value, its label and count."""

    value: str
    label: str
    count: int


def facet_counts(qs: QuerySet, *, months: bool = True) -> dict[str, list[Facet]]:
    """Counts per organisation, tag, partnership, year, month and dateline
    place for the releases in ``qs``, in ONE query whatever the number of
    releases: six grouped aggregates joined by ``UNION ALL`` (five with
    ``months=False``: the month facet is only offered once a year is chosen).

    One round trip instead of six keeps a cold list or search page within
    its query budget; the per-facet ordering and the :data:`FACET_LIMIT` cut
    are done here in Python (SQLite allows no ORDER BY/LIMIT inside a
    compound query), which costs nothing: a facet has at most as many rows
    as there are organisations, tags, partnerships, years or places.

    The year counts add up to the number of releases in ``qs`` (every public
    release has a ``publish_at``), which spares the paginator its COUNT.

    ``qs`` should be the filtered queryset *before* search ranking is
    annotated (it is used as a sub-select of primary keys).
    """
    ids = qs.order_by().values("pk")
    text = CharField()

    def branch(source: QuerySet, kind: str, value, label, counted: str) -> QuerySet:
        return (
            source.order_by()
            .annotate(
                facet_kind=Value(kind, output_field=text),
                facet_value=Cast(value, output_field=text),
                facet_label=Cast(label, output_field=text),
            )
            .values("facet_kind", "facet_value", "facet_label")
            .annotate(n=Count(counted))
            .values_list("facet_kind", "facet_value", "facet_label", "n")
        )

    # The years and places group the filtered releases themselves: a
    # ``pk IN (…)`` of the same rows made PostgreSQL hash the whole archive
    # once more (a third of a cold list's facets at 100,000 releases).
    base = qs.order_by()
    branches = [
        branch(
            ReleaseOrganisation.objects.filter(release__in=ids),
            "organisations",
            F("organisation__slug"),
            F("organisation__name"),
            "release",  # one row per (release, organisation): no DISTINCT
        ),
        branch(
            release_tags().filter(object_id__in=ids),
            "tags",
            F("tag__slug"),
            F("tag__name"),
            "object_id",  # taggit: one row per (object, tag)
        ),
        branch(
            Partnership.objects.public().filter(releases__in=ids),
            "partnerships",
            F("slug"),
            F("title"),
            "releases",  # one through row per (release, partnership)
        ),
        branch(base, "years", ExtractYear("publish_at"), ExtractYear("publish_at"), "pk"),
        branch(
            base.exclude(dateline_place=""),
            "places",
            F("dateline_place"),
            F("dateline_place"),
            "pk",
        ),
    ]
    if months:
        branches.append(
            branch(base, "months", ExtractMonth("publish_at"), ExtractMonth("publish_at"), "pk")
        )
    rows: dict[str, list[tuple[str, str, int]]] = {
        "organisations": [],
        "tags": [],
        "partnerships": [],
        "years": [],
        "months": [],
        "places": [],
    }
    for kind, value, label, n in branches[0].union(*branches[1:], all=True):
        if value is not None:
            rows[kind].append((str(value), str(label), n))

    def most_frequent(kind: str) -> list[Facet]:
        ordered = sorted(rows[kind], key=lambda row: (-row[2], row[1]))
        return [Facet(value, label, n) for value, label, n in ordered[:FACET_LIMIT]]

    return {
        "organisations": most_frequent("organisations"),
        "tags": most_frequent("tags"),
        "partnerships": most_frequent("partnerships"),
        "years": [
            Facet(value, value, n)
            for value, _, n in sorted(rows["years"], key=lambda row: -int(row[0]))
        ],
        "months": [
            Facet(value, month_name(int(value)), n)
            for value, _, n in sorted(rows["months"], key=lambda row: int(row[0]))
        ],
        "places": most_frequent("places"),
    }


def _url_with(params: Mapping, changes: Mapping[str, str | None]) -> str:
    """``?query`` from ``params`` with ``changes`` applied (``None`` removes a
    key); the page number is always dropped so a new filter starts at page 1."""
    query = QueryDict(mutable=True)
    for name in ("q", *FILTER_PARAMS):
        value = _param(params, name)
        if value:
            query[name] = value
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class LanguageLink:
    """A choice of the language filter: a language by its own name (with its
    ``lang`` and ``dir`` for the template), or every language."""

    code: str
    label: str
    url: str
    selected: bool
    lang: str = ""
    dir: str = ""


def language_links(params: Mapping, active: ActiveFilters) -> list[LanguageLink]:
    """Each language of the newsroom, then "All languages": links that keep
    the words and other filters and mark the language in force."""
    links = [
        LanguageLink(
            code,
            name_local(code),
            _url_with(params, {"language": code}),
            active.language == code,
            html_lang(code),
            "rtl" if is_rtl(code) else "ltr",
        )
        for code in language_codes()
    ]
    links.append(
        LanguageLink(
            ALL_LANGUAGES,
            str(ALL_LANGUAGES_LABEL),
            _url_with(params, {"language": ALL_LANGUAGES}),
            active.language is None,
        )
    )
    return links


@dataclass(frozen=True)
class FacetLink:
    """A facet choice ready for the template: where it links and whether on."""

    label: str
    count: int
    url: str
    selected: bool


def filter_context(params: Mapping, active: ActiveFilters, facets: dict[str, list[Facet]]) -> dict:
    """Everything ``search/_filters.html`` needs, with links prebuilt so the
    template stays simple: a facet link toggles its filter and keeps the
    others and the search words; choosing another year drops the month."""
    current = active.as_params()
    groups = []
    for key, param, title in (
        ("organisations", ORGANISATION_PARAM, gettext("Organisation")),
        ("tags", "tag", gettext("Topic")),
        ("partnerships", "partnership", gettext("Partnership")),
        ("years", "year", gettext("Year")),
        ("months", "month", gettext("Month")),
        ("places", "place", gettext("Place")),
    ):
        if param == "month" and "year" not in current:
            continue
        links = []
        for facet in facets.get(key, []):
            selected = current.get(param, "").lower() == facet.value.lower()
            changes: dict[str, str | None] = {param: None if selected else facet.value}
            if param == "year":
                changes["month"] = None
            links.append(FacetLink(facet.label, facet.count, _url_with(params, changes), selected))
        if links:
            groups.append({"param": param, "title": title, "links": links})
    removals = [
        {
            "filter": item,
            "url": _url_with(
                params, {item.param: None, **({"month": None} if item.param == "year" else {})}
            ),
        }
        for item in active
    ]
    return {
        "facet_groups": groups,
        "language_links": language_links(params, active) if len(language_codes()) > 1 else [],
        "active_filters": active,
        "active_removals": removals,
        "filter_errors": active.errors,
        "clear_filters_url": _url_with(params, dict.fromkeys(FILTER_PARAMS)),
    }


def remembered_filter_context(
    request: HttpRequest, active: ActiveFilters, facets: dict[str, list[Facet]], name: str
) -> dict:
    """:func:`filter_context`, built once per content state and parameters.

    It writes a link per facet choice (up to 180 query strings): a third of
    a warm search page's time.  Its output depends only on the words and
    filter parameters (the values :func:`_url_with` reads), on ``active``
    (those parameters checked against public content) and on ``facets``
    (remembered per state and filters), so those values and the state token
    are the whole key.
    """
    values = tuple(_param(request.GET, param) for param in ("q", *FILTER_PARAMS))
    key = f"{name}:filters:{values}:{active.key}"
    context = remember(request, key, lambda: filter_context(request.GET, active, facets))
    # The same key names the panel's rendered HTML ({% remember %} in the
    # page's template): it depends on nothing else.
    return {**context, "filters_fragment_key": key}


def total_from_facets(facets: dict[str, list[Facet]]) -> int:
    """Number of releases counted by :func:`facet_counts` (sum of the years)."""
    return sum(facet.count for facet in facets["years"])


class CountedPaginator(Paginator):
    """A paginator told its count (from the facets) instead of running COUNT(*),
    which on a 100,000-release archive costs more than the page itself.

    ``object_list`` may be a function that returns the queryset: it is
    called only when the page's rows are read, so a page whose rows (and
    HTML) are remembered builds no queryset at all.
    """

    def __init__(
        self, object_list: QuerySet | Callable[[], QuerySet], per_page: int, *, count: int
    ) -> None:
        self._listing = object_list
        super().__init__([], per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        listing = self._listing
        rows = SimpleLazyObject(lambda: (listing() if callable(listing) else listing)[bottom:top])
        return self._get_page(rows, number, self)


def faceted_page(
    request: HttpRequest,
    qs: QuerySet | Callable[[], QuerySet],
    listing: QuerySet | Callable[[], QuerySet],
    active: ActiveFilters,
    name: str,
) -> tuple[Page, dict[str, list[Facet]]]:
    """Facets and the requested page of ``listing`` (``qs`` ready for display).

    Facet counts are remembered for the current content state
    (``core.memo.remember``): any publish, correction, withdrawal or
    lifted embargo changes the state and so the key.  ``qs`` and
    ``listing`` may be functions returning the querysets, called only when
    the facets or the rows must be computed.
    """
    filters = active.as_params()
    # Keyed on the valid filters only (not the page, not junk parameters), so
    # every page of a listing shares one entry.
    key = f"{name}:{active.key}"
    facets = remember(
        request,
        key,
        lambda: facet_counts(qs() if callable(qs) else qs, months="year" in filters),
    )
    paginator = CountedPaginator(
        listing, settings.NEWSROOM_PAGE_SIZE, count=total_from_facets(facets)
    )
    return paginator.get_page(request.GET.get("page")), facets
