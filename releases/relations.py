"""Every relation of a page of releases in ONE query.

``prefetch_related`` asks one query per relation: a release shown in full
(issuers, contacts, partnerships, tags, pictures, change notes, documents)
costs seven round trips, and composing seven querysets, compiling seven SQL
statements and running seven cursors costs more Python than the database
spends answering them (docs/PERFORMANCE.md, issue #17).

Here each relation is one branch of a ``UNION ALL``; every branch yields the
same four columns — which relation, which release, the row's position in
that relation's order (``ROW_NUMBER()`` over the same ``ORDER BY`` the
prefetch used, so the database's collation decides as before), and the row
itself as a JSON object (``JSONObject``: ``json_object`` on SQLite,
``JSONB_BUILD_OBJECT`` on PostgreSQL).  The rows are turned back into model
instances (``Model.from_db``, each field's ``to_python``) and put where the
prefetch would have put them (the prefetch cache, or the ``to_attr`` list),
so templates and serializers read ``release.images.all()`` exactly as
before, with no query.

The filters are the same single sources of truth the prefetches use:
public contacts are ``MediaContact.objects.public()``, partnerships
``Partnership.objects.public()``.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from django.db.models import F, Value
from django.db.models.expressions import OrderBy, Window
from django.db.models.functions import JSONObject, RowNumber

from contacts.models import MediaContact, Organisation, Partnership
from releases.models.release import (
    ChangeNote,
    PressRelease,
    ReleaseContact,
    ReleaseOrganisation,
    public_translations_exist,
)

#: Fields never to be shown publicly: staff notes stay in the building,
#: even in memory.
_LEFT_OUT = {MediaContact: {"staff_notes"}}


@dataclass(frozen=True)
class _Node:
    """A model reached from a branch's row model through ``path``."""

    model: type[models.Model]
    path: str  # "" for the row model itself, else e.g. "contact__organisation"
    children: dict[str, _Node] = field(default_factory=dict)  # FK name -> node
    #: Fields this node loads (``None``: all but those in ``_LEFT_OUT``).
    only: tuple[str, ...] | None = None
    #: Fields not needed where this node is used (deferred on the instance).
    skip: frozenset[str] = frozenset()

    def fields(self) -> list[models.Field]:
        left_out = _LEFT_OUT.get(self.model, set()) | self.skip
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.attname not in left_out and (self.only is None or f.attname in self.only)
        ]

    def json(self) -> JSONObject:
        prefix = f"{self.path}__" if self.path else ""
        values: dict[str, Any] = {f.attname: F(prefix + f.attname) for f in self.fields()}
        for name, child in self.children.items():
            values[f"@{name}"] = child.json()
        return JSONObject(**values)

    def build(self, data: dict[str, Any] | None, alias: str) -> models.Model | None:
        """The instance from its JSON object (``None`` for an absent FK)."""
        if not data or data.get("id") is None:
            return None
        fields = self.fields()
        names = [f.attname for f in fields]
        values = [_python(f, data.get(f.attname)) for f in fields]
        instance = self.model.from_db(alias, names, values)
        for name, child in self.children.items():
            # Set the related object (``None`` included) so that reading it
            # never runs a query.
            self.model._meta.get_field(name).set_cached_value(
                instance, child.build(data.get(f"@{name}"), alias)
            )
        return instance


