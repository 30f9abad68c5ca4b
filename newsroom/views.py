"""Site-wide public views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from contacts.models import Organisation
from core.memo import remember
from releases.models import PressRelease
from releases.models.release import edition_language

#: How many releases the home page leads with; the list page has the rest.
HOME_LATEST_COUNT = 8


def home(request: HttpRequest) -> HttpResponse:
    """Latest releases first: a journalist arriving wants what is new.

    The organisations list is small and bounded by what admins curate, so it
    is shown in full; both lists run a fixed number of queries.
    """
    # Both lists are the same for every visitor until something public
    # changes: loaded once per content state (core.memo), whose token moves
    # with every publish, withdrawal and embargo lifting.
    # The language edition is part of the key: /ur/ has its own latest.
    # Lazily: the template keeps the HTML they make ({% remember %}) under
    # the same state, so a warm page neither loads nor unpickles a row.
    edition = edition_language()
    lists = SimpleLazyObject(
        lambda: remember(
            request,
            f"home:{edition}",
            lambda: {
                "releases": list(
                    PressRelease.objects.published()
                    .in_edition()
                    .for_listing()
                    .defer("body", "search_vector", "rank_vector")[:HOME_LATEST_COUNT]
                ),
                "organisations": list(
                    Organisation.objects.active().only("name", "acronym", "slug")
                ),
            },
        )
    )
    context = {
        "releases": SimpleLazyObject(lambda: lists["releases"]),
        "organisations": SimpleLazyObject(lambda: lists["organisations"]),
        "edition": edition,
    }
    return render(request, "home.html", context)


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest response Django can give through
    the same middleware stack, so every page is measured against it (routed
    only when ``NEWSROOM_BENCH_FLOOR`` is on; never in production)."""
    return HttpResponse("ok")
