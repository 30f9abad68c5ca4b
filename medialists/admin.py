"""Media lists in the admin: outlets, people (import, export, merge), lists,
and sends to them with their reports.

Contacts managers keep the address book (add/change/delete on outlets,
people and lists); publishers send (``medialists.send_distribution``).  The
send page is reached from the release list's "Send to media lists…" action
(``medialists.receivers``) or from the sends list.
"""

from __future__ import annotations

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from medialists import (
    audience,
    bulletin_sends,
    import_jobs,
    importing,
    people,
    plans,
    sending,
    tasks,
)
from medialists.forms import MappingForm, MediaPersonForm, SendForm, UploadForm
from medialists.models import (
    Distribution,
    ImportUpload,
    MediaList,
    MediaPerson,
    Outlet,
    Recipient,
)
from releases.models import PressRelease


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.action(description="Export the selected people as CSV", permissions=["view"])
def export_people(modeladmin, request, queryset):
    people_qs = queryset.select_related("outlet").prefetch_related("beats")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(importing.export_rows(people_qs), f"media-people-{stamp}.csv")


@admin.action(description="Export the selected outlets as CSV", permissions=["view"])
def export_outlets(modeladmin, request, queryset):
    rows = [["name", "type", "country", "languages", "website"]] + [
        [importing.neutralise(str(v)) for v in (o.name, o.kind, o.country, o.languages, o.website)]
        for o in queryset
    ]
    return csv_response(rows, f"outlets-{timezone.now():%Y%m%d-%H%M}.csv")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    actions = [export_outlets]
    list_display = ["name", "kind", "country", "languages", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]


class ListFilter(admin.SimpleListFilter):
    title = "media list"
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(str(m.pk), m.name) for m in MediaList.objects.all()]

    def queryset(self, request, queryset):
        media_list = MediaList.objects.filter(pk=self.value()).first() if self.value() else None
        if media_list is None:
            return queryset
        return queryset.filter(pk__in=MediaPerson.objects.in_list(media_list).values("pk"))