def _python(model_field: models.Field, value: Any) -> Any:
    """A JSON scalar back to what the column reader would have given.

    SQLite stores datetimes without an offset (in UTC, ``USE_TZ``); a JSON
    object carries that text, so it is read as UTC.
    """
    if value is None:
        return None
    value = model_field.to_python(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _ordering(ordering: Iterable[str]) -> list[OrderBy]:
    """``("-created_at", "id")`` as the expressions a window orders by."""
    return [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in ordering]


@dataclass(frozen=True)
class Relation:
    """One relation of a release, as one branch of the union."""

    name: str
    #: The queryset of rows (already filtered to what the public may see).
    rows: models.QuerySet
    #: The foreign key from a row to its release ("release", "object_id"…).
    release_key: str
    ordering: Sequence[str]
    #: What is built from a row: the row itself, or a model it points at.
    node: _Node
    #: Where the instance goes: ``("cache", name)`` or ``("attr", name)``.
    target: tuple[str, str]
    #: The row model's field on the built model that points at the release.
    release_field: str | None = None


def _org(path: str, *, parent: bool = False, about: bool = False) -> _Node:
    """An organisation; its "About" text (long HTML) only where it is printed."""
    skip = frozenset() if about else frozenset({"about"})
    children = {"parent": _Node(Organisation, f"{path}__parent", skip=skip)} if parent else {}
    return _Node(Organisation, path, children, skip=skip)


def issuers(*, parents: bool = True) -> Relation:
    """Like ``issuers_prefetch``: organisations in order, the lead first.

    With ``parents``, as on the release page, the parents come too, and both
    carry their "About" text (the page prints the boilerplates).
    """
    organisation = _org("organisation", parent=parents, about=parents)
    return Relation(
        "issuers",
        ReleaseOrganisation.objects.all(),
        "release",
        ("order", "id"),
        _Node(ReleaseOrganisation, "", {"organisation": organisation}),
        ("cache", "issuers"),
        release_field="release",
    )


def public_contacts() -> Relation:
    """Like ``public_contacts_prefetch``: into ``public_contact_links``."""
    contact = _Node(MediaContact, "contact", {"organisation": _org("contact__organisation")})
    return Relation(
        "contacts",
        ReleaseContact.objects.filter(contact__in=MediaContact.objects.public()),
        "release",
        ("order", "id"),
        _Node(ReleaseContact, "", {"contact": contact}),
        ("attr", "public_contact_links"),
        release_field="release",
    )


def public_partnerships(order_by: Sequence[str] = ()) -> Relation:
    """Like ``public_partnerships_prefetch``: draft partnerships left out."""
    through = PressRelease.partnerships.through
    ordering = tuple(order_by) or (*Partnership._meta.ordering, "id")
    return Relation(
        "partnerships",
        through.objects.filter(partnership__in=Partnership.objects.public()),
        "pressrelease",
        tuple(
            f"-partnership__{name[1:]}" if name.startswith("-") else f"partnership__{name}"
            for name in ordering
        ),
        _Node(Partnership, "partnership"),
        ("cache", "partnerships"),
    )


def tags() -> Relation:
    """The release's tags in the order ``release.tags.all()`` gives them."""
    through = PressRelease._meta.get_field("tags").remote_field.through
    tag_model = through._meta.get_field("tag").related_model
    return Relation(
        "tags",
        through.objects.filter(
            content_type__app_label=PressRelease._meta.app_label,
            content_type__model=PressRelease._meta.model_name,
        ),
        "object_id",
        ("id",),
        _Node(tag_model, "tag"),
        ("cache", "tags"),
    )


def change_notes() -> Relation:
    """Like ``change_notes_prefetch``: newest first."""
    return Relation(
        "change_notes",
        ChangeNote.objects.all(),
        "release",
        ("-created_at", "-id"),
        _Node(ChangeNote, "", only=("id", "release_id", "note", "created_at")),
        ("cache", "change_notes"),
        release_field="release",
    )


def _media(name: str) -> Relation:
    model = PressRelease._meta.get_field(name).related_model
    return Relation(
        name,
        model.objects.all(),
        "release",
        (*model._meta.ordering,),
        _Node(model, ""),
        ("cache", name),
        release_field="release",
    )


def images() -> Relation:
    return _media("images")


def attachments() -> Relation:
    return _media("attachments")


@functools.cache
def detail() -> tuple[Relation, ...]:
    """Everything the release page shows (:func:`detail_page`)."""
    return (
        issuers(parents=True),
        public_contacts(),
        public_partnerships(),
        tags(),
        change_notes(),
        images(),
        attachments(),
    )


def detail_page(releases: models.QuerySet[PressRelease]) -> PressRelease | None:
    """The first release of ``releases``, loaded for its public page in two
    queries whatever it holds: the release row, then every relation it shows
    (:func:`detail`) in one ``UNION ALL``.

    Seven prefetches (the old way, still ``PressReleaseQuerySet.for_detail``)
    cost more Python to compose and compile than the database spent on
    them; each relation loaded here reads like a finished prefetch, so the
    templates call ``.all()`` as before, with no query.
    """
    # Most releases have no translation: flagged in the same row, the page's
    # language links and JSON-LD then cost no query (public_translations()).
    release = releases.annotate(_has_public_translations=public_translations_exist()).first()
    if release is not None:
        load([release], detail())
    return release


def load(releases: Sequence[PressRelease], relations: Sequence[Relation]) -> None:
    """Fill ``relations`` of ``releases`` from one query (none when either
    is empty): afterwards each reads like a finished prefetch.

    ``relations`` should be a tuple kept for the process (``detail()``, or
    a module constant as the API's): its SQL is then compiled once per
    number of releases and database, and each call only binds the ids.
    Composing and compiling the union (seven branches, a hundred columns in
    JSON objects) cost more Python than the seven prefetches it replaces.
    """
    ids = list(dict.fromkeys(release.pk for release in releases))
    if not ids or not relations:
        _fill(releases, relations, {})
        return
    alias = relations[0].rows.db
    sql, params, slots = _compiled(tuple(relations), len(ids), alias)
    params = list(params)
    for position, index in slots:
        params[position] = ids[index]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: dict[tuple[str, int], list[tuple[int, Any]]] = {}
    nodes = {relation.name: relation.node for relation in relations}
    for name, release_id, position, data in rows:
        if isinstance(data, str | bytes):
            data = json.loads(data)
        found.setdefault((name, int(release_id)), []).append(
            (int(position), nodes[name].build(data, alias))
        )
    _fill(releases, relations, found)


#: Stand-ins for release ids while compiling: no real primary key is negative.
_SENTINEL = -(2**52)
_COMPILED_MAX = 512
_COMPILED: dict[tuple[tuple[int, ...], int, str], tuple[Any, str, tuple, list]] = {}


def _compiled(
    relations: tuple[Relation, ...], count: int, alias: str
) -> tuple[str, tuple, list[tuple[int, int]]]:
    """The SQL of the union for ``count`` releases on ``alias``, with where
    each release id goes among its parameters."""
    key = (tuple(id(relation) for relation in relations), count, alias)
    if (kept := _COMPILED.get(key)) is not None:
        return kept[1], kept[2], kept[3]
    stand_ins = [_SENTINEL - index for index in range(count)]
    branches = []
    for relation in relations:
        release_key = relation.release_key
        branch = (
            relation.rows.using(alias)
            .filter(**{f"{release_key}__in": stand_ins})
            .order_by()
            .annotate(
                _rel=Value(relation.name, output_field=models.CharField()),
                _release=F(release_key if release_key == "object_id" else f"{release_key}_id"),
                _pos=Window(
                    RowNumber(),
                    partition_by=[F(release_key)],
                    order_by=_ordering(relation.ordering),
                ),
                _data=relation.node.json(),
            )
            .values_list("_rel", "_release", "_pos", "_data")
        )
        branches.append(branch)
    query = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    sql, params = query.query.get_compiler(alias).as_sql()
    slots = [
        (position, _SENTINEL - value)
        for position, value in enumerate(params)
        if isinstance(value, int) and _SENTINEL - count < value <= _SENTINEL
    ]
    # The relations are kept with their SQL, so their ids are not reused.
    # A caller that builds new relations on every call would grow this
    # without end: past a bound it starts again.
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = (relations, sql, tuple(params), slots)
    return sql, tuple(params), slots


def _fill(
    releases: Sequence[PressRelease],
    relations: Sequence[Relation],
    found: dict[tuple[str, int], list[tuple[int, Any]]],
) -> None:
    for release in releases:
        cache = release.__dict__.setdefault("_prefetched_objects_cache", {})
        for relation in relations:
            rows = sorted(found.get((relation.name, release.pk), ()), key=lambda row: row[0])
            instances = [instance for _position, instance in rows]
            if relation.release_field:
                for instance in instances:
                    instance._meta.get_field(relation.release_field).set_cached_value(
                        instance, release
                    )
            kind, name = relation.target
            if kind == "attr":
                setattr(release, name, instances)
                continue
            empty = relation.node.model._base_manager.none()
            empty._result_cache, empty._prefetch_done = instances, True
            cache[name] = empty
