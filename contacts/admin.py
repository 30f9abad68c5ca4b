"""Admin for organisations, media contacts and partnerships.

Admins curate these records for years, so every save keeps a revision
(django-reversion's ``VersionAdmin``): a bad edit can be reverted from the
history page and a deleted record brought back with "Recover deleted".
``VersionAdmin`` registers each model with reversion on start-up, and
follows the ``PartnershipMember`` inline, so a partnership's revision holds
its members too.

Changelists load what their columns show with ``list_select_related`` or a
prefetch, so they run a fixed number of queries however many rows there are.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from reversion.admin import VersionAdmin

from contacts.models import (
    MediaContact,
    Organisation,
    Partnership,
    PartnershipMember,
    partnership_members_prefetch,
)
from core import csv as safe_csv
from core.admin_lists import OutOfRangeDatesRefused

# ---------------------------------------------------------------------------
# Organisations


@admin.register(Organisation)
class OrganisationAdmin(VersionAdmin):
    list_display = ["name", "acronym", "kind", "parent", "contact_count", "is_active"]
    list_display_links = ["name"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at"]
    # "www.iom.int" typed without a scheme is read as https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "parent", "is_active"]}),
        ("Boilerplate", {"fields": ["about"]}),
        ("Contact details", {"fields": ["website", "email", "phone", "logo"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        # The count is an annotation, not a query per row.
        return super().get_queryset(request).annotate(_contact_count=Count("contacts"))

    @admin.display(description="Contacts", ordering="_contact_count")
    def contact_count(self, obj: Organisation) -> int:
        return getattr(obj, "_contact_count", 0)


# ---------------------------------------------------------------------------
# Media contacts


class MediaContactForm(forms.ModelForm):
    """Compares e-mail addresses the way they are stored (lower case), so a
    duplicate written in capitals gets the form's message, not a database
    error."""

    # No Meta: the admin builds the form from its fieldsets.

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()


#: Columns of the CSV export, in order: (header, how to read it from a contact).
CSV_COLUMNS: list[tuple[str, str]] = [
    ("Name", "name"),
    ("Honorific", "honorific"),
    ("Job title", "job_title"),
    ("Organisation", "organisation"),
    ("E-mail", "email"),
    ("Phone", "phone"),
    ("Public", "is_public"),
    ("Active", "is_active"),
    ("Staff notes", "staff_notes"),
]


def _csv_cell(contact: MediaContact, attr: str) -> str:
    if attr == "organisation":
        org = contact.organisation
        return f"{org.name} ({org.acronym})" if org.acronym else org.name
    value = getattr(contact, attr)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def contacts_csv_rows(contacts: Iterable[MediaContact]) -> Iterable[list[str]]:
    """The header and one row per contact, as stored; ``core.csv.writer``
    neutralises spreadsheet formulas in every cell when the rows are written."""
    yield [header for header, _ in CSV_COLUMNS]
    for contact in contacts:
        yield [_csv_cell(contact, attr) for _, attr in CSV_COLUMNS]


@admin.register(MediaContact)
class MediaContactAdmin(VersionAdmin):
    form = MediaContactForm
    list_display = [
        "name",
        "honorific",
        "job_title",
        "organisation",
        "email",
        "phone",
        "is_public",
        "is_active",
    ]
    list_filter = ["organisation", "is_active", "is_public"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["phone_e164", "created_at", "updated_at"]
    actions = ["export_csv"]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "job_title", "organisation"]}),
        ("How to reach them", {"fields": ["email", "phone", "phone_e164"]}),
        (
            "Visibility",
            {
                "fields": ["is_public", "is_active", "staff_notes"],
                "description": "Only active, public contacts appear on public pages. "
                "Staff notes are never shown publicly.",
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.action(description="Export selected contacts as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[MediaContact]) -> HttpResponse:
        """Download the selected contacts as a UTF-8 CSV file.

        The byte-order mark makes Excel read names such as "Zunaira" or
        accented ones in UTF-8 rather than the local code page.  The writer
        is ``core.csv``'s, so no column can carry a live formula.
        """
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="media-contacts-{stamp}.csv"'},
        )
        response.write("\ufeff")
        writer = safe_csv.writer(response)
        contacts = queryset.select_related("organisation").order_by("name", "pk")
        writer.writerows(contacts_csv_rows(contacts))
        return response


# ---------------------------------------------------------------------------
# Partnerships


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    fields = ["organisation", "role", "order"]
    autocomplete_fields = ["organisation"]
    extra = 1


class PartnershipForm(forms.ModelForm):
    """Puts the date rule's message next to the end date, where it is fixed."""

    # No Meta: the admin builds the form from its fieldsets.

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                forms.ValidationError(
                    "The end date (%(end)s) is before the start date (%(start)s). "
                    "A partnership must end on or after the day it starts.",
                    code="ends_before_start",
                    params={"end": ends_on.isoformat(), "start": starts_on.isoformat()},
                ),
            )
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(OutOfRangeDatesRefused, VersionAdmin):
    form = PartnershipForm
    inlines = [PartnershipMemberInline]
    list_display = ["title", "kind", "status", "signed_on", "starts_on", "ends_on", "member_list"]
    list_filter = ["kind", "status", "signed_on"]
    search_fields = ["title", "members__organisation__name", "members__organisation__acronym"]
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "signed_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "summary"]}),
        ("Dates", {"fields": ["signed_on", "starts_on", "ends_on"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partnership]:
        return super().get_queryset(request).prefetch_related(partnership_members_prefetch())

    @admin.display(description="Organisations")
    def member_list(self, obj: Partnership) -> str:
        return ", ".join(
            f"{m.organisation.short_name} ({m.get_role_display().lower()})"
            for m in obj.members.all()
        )