@admin.register(MediaPerson)
class MediaPersonAdmin(admin.ModelAdmin):
    form = MediaPersonForm
    list_display = ["name", "outlet", "role", "email", "consent_basis", "do_not_contact", "links"]
    list_filter = [
        ListFilter,
        "outlet__kind",
        "consent_basis",
        "do_not_contact",
        ("beats", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email", "other_emails", "outlet__name", "role"]
    autocomplete_fields = ["outlet"]
    filter_horizontal = ["beats"]
    readonly_fields = ["journalist", "subscriber", "suppressed", "created_at"]
    actions = [export_people, "merge_people", "add_to_list"]
    fieldsets = [
        (None, {"fields": ["name", "outlet", "role", "beats", "countries", "languages"]}),
        ("Reaching them", {"fields": ["email", "other_emails", "phones", "notes"]}),
        (
            "Consent and provenance",
            {
                "fields": [
                    "consent_basis",
                    "consent_recorded_at",
                    "consent_source",
                    "do_not_contact",
                    "suppressed",
                ]
            },
        ),
        ("The same person elsewhere", {"fields": ["journalist", "subscriber", "created_at"]}),
        (None, {"fields": ["save_anyway"]}),
    ]

    @admin.display(description="Same person as")
    def links(self, obj: MediaPerson) -> str:
        parts = []
        if obj.journalist_id:
            parts.append("journalist account")
        if obj.subscriber_id:
            parts.append("alerts subscriber")
        return ", ".join(parts) or "—"

    @admin.display(description="On the suppression list")
    def suppressed(self, obj: MediaPerson) -> str:
        if not obj.pk:
            return "—"
        return "Yes: nothing is sent" if audience.suppressed_among([obj.email]) else "No"

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.consent_source and obj.consent_basis:
            obj.consent_source = f"admin, by {request.user.get_username()}"
        if obj.consent_basis and obj.consent_recorded_at is None:
            obj.consent_recorded_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge the two selected people…", permissions=["change"])
    def merge_people(self, request, queryset):
        if queryset.count() != 2:
            self.message_user(request, "Choose exactly two people to merge.", messages.ERROR)
            return None
        first, second = list(queryset.order_by("pk"))
        if "keep" in request.POST:
            keep, other = (
                (first, second) if request.POST["keep"] == str(first.pk) else (second, first)
            )
            people.merge(keep, other, request.user)
            self.message_user(request, f"Merged {other.name} into {keep.name}; history kept.")
            return None
        return TemplateResponse(
            request,
            "admin/medialists/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Merge two records",
                "people": [first, second],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Add the selected people to a fixed list…", permissions=["change"])
    def add_to_list(self, request, queryset):
        fixed = MediaList.objects.filter(kind=MediaList.Kind.FIXED)
        chosen = fixed.filter(pk=request.POST.get("media_list") or 0).first()
        if chosen is not None:
            chosen.members.add(*queryset)
            self.message_user(request, f"{queryset.count()} added to {chosen.name}.")
            return None
        return TemplateResponse(
            request,
            "admin/medialists/add_to_list.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Add to a fixed list",
                "people": queryset,
                "lists": fixed,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # -- import --------------------------------------------------------------------

    def get_urls(self) -> list:
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="medialists_import"),
            path(
                "import/<int:upload_id>/",
                self.admin_site.admin_view(self.import_map_view),
                name="medialists_import_map",
            ),
            path(
                "import/<int:upload_id>/progress/",
                self.admin_site.admin_view(self.import_progress_view),
                name="medialists_import_progress",
            ),
            path(
                "import/<int:upload_id>/progress.json",
                self.admin_site.admin_view(self.import_progress_json),
                name="medialists_import_progress_json",
            ),
        ]
        return urls + super().get_urls()

    def _context(self, request, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            try:
                text = importing.decode(upload.read())
                importing.read_rows(text, kind)
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                record = ImportUpload.objects.create(
                    text=text,
                    file_name=upload.name[:255],
                    file_kind=kind,
                    consent_basis=form.cleaned_data["consent_basis"],
                    created_by=request.user,
                )
                return HttpResponseRedirect(
                    reverse("admin:medialists_import_map", args=[record.pk])
                )
        return TemplateResponse(
            request,
            "admin/medialists/import_upload.html",
            {**self._context(request, "Import journalists"), "form": form},
        )

    def import_map_view(self, request: HttpRequest, upload_id: int) -> HttpResponse:
        """Map the columns, see the preview; confirm writes it all or nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = get_object_or_404(ImportUpload, pk=upload_id, created_by=request.user)
        if record.status != ImportUpload.Status.READY:
            return HttpResponseRedirect(
                reverse("admin:medialists_import_progress", args=[record.pk])
            )
        try:
            header, rows = importing.read_rows(record.text, record.file_kind)
        except importing.ImportFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:medialists_import"))
        form = MappingForm(
            request.POST or None, header=header, initial_mapping=importing.guess_mapping(header)
        )
        context = {
            **self._context(request, f"Import {record.file_name}"),
            "form": form,
            "record": record,
            "header": header,
            "row_count": len(rows),
        }
        if request.method == "POST" and form.is_valid():
            source = (
                f"{record.get_file_kind_display()} import {timezone.now():%Y-%m-%d} "
                f"by {request.user.get_username()} ({record.file_name})"
            )
            big = import_jobs.in_worker(len(rows))
            if "confirm" in request.POST and big and not importing.missing(form.mapping()):
                # Long: the worker imports it; the progress page follows it.
                if import_jobs.queue(record, form.mapping(), source, len(rows)):
                    upload_id = record.pk
                    transaction.on_commit(lambda: tasks.run_import.enqueue(upload_id))
                return HttpResponseRedirect(
                    reverse("admin:medialists_import_progress", args=[record.pk])
                )
            try:
                plan = importing.plan(header, rows, form.mapping())
            except importing.ImportFileError as error:
                form.add_error(None, str(error))
                return TemplateResponse(request, "admin/medialists/import_map.html", context)
            if "confirm" in request.POST:
                counts = importing.apply(plan, record.consent_basis, source)
                record.delete()
                messages.success(
                    request,
                    f"Imported: {counts['created']} created, {counts['updated']} updated, "
                    f"{counts['skipped']} skipped.",
                )
                return HttpResponseRedirect(reverse("admin:medialists_mediaperson_changelist"))
            context.update(
                {
                    "plan": plan,
                    "creates": plan.count("create"),
                    "updates": plan.count("update"),
                    "skips": plan.count("skip"),
                    "shown": plan.rows[:500],
                    "in_worker": big,
                }
            )
            return TemplateResponse(request, "admin/medialists/import_preview.html", context)
        return TemplateResponse(request, "admin/medialists/import_map.html", context)

    def _own_upload(self, request: HttpRequest, upload_id: int) -> ImportUpload:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return get_object_or_404(ImportUpload, pk=upload_id, created_by=request.user)

    def import_progress_view(self, request: HttpRequest, upload_id: int) -> HttpResponse:
        """A worker's import: its progress (the page refreshes itself), then its report."""
        record = self._own_upload(request, upload_id)
        if record.status == ImportUpload.Status.READY:
            return HttpResponseRedirect(reverse("admin:medialists_import_map", args=[record.pk]))
        state = import_jobs.state(record)
        return TemplateResponse(
            request,
            "admin/medialists/import_progress.html",
            {
                **self._context(request, f"Import {record.file_name}"),
                "record": record,
                "state": state,
                "skips": record.result.get("skips", []),
            },
        )

    def import_progress_json(self, request: HttpRequest, upload_id: int) -> JsonResponse:
        return JsonResponse(import_jobs.state(self._own_upload(request, upload_id)))


@admin.register(MediaList)
class MediaListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "people_now"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["beats"]
    autocomplete_fields = ["members"]
    readonly_fields = ["people_now", "people_link"]
    fieldsets = [
        (None, {"fields": ["name", "description", "kind", "people_now", "people_link"]}),
        ("Fixed list", {"fields": ["members"]}),
        (
            "Smart list: everyone matching all of these (any value within each)",
            {"fields": ["beats", "countries", "languages", "outlet_kinds"]},
        ),
    ]

    @admin.display(description="People now")
    def people_now(self, obj: MediaList) -> int | str:
        return MediaPerson.objects.in_list(obj).count() if obj.pk else "—"

    @admin.display(description="See them")
    def people_link(self, obj: MediaList) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:medialists_mediaperson_changelist") + f"?list={obj.pk}"
        return format_html('<a href="{}">The people of this list (export from there)</a>', url)


class RecipientInline(admin.TabularInline):
    model = Recipient
    fields = ["email", "person", "status", "sent_at", "delivered_at", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    list_display = ["release", "list_names", "created_by", "created_at", "finished_at", "summary"]
    list_filter = ["created_at"]
    search_fields = ["release__title", "list_names"]
    readonly_fields = [
        "release",
        "list_names",
        "note",
        "created_by",
        "created_at",
        "finished_at",
        "report",
    ]
    fields = readonly_fields
    inlines = [RecipientInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Report")
    def summary(self, obj: Distribution) -> str:
        r = sending.report(obj)
        return (
            f"{r['left']} sent · {r['delivered']} delivered · {r['bounced']} bounced · "
            f"{r['complained']} complained · {r['unsubscribed']} unsubscribed · "
            f"{r['queued']} waiting"
        )

    @admin.display(description="Report")
    def report(self, obj: Distribution) -> str:
        r = sending.report(obj)
        rows = [
            ("Sent", r["left"]),
            ("Of which by advance notice (vetted journalists)", r["advance"]),
            ("Delivered", r["delivered"]),
            ("Bounced", r["bounced"]),
            ("Complained", r["complained"]),
            ("Unsubscribed", r["unsubscribed"]),
            ("Waiting for the embargo", r["queued"]),
            ("Not sent: suppressed", r["suppressed"]),
            ("Not sent: no consent / do not contact", r["excluded"]),
            ("Failed", r["failed"] + r["unknown"]),
        ]
        return format_html(
            '<table class="medialists-report">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    def get_urls(self) -> list:
        return [
            path(
                "send/<int:release_id>/",
                self.admin_site.admin_view(self.send_view),
                name="medialists_distribution_send",
            ),
            path(
                "send-bulletin/<int:bulletin_id>/",
                self.admin_site.admin_view(self.send_bulletin_view),
                name="medialists_distribution_send_bulletin",
            ),
            path("send/", self.admin_site.admin_view(self.choose_view), name="medialists_choose"),
            *super().get_urls(),
        ]

    def choose_view(self, request: HttpRequest) -> HttpResponse:
        """The releases that may be sent now: approved, scheduled or public."""
        if not request.user.has_perm("medialists.send_distribution"):
            raise PermissionDenied
        releases = PressRelease.objects.filter(
            status__in=[PressRelease.Status.APPROVED, PressRelease.Status.PUBLISHED]
        ).order_by("-publish_at", "-id")[:100]
        return TemplateResponse(
            request,
            "admin/medialists/choose.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Send a release to media lists",
                "releases": releases,
            },
        )

    def send_view(self, request: HttpRequest, release_id: int) -> HttpResponse:
        """Pick lists and a note → see who will receive it and the e-mail → confirm."""
        if not request.user.has_perm("medialists.send_distribution"):
            raise PermissionDenied
        release = get_object_or_404(PressRelease, pk=release_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Send “{release.title}” to media lists",
            "release": release,
            "sendable": sending.sendable(release),
        }
        form = SendForm(request.POST or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid() and context["sendable"]:
            lists = list(form.cleaned_data["lists"])
            note = form.cleaned_data["note"]
            if "confirm" in request.POST:
                try:
                    distribution, outcome = plans.plan(release, lists, note, request.user)
                except plans.NotSendableError as error:
                    messages.error(request, str(error))
                else:
                    when = plans.when_it_goes(release)
                    messages.success(
                        request,
                        f"{outcome.count} journalist(s) will get it {when}"
                        + (
                            f" ({len(outcome.advance)} by the press room's advance notice)"
                            if outcome.advance
                            else ""
                        )
                        + f"; {len(outcome.excluded)} left out.",
                    )
                    return HttpResponseRedirect(
                        reverse("admin:medialists_distribution_change", args=[distribution.pk])
                    )
            else:
                outcome = audience.audience(release.pk, lists)
                subject, text, html = sending.preview(release, note)
                for p in outcome.recipients[:500]:
                    p.advance = p.pk in outcome.advance
                context.update(
                    {
                        "outcome": outcome,
                        "recipients": outcome.recipients[:500],
                        "when": plans.when_it_goes(release),
                        "subject": subject,
                        "preview_text": text,
                        "preview_html": html,
                        "duplicates": [
                            (p, outcome.duplicates[p.pk])
                            for p in outcome.recipients
                            if p.pk in outcome.duplicates
                        ],
                    }
                )
        return TemplateResponse(request, "admin/medialists/send.html", context)

    def send_bulletin_view(self, request: HttpRequest, bulletin_id: int) -> HttpResponse:
        """A bulletin goes as one e-mail per person with its releases (``bulletin_sends``)."""
        from bulletins.models import Bulletin

        if not request.user.has_perm("medialists.send_distribution"):
            raise PermissionDenied
        bulletin = get_object_or_404(Bulletin, pk=bulletin_id)
        sendable, held = plans.bulletin_releases(bulletin)
        form = SendForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Send the bulletin “{bulletin.title}” to media lists",
            "bulletin": bulletin,
            "sendable_releases": sendable,
            "held_releases": held,
            "form": form,
        }
        if request.method == "POST" and form.is_valid() and sendable:
            lists = list(form.cleaned_data["lists"])
            note = form.cleaned_data["note"]
            if "confirm" in request.POST:
                done = plans.plan_bulletin(bulletin, lists, note, request.user)
                people_count = (
                    Recipient.objects.filter(distribution__in=done)
                    .values("person_id")
                    .distinct()
                    .count()
                )
                messages.success(
                    request,
                    f"{len(done)} release(s) of the bulletin planned for {people_count} "
                    "journalist(s): one e-mail each, at the latest embargo instant.",
                )
                return HttpResponseRedirect(reverse("admin:medialists_distribution_changelist"))
            context["outcomes"] = [
                (release, audience.audience(release.pk, lists)) for release in sendable
            ]
            subject, text, html = bulletin_sends.preview(bulletin, sendable, note)
            context.update({"subject": subject, "preview_text": text, "preview_html": html})
        return TemplateResponse(request, "admin/medialists/send_bulletin.html", context)
