"""The desk app, and the admin configuration that puts the desk on the admin's home page."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DeskConfig(AppConfig):
    default = True
    name = "desk"
    verbose_name = "Desk"


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin with :class:`desk.site.DeskAdminSite` as ``admin.site``.

    Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin`` (Django's
    documented way to replace the default site), so every ``@admin.register``
    in the project lands on the site whose home page is the desk.
    """

    default = False
    default_site = "desk.site.DeskAdminSite"
