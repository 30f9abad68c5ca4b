"""Full-text search over the public archive: the index side.

On PostgreSQL every release carries a weighted ``search_vector``:

* A — the title;
* B — the summary;
* C — the issuing organisations' names and acronyms, the tags and the
  dateline place;
* D — the body.

Beside it ``rank_vector`` holds A–C only: small enough to stay in the row,
it is what results are ranked by (:mod:`search.query`).

The vector is rebuilt by a single ``UPDATE`` (sub-selects gather the issuers
and the tags inside the database, so there is no read-modify-write race) on
every save of a release, and whenever its issuers or tags change — including
an organisation or a tag being renamed.  A generated column cannot do this
because it cannot look at other tables.  The query side uses
``websearch_to_tsquery`` (``"exact phrase"``, ``-word``, ``or``), ranks with
``ts_rank`` then by date, and falls back to trigram similarity on the title
when the words match nothing (a misspelt "Balochsitan" still finds
"Balochistan").

On SQLite (development and the default test run) the same public interface
works with ``icontains`` over the same fields, ranking title matches first.

Each release is read in its own language (:mod:`search.languages`: English
stemmed, Urdu and any other language word by word) and every text passes
through ``search_normalise`` first (:mod:`search.normalise`: one spelling
for Arabic-script variants), the same rule the query side applies to what
the reader types.

Every function takes a queryset the caller got from ``published()``: search
narrows what is public, it never widens it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchVector,
)
from django.db import connection
from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from contacts.models import Organisation
from releases.models import PressRelease, ReleaseOrganisation
from search.languages import config_expression
from search.normalise import normalise_sql

#: Text-search configuration of the default language (stemming "floods" →
#: "flood"); each release is indexed in its own (``search.languages``).
CONFIG = "english"

#: Fields of a release whose change must rebuild the vector.
_VECTOR_FIELDS = {"title", "summary", "body", "dateline_place", "language"}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --------------------------------------------------------------------------
# Keeping the vector current (PostgreSQL)
# --------------------------------------------------------------------------


def _search_vector_expression(*, body: bool = True) -> SearchVector:
    """The weighted vector of the row being updated, built in SQL; without
    the body (weight D) it is the small ranking vector."""
    release_ct = ContentType.objects.get_for_model(PressRelease)
    organisations = (
        ReleaseOrganisation.objects.filter(release=OuterRef("pk"))
        .order_by()
        .values("release")
        .annotate(
            text=StringAgg(
                Concat(
                    "organisation__name",
                    Value(" "),
                    "organisation__acronym",
                    output_field=TextField(),
                ),
                delimiter=" ",
            )
        )
        .values("text")
    )
    tags = (
        TaggedItem.objects.filter(content_type=release_ct, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(text=StringAgg("tag__name", delimiter=" "))
        .values("text")
    )
    config = config_expression()
    vector = (
        SearchVector(normalise_sql("title"), weight="A", config=config)
        + SearchVector(normalise_sql("summary"), weight="B", config=config)
        + SearchVector(
            normalise_sql(Coalesce(Subquery(organisations), Value(""), output_field=TextField())),
            normalise_sql(Coalesce(Subquery(tags), Value(""), output_field=TextField())),
            normalise_sql("dateline_place"),
            weight="C",
            config=config,
        )
    )
    if body:
        # ts_vector's parser drops HTML tags by itself.
        vector = vector + SearchVector(normalise_sql("body"), weight="D", config=config)
    return vector


def update_search_vectors(release_ids: Iterable[int] | QuerySet | None = None) -> int:
    """Rebuild the vector of the given releases (all when ``None``) in one
    statement; a no-op off PostgreSQL.  Returns the number of rows updated."""
    if not is_postgres():
        return 0
    qs = PressRelease.objects.all()
    if release_ids is not None:
        qs = qs.filter(pk__in=release_ids)
    return qs.update(
        search_vector=_search_vector_expression(),
        # Ranking reads this small vector, matching the full one
        # (search.query): it must change whenever the full one does.
        rank_vector=_search_vector_expression(body=False),
    )


@receiver(post_save, sender=PressRelease, dispatch_uid="search_release_saved")
def _release_saved(sender, instance: PressRelease, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & _VECTOR_FIELDS):
        return
    update_search_vectors([instance.pk])


@receiver(post_save, sender=ReleaseOrganisation, dispatch_uid="search_issuer_saved")
@receiver(post_delete, sender=ReleaseOrganisation, dispatch_uid="search_issuer_deleted")
def _issuer_changed(sender, instance: ReleaseOrganisation, raw=False, **kwargs):
    # Issuer rows are created directly by admin inlines and factories, which
    # never send m2m_changed, so the rows' own signals are watched too.
    if not raw:
        update_search_vectors([instance.release_id])


@receiver(post_save, sender=TaggedItem, dispatch_uid="search_taggeditem_saved")
@receiver(post_delete, sender=TaggedItem, dispatch_uid="search_taggeditem_deleted")
def _tagged_item_changed(sender, instance: TaggedItem, raw=False, **kwargs):
    if raw or instance.content_type_id != ContentType.objects.get_for_model(PressRelease).pk:
        return
    update_search_vectors([instance.object_id])


@receiver(m2m_changed, sender=PressRelease.organisations.through, dispatch_uid="search_orgs_m2m")
@receiver(m2m_changed, sender=PressRelease.tags.through, dispatch_uid="search_tags_m2m")
def _release_m2m_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    """``release.organisations.add()`` / ``release.tags.set()`` and friends.

    taggit sends m2m_changed from ``tags.add``/``remove``/``clear``; the
    reverse side (``organisation.releases.add(...)``) passes the *other*
    model as ``instance``.
    """
    if not action.startswith("post_"):
        return
    if not reverse and isinstance(instance, PressRelease):
        update_search_vectors([instance.pk])
    elif isinstance(instance, Organisation):
        update_search_vectors(PressRelease.objects.filter(organisations=instance).values("pk"))
    elif pk_set:
        update_search_vectors(pk_set)


@receiver(post_save, sender=Organisation, dispatch_uid="search_organisation_renamed")
def _organisation_saved(sender, instance: Organisation, created: bool, raw=False, **kwargs):
    if raw or created:
        return
    update_search_vectors(PressRelease.objects.filter(organisations=instance).values("pk"))


@receiver(post_save, sender=Tag, dispatch_uid="search_tag_renamed")
def _tag_saved(sender, instance: Tag, created: bool, raw=False, **kwargs):
    if raw or created:
        return
    release_ct = ContentType.objects.get_for_model(PressRelease)
    update_search_vectors(
        TaggedItem.objects.filter(tag=instance, content_type=release_ct).values("object_id")
    )
