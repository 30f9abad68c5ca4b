"""Admin change lists that refuse an out-of-range date instead of failing.

A date in an admin list's address (``?publish_at__gte=9999-12-31T23:59:59-12:00``,
or the date hierarchy's ``?…__year=9999&…__month=12&…__day=31``) is valid
ISO 8601 but falls off Python's calendar once Django converts it to UTC
for the database or steps to the next day: an ``OverflowError`` that
Django's change list does not catch, so staff saw a 500.  Here it becomes
what Django does for any other bad lookup (back to the unfiltered list),
with a message that says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class OutOfRangeDatesRefused:
    """Mix into a ``ModelAdmin`` (before it) whose list filters on dates."""

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            messages.error(
                request, "A date in that filter is out of range; the filter was dropped."
            )
            raise IncorrectLookupParameters(str(exc)) from exc
