"""Admin for bulletins: the bundle, its date and sender, and its releases in order."""

from __future__ import annotations

from django.contrib import admin

from bulletins.models import Bulletin, BulletinItem
from core.admin_lists import OutOfRangeDatesRefused


class BulletinItemInline(admin.TabularInline):
    model = BulletinItem
    extra = 0
    fields = ("order", "release")
    raw_id_fields = ("release",)
    ordering = ("order", "id")


@admin.register(Bulletin)
class BulletinAdmin(OutOfRangeDatesRefused, admin.ModelAdmin):
    list_display = ("title", "date", "organisation")
    list_filter = ("organisation",)
    search_fields = ("title", "intro")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("organisation",)
    inlines = [BulletinItemInline]
    # Links to "Import releases" (the importer's admin), where most bulletins come from.
    change_list_template = "admin/bulletins/bulletin/change_list.html"
