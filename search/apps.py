from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search, filters and facets over the public archive."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Connects the signals that keep each release's search vector current.
        from search import vectors  # noqa: F401
