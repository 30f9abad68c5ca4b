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
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from contacts import phones
from contacts import requests as contact_requests
from contacts.models import (
    ContactRequest,
    MediaContact,
    Organisation,
    Partnership,
    PartnershipMember,
    partnership_members_prefetch,
)
from core import csv as safe_csv
from core.admin_lists import OutOfRangeDatesRefused
from core.dates import house_datetime

# ---------------------------------------------------------------------------
# Phone numbers: one behaviour for every form with a phone field


class PhoneFormMixin(forms.ModelForm):
    """Says which country a number without a country code is read in, before
    (help text) and after (``assumed_country_notes``, shown as a message by
    the admin) saving; the number itself is normalised by the model."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            # Built per form, not at import: it follows NEWSROOM_PHONE_REGION.
            self.fields["phone"].help_text = phones.region_note()

    def clean_phone(self) -> str:
        typed = (self.cleaned_data.get("phone") or "").strip()
        if not typed:
            return ""
        phones.validate_phone(typed)
        self.assumed_country_notes = [phones.assumed_country_message(typed)]
        return phones.display_phone(typed)


def tell_assumed_country(request: HttpRequest, form: forms.Form) -> None:
    for note in getattr(form, "assumed_country_notes", []):
        if note:
            messages.info(request, note)


# ---------------------------------------------------------------------------
# Organisations


class OrganisationForm(PhoneFormMixin):
    # No Meta: the admin builds the form from its fieldsets.
    pass


@admin.register(Organisation)
class OrganisationAdmin(VersionAdmin):
    form = OrganisationForm
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

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tell_assumed_country(request, form)


# ---------------------------------------------------------------------------
# Media contacts


class MediaContactForm(PhoneFormMixin):
    """Compares e-mail addresses the way they are stored (lower case), so a
    duplicate written in capitals is caught too, and puts the duplicate's
    message next to the e-mail field with a link to the contact who already
    has the address: the writer can open it and use it instead.  (The
    database constraint alone answered with an error at the top of the form
    that named nobody.)"""

    # No Meta: the admin builds the form from its fieldsets.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            # Most contacts are people: a form that does not say (the "+"
            # pop-up of an older page, a script) means a person.
            self.fields["kind"].required = False

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or MediaContact.Kind.PERSON

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return email
        others = MediaContact.objects.filter(email=email).select_related("organisation")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        existing = others.first()
        if existing is not None:
            url = reverse("admin:contacts_mediacontact_change", args=[existing.pk])
            raise forms.ValidationError(
                format_html(
                    "A contact with this e-mail address already exists: "
                    '<a href="{}" target="_blank" rel="noopener">{}</a>. '
                    "Choose that contact instead, or correct the address.",
                    url,
                    str(existing),
                ),
                code="duplicate_email",
            )
        return email


class NeedsPhoneAttention(admin.SimpleListFilter):
    """Numbers that could not be read when phone numbers were normalised are
    kept as typed; this finds them so someone can correct them."""

    title = "phone number"
    parameter_name = "phone_state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("unreadable", "Could not be read (kept as typed)"), ("none", "No phone number")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "unreadable":
            return queryset.exclude(phone="").filter(phone_e164="")
        if self.value() == "none":
            return queryset.filter(phone="")
        return queryset


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


def contacts_csv_response(contacts: QuerySet[MediaContact]) -> HttpResponse:
    """Download ``contacts`` as a UTF-8 CSV file.

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
    contacts = contacts.select_related("organisation").order_by("name", "pk")
    writer.writerows(contacts_csv_rows(contacts))
    return response


