from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _prepare_connection(sender, connection, **kwargs) -> None:
    """What searching needs of each new database connection.

    PostgreSQL: the threshold of pg_trgm's word-similarity operator (``%>``),
    which the misspelling fallback uses so the trigram index answers it.
    SQLite: ``search_normalise()`` as a Python function, so the ``icontains``
    fallback compares normalised text with a normalised query — the same
    function PostgreSQL's SQL version mirrors.
    """
    from search.normalise import SQL_FUNCTION, normalise
    from search.query import TRIGRAM_THRESHOLD

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {float(TRIGRAM_THRESHOLD)}")
    elif connection.vendor == "sqlite":
        connection.connection.create_function(
            SQL_FUNCTION,
            1,
            lambda text: None if text is None else normalise(text),
            deterministic=True,
        )


class SearchConfig(AppConfig):
    """Full-text search, filters and facets over the public archive."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Connects the signals that keep each release's search vector current.
        from search import vectors  # noqa: F401

        connection_created.connect(_prepare_connection, dispatch_uid="search_prepare_connection")
