"""Search in every language: the normalising SQL function, a trigram index on
the normalised title and summary, and every vector rebuilt in its release's
own language (``search.languages``) over normalised text.

PostgreSQL only (``migrate`` on SQLite does nothing here).  pg_trgm is
created again, idempotently, in case a database predates
``releases/0004_search``'s extension or dropped it.  Rebuilding the vectors
rewrites every release row: on 100,000 releases allow a few minutes and run
``VACUUM ANALYZE releases_pressrelease`` afterwards.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from search.languages import FALLBACK, config_for
from search.normalise import SQL_FUNCTION, create_function_sql

TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS release_search_text_trgm ON releases_pressrelease "
    f"USING gin ({SQL_FUNCTION}(title || ' ' || summary) gin_trgm_ops)"
)


def _config_case(codes) -> str:
    whens = " ".join(f"WHEN '{code}' THEN '{config_for(code)}'" for code in codes)
    return f"(CASE r.language {whens} ELSE '{FALLBACK}' END)::regconfig"


def _rebuild_sql(codes) -> str:
    """Mirrors search.vectors._search_vector_expression for existing rows."""
    config = _config_case(codes)
    n = SQL_FUNCTION
    head = f"""
    setweight(to_tsvector({config}, coalesce({n}(r.title), '')), 'A')
 || setweight(to_tsvector({config}, coalesce({n}(r.summary), '')), 'B')
 || setweight(to_tsvector({config}, {n}(
        coalesce((SELECT string_agg(o.name || ' ' || o.acronym, ' ')
                  FROM releases_releaseorganisation ro
                  JOIN contacts_organisation o ON o.id = ro.organisation_id
                  WHERE ro.release_id = r.id), '')
        || ' ' ||
        coalesce((SELECT string_agg(t.name, ' ')
                  FROM taggit_taggeditem ti
                  JOIN taggit_tag t ON t.id = ti.tag_id
                  JOIN django_content_type ct ON ct.id = ti.content_type_id
                  WHERE ct.app_label = 'releases' AND ct.model = 'pressrelease'
                    AND ti.object_id = r.id), '')
        || ' ' || coalesce(r.dateline_place, ''))), 'C')"""
    body = f"setweight(to_tsvector({config}, coalesce({n}(r.body), '')), 'D')"
    return (
        f"UPDATE releases_pressrelease AS r SET search_vector = {head} || {body}, "
        f"rank_vector = {head}"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.conf import settings

    schema_editor.execute(create_function_sql())
    schema_editor.execute(TRIGRAM_INDEX)
    schema_editor.execute(_rebuild_sql([code for code, _name in settings.LANGUAGES]))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS release_search_text_trgm")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {SQL_FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0012_release_language"),
        ("taggit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