@admin.register(MediaContact)
class MediaContactAdmin(VersionAdmin):
    form = MediaContactForm
    # Five columns, so that the e-mail and phone stay in view beside the
    # navigation and filter panels on a 1280 px screen: the honorific and job
    # title are printed with the name, the organisation by its short name,
    # "public" and "active" as one word; long addresses wrap (the template's CSS).
    list_display = [
        "name_column",
        "organisation_column",
        "email",
        "phone",
        "visibility_column",
    ]
    list_display_links = ["name_column"]
    # Reversion's list (with "Recover deleted") plus the export button.
    change_list_template = "admin/contacts/mediacontact/change_list.html"
    list_filter = ["is_active", "is_public", NeedsPhoneAttention, "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["dialled_as", "created_at", "updated_at"]
    actions = ["export_csv"]
    fieldsets = [
        (None, {"fields": ["kind", "honorific", "name", "job_title", "organisation"]}),
        ("How to reach them", {"fields": ["email", "phone", "dialled_as"]}),
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

    @admin.display(description="Name", ordering="name")
    def name_column(self, obj: MediaContact) -> str:
        if not obj.job_title:
            return obj.full_name
        return format_html('{}<br><span class="quiet">{}</span>', obj.full_name, obj.job_title)

    @admin.display(description="Organisation", ordering="organisation__name")
    def organisation_column(self, obj: MediaContact) -> str:
        org = obj.organisation
        if not org.acronym:
            return org.name
        return format_html('<abbr title="{}">{}</abbr>', org.name, org.acronym)

    @admin.display(description="Dialled as (E.164)")
    def dialled_as(self, obj: MediaContact) -> str:
        """What ``tel:`` links use; empty when the number cannot be read."""
        return obj.phone_e164 or "—"

    @admin.display(description="Shown", ordering="is_public")
    def visibility_column(self, obj: MediaContact) -> str:
        """Whether journalists see the contact, in one word."""
        if not obj.is_active:
            return "Inactive"
        return "Public" if obj.is_public else "Internal"

    @admin.action(description="Export selected contacts as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[MediaContact]) -> HttpResponse:
        """Download the ticked contacts (the button above the list exports
        the whole filtered list)."""
        return contacts_csv_response(queryset)

    # -- export of the filtered list ---------------------------------------

    def get_urls(self) -> list:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="contacts_mediacontact_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The list as filtered and searched on screen, every page of it.

        The changelist's own ``ChangeList`` reads the query string, so the
        export can never disagree with what the list shows.
        """
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, "The list's filters could not be read; nothing was exported.")
            return HttpResponseRedirect(reverse("admin:contacts_mediacontact_changelist"))
        return contacts_csv_response(changelist.queryset)

    # -- saving; creating a contact from a request -------------------------

    def _request_being_handled(self, request: HttpRequest) -> ContactRequest | None:
        pk = request.GET.get("from_request", "")
        if not pk.isdigit() or not contact_requests.handles_requests(request.user):
            return None
        return ContactRequest.objects.select_related("requested_by").filter(pk=pk).first()

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "contact_request": self._request_being_handled(request),
        }
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: MediaContact, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tell_assumed_country(request, form)
        if not change:
            handled = self._request_being_handled(request)
            if handled is not None and handled.status == ContactRequest.Status.OPEN:
                contact_requests.mark_done(handled, obj, request.user)
                messages.info(request, f"The request for “{handled}” is marked as done.")


# ---------------------------------------------------------------------------
# Contact requests


class ContactRequestStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(ContactRequest.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    """Requests for new contacts: made by colleagues who may not add contacts
    (from the release form's "Request a new contact"), handled here by the
    contacts managers.  Open requests come first."""

    # Few, dense columns: all of them, the "Create contact" button included,
    # stay in view beside the filter panel on a 1280 px screen.
    list_display = [
        "who_column",
        "reach_column",
        "requested_column",
        "release_column",
        "create_column",
    ]
    list_display_links = ["who_column"]
    list_filter = [ContactRequestStatusFilter]
    list_select_related = ["requested_by", "contact"]
    search_fields = ["name", "organisation_name", "email"]
    actions = ["create_contact_from_request", "decline_requests"]
    request_fields = ["name", "organisation_name", "email", "phone", "note", "release_reference"]
    handling_fields = [
        "status",
        "requested_column",
        "handled_by",
        "handled_column",
        "contact",
    ]

    # -- what each person sees ----------------------------------------------

    def get_fields(self, request: HttpRequest, obj: ContactRequest | None = None) -> list[str]:
        if obj is None:
            return self.request_fields
        return [*self.request_fields, *self.handling_fields]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ContactRequest | None = None
    ) -> list[str]:
        if obj is None:
            return []
        # The status moves through the actions (and creating the contact), so
        # who handled it and when are always recorded.
        return self.handling_fields

    def get_ordering(self, request: HttpRequest) -> list:
        open_first = Case(
            When(status=ContactRequest.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        return [open_first.asc(), "-created_at"]

    # -- columns --------------------------------------------------------------

    @admin.display(description="For the release")
    def release_column(self, obj: ContactRequest) -> str:
        link = contact_requests.release_link(obj)
        if link:
            return format_html('<a href="{}">The release</a>', link)
        return obj.release_reference or "—"

    @admin.display(description="Who", ordering="name")
    def who_column(self, obj: ContactRequest) -> str:
        if not obj.organisation_name:
            return obj.name
        return format_html('{}<br><span class="quiet">{}</span>', obj.name, obj.organisation_name)

    @admin.display(description="E-mail and phone")
    def reach_column(self, obj: ContactRequest) -> str:
        return format_html(
            '{}<br><span class="nowrap">{}</span>',
            obj.email or "—",
            phones.display_phone(obj.phone) if obj.phone else "—",
        )

    @admin.display(description="Requested", ordering="created_at")
    def requested_column(self, obj: ContactRequest) -> str:
        when = house_datetime(obj.created_at)
        if obj.requested_by is None:
            return when
        who = obj.requested_by.get_full_name() or obj.requested_by.get_username()
        return format_html("{}<br>by {}", when, who)

    @admin.display(description="Handled", ordering="handled_at")
    def handled_column(self, obj: ContactRequest) -> str:
        return house_datetime(obj.handled_at)

    @admin.display(description="Status", ordering="status")
    def create_column(self, obj: ContactRequest) -> str:
        """The next step while open; afterwards, what became of it."""
        if obj.status != ContactRequest.Status.OPEN:
            if obj.contact is None:
                return obj.get_status_display()
            return format_html('Done: <a href="{}">{}</a>', _contact_url(obj.contact), obj.contact)
        return format_html('<a class="button" href="{}">Create contact</a>', contact_add_url(obj))

    # -- making a request --------------------------------------------------

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        if not contact_requests.handles_requests(request.user):
            # A requester sends the request once: one "Send" button, plain title.
            extra_context = {
                "title": "Request a new contact",
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
                **(extra_context or {}),
            }
        return super().add_view(request, form_url, extra_context)

    def save_model(
        self, request: HttpRequest, obj: ContactRequest, form: Any, change: bool
    ) -> None:
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ContactRequest, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The requester is told what happens next, and led back to the release."""
        if self.has_change_permission(request, obj):
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": "Request sent",
            "contact_request": obj,
            "release_url": contact_requests.release_link(obj),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/contacts/contactrequest/sent.html", context)

    # -- handling requests ----------------------------------------------------

    @admin.action(description="Create a contact from the selected request", permissions=["change"])
    def create_contact_from_request(
        self, request: HttpRequest, queryset: QuerySet[ContactRequest]
    ) -> HttpResponse | None:
        chosen = list(queryset.open()[:2])
        if len(chosen) != 1:
            messages.warning(request, "Select exactly one open request to create its contact.")
            return None
        return HttpResponseRedirect(contact_add_url(chosen[0]))

    @admin.action(description="Decline the selected requests", permissions=["change"])
    def decline_requests(self, request: HttpRequest, queryset: QuerySet[ContactRequest]) -> None:
        declined = 0
        for contact_request in queryset.open():
            contact_requests.decline(contact_request, request.user)
            declined += 1
        messages.info(request, f"{declined} request(s) declined.")


def contact_add_url(contact_request: ContactRequest) -> str:
    """The add-contact form, filled in from the request; saving it closes it."""
    params = {
        **contact_requests.contact_prefill(contact_request),
        "from_request": contact_request.pk,
    }
    return f"{reverse('admin:contacts_mediacontact_add')}?{urlencode(params)}"


def _contact_url(contact: MediaContact) -> str:
    return reverse("admin:contacts_mediacontact_change", args=[contact.pk])


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
