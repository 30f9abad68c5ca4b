"""``{% remember %}`` keeps a fragment per content state, language and keys.

The list and search pages keep their results and their filter panel this
way (issue #17): these tests prove that the fragment really is reused, and
that nothing outside its key — the content state, the language, the keys
the template passes — can make it show the wrong thing.
"""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import timezone, translation

from newsroom.caching import forget_state
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template('{% load remembered %}{% remember "probe" key %}[{{ value }}]{% endremember %}')


def _render(value: str, key: str = "k", *, request=None) -> str:
    request = request if request is not None else RequestFactory().get("/")
    return TEMPLATE.render(Context({"request": request, "value": value, "key": key}))


def test_the_fragment_is_rendered_once_per_state_and_key():
    assert _render("first") == "[first]"
    # Same state, same key: the kept HTML, not the new context value.
    assert _render("second") == "[first]"
    # Another key: rendered.
    assert _render("third", key="other") == "[third]"


def test_a_change_the_public_sees_renders_it_again():
    assert _render("before") == "[before]"
    PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    forget_state()
    assert _render("after") == "[after]"


def test_each_language_has_its_own_fragment():
    assert _render("english") == "[english]"
    with translation.override("ur"):
        assert _render("urdu") == "[urdu]"
    assert _render("again") == "[english]"


def test_without_a_request_nothing_is_kept():
    context = {"value": "one", "key": "k"}
    assert TEMPLATE.render(Context(context)) == "[one]"
    assert TEMPLATE.render(Context({**context, "value": "two"})) == "[two]"


def test_a_name_is_required():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load remembered %}{% remember %}x{% endremember %}")


def test_a_warm_list_renders_no_row_and_runs_only_the_state_query(
    client, django_assert_num_queries
):
    """The list's rows are loaded only to render a missing fragment."""
    for n in range(3):
        PressReleaseFactory(
            title=f"Listed {n}", publish_at=timezone.now() - datetime.timedelta(hours=n + 1)
        )
    first = client.get("/releases/").content
    with django_assert_num_queries(1):  # the content state
        again = client.get("/releases/").content
    assert again == first and b"Listed 2" in again


def test_a_warm_filtered_list_builds_no_queryset(client, monkeypatch):
    """Its facets, rows and HTML are remembered: composing the filtered
    queryset (ORM work in Python) is left for a miss."""
    from search.filters import ActiveFilters

    org = OrganisationFactory(name="Lazy Agency", slug="lazy-agency")
    PressReleaseFactory(organisations=[org], publish_at=timezone.now() - datetime.timedelta(1))
    narrowed = []
    real = ActiveFilters.narrow
    monkeypatch.setattr(
        ActiveFilters, "narrow", lambda self, qs: narrowed.append(1) or real(self, qs)
    )
    first = client.get("/releases/?organisation=lazy-agency&page=1")
    assert narrowed and b"Lazy Agency" in first.content
    narrowed.clear()
    again = client.get("/releases/?organisation=lazy-agency&page=1")
    assert narrowed == [] and again.content == first.content
