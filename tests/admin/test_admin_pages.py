"""Every page of every registered admin renders for a superuser.

The models are read from ``admin.site._registry`` when the tests are
collected, and objects are made with whichever factory in
``tests/factories.py`` builds that model, so admins that other modules
register later are covered without touching this file.  A model with no
factory is checked on its add and list pages only.
"""

from __future__ import annotations

import factory
import pytest
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.admin import VersionAdmin

from tests import factories

pytestmark = pytest.mark.django_db


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def factory_for(model: type[Model]) -> type[factory.django.DjangoModelFactory] | None:
    """The first factory in tests/factories.py whose model is ``model``."""
    for value in vars(factories).values():
        if (
            isinstance(value, type)
            and issubclass(value, factory.django.DjangoModelFactory)
            and value._meta.model is model
        ):
            return value
    return None


def url(model: type[Model], view: str, *args: object) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def ids(model: type[Model]) -> str:
    return model._meta.label


def test_the_registry_is_not_empty() -> None:
    labels = {model._meta.label for model in REGISTERED}
    assert {"contacts.Organisation", "contacts.MediaContact", "contacts.Partnership"} <= labels


def test_admin_index_renders(admin_client) -> None:
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Newsroom administration" in response.text


@pytest.mark.parametrize("model", REGISTERED, ids=ids)
def test_add_and_changelist_render(admin_client, rf, admin_user, model) -> None:
    model_admin = admin.site._registry[model]
    response = admin_client.get(url(model, "changelist"))
    assert response.status_code == 200, response.text[:2000]

    if model_admin.search_fields:
        # A search runs every lookup in search_fields: a wrong one is an error here.
        response = admin_client.get(url(model, "changelist"), {"q": "Islamabad"})
        assert response.status_code == 200

    request = rf.get("/")
    request.user = admin_user
    if model_admin.has_add_permission(request):
        response = admin_client.get(url(model, "add"))
        assert response.status_code == 200, response.text[:2000]
        # The popup variant is what autocomplete "+" buttons open.
        response = admin_client.get(url(model, "add"), {IS_POPUP_VAR: "1"})
        assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in REGISTERED if factory_for(m) is not None], ids=ids)
def test_change_history_and_delete_pages_render(admin_client, rf, admin_user, model) -> None:
    obj = factory_for(model)()
    pk = obj.pk

    response = admin_client.get(url(model, "changelist"))
    assert response.status_code == 200
    # The object's row is in the list (list_display columns all computed).
    assert url(model, "change", pk) in response.text

    for view in ("change", "history"):
        response = admin_client.get(url(model, view, pk))
        assert response.status_code == 200, f"{view}: {response.text[:2000]}"
    # Even a superuser may be refused a delete the workflow forbids (e.g. a
    # picture of a public release, which changes only as a noted correction);
    # otherwise the page renders.
    request = rf.get("/")
    request.user = admin_user
    allowed = admin.site._registry[model].has_delete_permission(request, obj)
    response = admin_client.get(url(model, "delete", pk))
    assert response.status_code == (200 if allowed else 403), response.text[:2000]


@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED if isinstance(admin.site._registry[m], VersionAdmin)],
    ids=ids,
)
def test_recover_deleted_list_renders(admin_client, model) -> None:
    response = admin_client.get(url(model, "recoverlist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in REGISTERED if factory_for(m) is not None], ids=ids)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_num_queries, model
) -> None:
    make = factory_for(model)
    make.create_batch(2)
    admin_client.get(url(model, "changelist"))  # warm caches (content types, session)

    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url(model, "changelist")).status_code == 200

    make.create_batch(8)
    with django_assert_num_queries(len(few.captured_queries)):
        assert admin_client.get(url(model, "changelist")).status_code == 200
