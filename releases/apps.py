from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Press releases"

    def ready(self) -> None:
        # Connects the signals that keep the full-text search vector current.
        from releases import search  # noqa: F401
