"""Names on the admin site, so staff know which tool they are in."""

from django.contrib import admin

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Releases, contacts and partnerships"
