"""The public finder: the filtered release list and the search page, both with
facet counts, both over ``published()``.  Each language edition's finder
shows its own language's releases (``/ur/search/?q=…`` searches Urdu ones);
the ``language`` filter chooses another or all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from core.memo import remember
from releases.models import PressRelease
from search import query as release_search
from search.filters import apply_filters, faceted_page, read_filters, remembered_filter_context

#: Columns a list item never shows, kept out of the row (TOAST) since the
#: search migration: not loading them spares reading them back.
LISTING_DEFERRED = ("body", "search_vector", "rank_vector")


def _memo(request: HttpRequest):
    """``remember`` bound to this request, for :func:`apply_filters`."""
    return lambda name, compute: remember(request, name, compute)


def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=…&organisation=…&tag=…&year=…``: always 200, whatever the input.

    An empty query lists the latest releases under the filters; a query over
    the length limit is shortened with a message; unknown filter values are
    ignored with a message.
    """
    query, length_message = release_search.clean_query(request.GET.get("q"))
    filtered, active = apply_filters(
        PressRelease.objects.published(),
        request.GET,
        default_language=request.LANGUAGE_CODE,
        memo=_memo(request),
    )
    filters_key = f"search:{active.key}"
    outcome = release_search.search(
        filtered,
        query,
        memo=lambda name, compute: remember(request, f"{filters_key}:{name}", compute),
        language=active.language,
    )
    # for_listing() adds the issuers' prefetch but also an ordering: put the
    # search ranking back after it.
    results = (
        outcome.queryset.for_listing()
        .order_by(*outcome.queryset.query.order_by)
        .defer(*LISTING_DEFERRED)
    )
    page, facets = faceted_page(request, outcome.queryset, results, active, f"search:{query}")
    rows_key = f"{filters_key}:rows:{query}:{page.number}"

    def rows() -> list[PressRelease]:
        # The page's rows with their highlighted excerpts (ts_headline over
        # the body: most of a search's database time) once per content state.
        found = remember(request, rows_key, lambda: list(page.object_list))
        for release in found:
            # Highlighted title and excerpt exist on PostgreSQL full-text matches.
            if getattr(release, "title_highlighted", None) is not None:
                release.title_html = release_search.highlight(release.title_highlighted)
                release.excerpt_html = release_search.highlight(release.excerpt_highlighted)
        return found

    messages = [m for m in (length_message, *active.errors) if m]
    context = {
        "query": query,
        "outcome": outcome,
        "page_obj": page,
        # Called by the template only when the results' remembered HTML is
        # missing: a warm page neither loads nor unpickles a row.
        "results": rows,
        "results_key": rows_key,
        "messages_list": messages,
        "hidden_filters": active.as_params(),
        "page_query": _page_query(request, query, active.as_params()),
        **remembered_filter_context(request, active, facets, f"search:{query}"),
    }
    return render(request, "search/search.html", context)


def _page_query(request: HttpRequest, query: str, filters: dict[str, str]) -> str:
    """The query string that pagination links carry (search words and valid
    filters, without ``page``)."""
    params = QueryDict(mutable=True)
    if query:
        params["q"] = query
    params.update(filters)
    return params.urlencode()


def release_list(request: HttpRequest) -> HttpResponse:
    """All public releases, newest first, a page at a time.

    ``Paginator.get_page`` turns a hostile ``page`` (text, negative, huge)
    into the first or last page instead of an error.
    """
    active = read_filters(request.GET, default_language=request.LANGUAGE_CODE, memo=_memo(request))

    # Built only if the facets or the rows must be computed: a warm page has
    # them (and its HTML) remembered for this content state.
    def filtered() -> QuerySet:
        return active.narrow(PressRelease.objects.published())

    def listing() -> QuerySet:
        return filtered().for_listing().defer(*LISTING_DEFERRED)

    page, facets = faceted_page(request, filtered, listing, active, "release_list")
    # The page's rows (and their issuers) once per content state: a publish,
    # withdrawal or embargo lifting moves the state and so the key.  Called
    # by the template only when the list's remembered HTML is missing.
    rows_key = f"release_list:rows:{active.key}:{page.number}"
    return render(
        request,
        "search/release_list.html",
        {
            "page_obj": page,
            "releases": lambda: remember(request, rows_key, lambda: list(page.object_list)),
            "releases_key": rows_key,
            "messages_list": active.errors,
            **remembered_filter_context(request, active, facets, "release_list"),
        },
    )
