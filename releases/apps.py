from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Press releases"

    def ready(self) -> None:
        # The bulletin/import admin lives in its own module; register it here.
        from releases import admin_import  # noqa: F401
