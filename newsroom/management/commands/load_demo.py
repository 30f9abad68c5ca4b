"""``manage.py load_demo``: fill the newsroom with the demo content of
:mod:`newsroom.demo`.

Idempotent: rows are found by their natural key (slug or e-mail) and saved
only when a value really differs, so a second run reports "0 created,
0 updated" and leaves every ``updated_at``/``modified_at`` as it was (plain
``update_or_create`` would save, and touch them, every time).  Links (issuers,
contacts, members, tags) are brought to exactly the listed set.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import reversion
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from contacts.phones import display_phone
from core.richtext import sanitize_html
from newsroom import demo
from pressroom.models import AdvanceAccess
from releases.models import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation


class Command(BaseCommand):
    help = "Create or update the demo organisations, contacts, partnerships and releases."

    def handle(self, *args: Any, **options: Any) -> None:
        self.counts: Counter[str] = Counter()
        self.verbosity = options["verbosity"]
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Demo content (manage.py load_demo)")
            orgs = self.load_organisations()
            contacts = self.load_contacts(orgs)
            partnerships = self.load_partnerships(orgs)
            self.load_releases(orgs, contacts, partnerships)
            self.load_translations()
            self.load_advance_access()
            self.load_journalists()
            self.load_media_lists()
        c = self.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {c['created']} created, {c['updated']} updated, "
                f"{c['deleted']} deleted, {c['unchanged']} unchanged."
            )
        )

    # -- generic helpers ---------------------------------------------------
    def report(self, action: str, label: str, obj: object) -> None:
        self.counts[action] += 1
        if action != "unchanged" and self.verbosity >= 1:
            self.stdout.write(f"  {action:<8} {label}: {obj}")

    def upsert(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> models.Model:
        """Create the row, or save it only if one of ``values`` differs."""
        label = model._meta.verbose_name
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()  # demo data obeys the same rules as the admin
            obj.save()
            self.report("created", label, obj)
            return obj
        changed = False
        for name, value in values.items():
            if _stored(obj, name) != _as_stored(model, name, value):
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.full_clean()
            obj.save()
        self.report("updated" if changed else "unchanged", label, obj)
        return obj

    def sync_links(
        self,
        model: type[models.Model],
        owner: dict[str, Any],
        key_fields: tuple[str, ...],
        wanted: dict[tuple, dict[str, Any]],
    ) -> None:
        """Make ``owner``'s link rows exactly ``wanted``: one row per key (values
        of ``key_fields``) with the given other values; extra rows are deleted."""
        attnames = [model._meta.get_field(f).attname for f in key_fields]
        leftover = {
            tuple(getattr(row, a) for a in attnames): row
            for row in model._default_manager.filter(**owner)
        }
        for key, values in wanted.items():
            leftover.pop(tuple(getattr(v, "pk", v) for v in key), None)
            self.upsert(model, {**owner, **dict(zip(key_fields, key, strict=True))}, values)
        for row in leftover.values():
            label = str(row)
            row.delete()
            self.report("deleted", model._meta.verbose_name, label)

    # -- content -----------------------------------------------------------
    def load_organisations(self) -> dict[str, Organisation]:
        orgs: dict[str, Organisation] = {}
        for data in demo.ORGANISATIONS:
            values = {k: v for k, v in data.items() if k not in {"slug", "parent"}}
            values["parent"] = orgs[data["parent"]] if data["parent"] else None
            orgs[data["slug"]] = self.upsert(Organisation, {"slug": data["slug"]}, values)
        return orgs

    def load_contacts(self, orgs: dict[str, Organisation]) -> dict[str, MediaContact]:
        contacts: dict[str, MediaContact] = {}
        for data in demo.CONTACTS:
            values = {k: v for k, v in data.items() if k != "email"}
            values["organisation"] = orgs[data["organisation"]]
            contacts[data["email"]] = self.upsert(MediaContact, {"email": data["email"]}, values)
        return contacts

    def load_partnerships(self, orgs: dict[str, Organisation]) -> dict[str, Partnership]:
        partnerships: dict[str, Partnership] = {}
        for data in demo.PARTNERSHIPS:
            values = {k: v for k, v in data.items() if k not in {"slug", "members"}}
            partnership = self.upsert(Partnership, {"slug": data["slug"]}, values)
            self.sync_links(
                PartnershipMember,
                {"partnership": partnership},
                ("organisation", "role"),
                {
                    (orgs[slug], role): {"order": i}
                    for i, (slug, role) in enumerate(data["members"])
                },
            )
            partnerships[data["slug"]] = partnership
        return partnerships

    def load_releases(
        self,
        orgs: dict[str, Organisation],
        contacts: dict[str, MediaContact],
        partnerships: dict[str, Partnership],
    ) -> None:
        skip = {"slug", "organisations", "contacts", "tags", "partnerships"}
        for data in demo.RELEASES:
            values = {k: v for k, v in data.items() if k not in skip}
            if values["publish_at"] == demo.SCHEDULED:
                values["publish_at"] = self.scheduled_instant(data["slug"])
                values["dateline_date"] = timezone.localtime(values["publish_at"], demo.PKT).date()
            release = self.upsert(PressRelease, {"slug": data["slug"]}, values)
            self.sync_links(
                ReleaseOrganisation,
                {"release": release},
                ("organisation",),
                {(orgs[slug],): {"order": i} for i, slug in enumerate(data["organisations"])},
            )
            self.sync_links(
                ReleaseContact,
                {"release": release},
                ("contact",),
                {
                    (contacts[email],): {"role": role, "order": i}
                    for i, (email, role) in enumerate(data["contacts"])
                },
            )
            wanted = [partnerships[slug] for slug in data["partnerships"]]
            if {p.pk for p in release.partnerships.all()} != {p.pk for p in wanted}:
                release.partnerships.set(wanted)
                names = ", ".join(p.title for p in wanted) or "none"
                self.report("updated", "partnerships", f"{release.slug} → {names}")
            if set(release.tags.names()) != set(data["tags"]):
                release.tags.set(data["tags"])
                self.report("updated", "tags", f"{release.slug} → {', '.join(data['tags'])}")

    def load_translations(self) -> None:
        """The Urdu versions (``newsroom.demo_urdu``): each linked to its English
        source as a translation, with the source's organisations, contacts,
        topics and partnerships; one scheduled, one out of date."""
        from newsroom import demo_urdu

        source = PressRelease.objects.get(slug=demo_urdu.OUT_OF_DATE_SOURCE)
        change = demo_urdu.OUT_OF_DATE_CHANGE
        self.upsert(
            ChangeNote,
            {"release": source, "note": change["note"]},
            {"created_at": change["created_at"]},
        )
        self.upsert(PressRelease, {"slug": source.slug}, {"last_updated_at": change["created_at"]})
        for data in demo_urdu.URDU_RELEASES:
            source = PressRelease.objects.get(slug=data["source"])
            values = {k: v for k, v in data.items() if k not in {"slug", "source"}}
            if values["publish_at"] == demo.SCHEDULED:
                values["publish_at"] = self.scheduled_instant(data["slug"])
            values.setdefault("source_seen_at", values["publish_at"])
            values.update(
                language="ur",
                translation_key=source.translation_key,
                translated_from=source,
            )
            release = self.upsert(PressRelease, {"slug": data["slug"]}, values)
            self.sync_links(
                ReleaseOrganisation,
                {"release": release},
                ("organisation",),
                {(link.organisation,): {"order": i} for i, link in enumerate(source.issuers.all())},
            )
            self.sync_links(
                ReleaseContact,
                {"release": release},
                ("contact",),
                {
                    (link.contact,): {"role": link.role, "order": link.order}
                    for link in source.contact_links.all()
                },
            )
            wanted = list(source.partnerships.all())
            if {p.pk for p in release.partnerships.all()} != {p.pk for p in wanted}:
                release.partnerships.set(wanted)
                self.report("updated", "partnerships", release.slug)
            if set(release.tags.names()) != set(source.tags.names()):
                release.tags.set(list(source.tags.names()))
                self.report("updated", "tags", release.slug)

    def load_advance_access(self) -> None:
        """Open the scheduled demo release to approved journalists (the press room)."""
        for slug in demo.ADVANCE_ACCESS_SLUGS:
            release = PressRelease.objects.get(slug=slug)
            self.upsert(
                AdvanceAccess,
                {"release": release},
                {
                    "enabled": True,
                    "opens_at": release.publish_at - demo.ADVANCE_ACCESS_BEFORE,
                    "for_publish_at": release.publish_at,
                },
            )

    def load_journalists(self) -> None:
        """The embargo agreement's versions and the demo journalist, approved.

        The journalist's ``confirmed_at`` is set when they are created and
        again only when it is close to lapsing, so a second run changes nothing.
        """
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from taggit.models import Tag

        from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist

        versions = {}
        for data in demo.EMBARGO_AGREEMENTS:
            versions[data["version"]] = self.upsert(
                EmbargoAgreement,
                {"version": data["version"]},
                {"text": data["text"], "published_at": data["published_at"]},
            )
        users = get_user_model().objects
        now = timezone.now()
        for data in demo.JOURNALISTS:
            email = data["email"]
            user = users.filter(email__iexact=email).first()
            if user is None:
                user = users.create(username=email.split("@")[0], email=email)
                user.set_unusable_password()
                user.save()
                self.report("created", "user", user)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            values = {
                k: data.get(k, "")
                for k in ("name", "outlet", "role", "countries", "languages", "published_work_url")
            }
            values["status"] = Journalist.Status.APPROVED
            existing = Journalist.objects.filter(user=user).first()
            if (
                existing is None
                or existing.confirmed_at is None
                or (existing.confirmed_at < now - datetime.timedelta(days=300))
            ):
                values["confirmed_at"] = now
            journalist = self.upsert(Journalist, {"user": user}, values)
            beats = list(Tag.objects.filter(name__in=data["beats"]))
            if {t.pk for t in journalist.beats.all()} != {t.pk for t in beats}:
                journalist.beats.set(beats)
                self.report("updated", "beats", journalist)
            for version in data["accepted"]:
                _acceptance, created = AgreementAcceptance.objects.get_or_create(
                    journalist=journalist, agreement=versions[version]
                )
                if created:
                    self.report("created", "agreement acceptance", _acceptance)

    def load_media_lists(self) -> None:
        """The journalists' address book (medialists): outlets, people, lists."""
        from medialists.models import MediaList, MediaPerson, Outlet

        outlets = {}
        for data in demo.OUTLETS:
            values = {k: v for k, v in data.items() if k != "name"}
            outlets[data["name"]] = self.upsert(Outlet, {"name": data["name"]}, values)
        people = {}
        for data in demo.MEDIA_PEOPLE:
            values = {k: v for k, v in data.items() if k not in ("email", "outlet", "beats")}
            values.update(
                outlet=outlets[data["outlet"]],
                consent_basis="professional",
                consent_recorded_at=demo.MEDIA_CONSENT_RECORDED,
                consent_source="demo content (manage.py load_demo)",
            )
            person = self.upsert(MediaPerson, {"email": data["email"]}, values)
            person.beats.set(self.demo_tags(data["beats"]))
            people[data["email"]] = person
        for data in demo.MEDIA_LISTS:
            values = {"kind": data["kind"], "description": data["description"]}
            media_list = self.upsert(MediaList, {"name": data["name"]}, values)
            media_list.beats.set(self.demo_tags(data.get("beats", [])))
            media_list.members.set([people[e] for e in data.get("members", [])])

    def demo_tags(self, names: list[str]) -> list:
        from django.utils.text import slugify
        from taggit.models import Tag

        return [
            Tag.objects.filter(name=name).first()
            or Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in names
        ]

    def scheduled_instant(self, slug: str) -> datetime.datetime:
        """Keep a scheduled release's embargo while it is still ahead; else move
        it some days ahead, so the demo always shows an embargoed release."""
        now = timezone.now()
        current = (
            PressRelease.objects.filter(slug=slug, publish_at__gt=now)
            .values_list("publish_at", flat=True)
            .first()
        )
        if current:
            return current
        day = timezone.localdate(now, demo.PKT) + datetime.timedelta(days=demo.SCHEDULED_DAYS_AHEAD)
        return datetime.datetime.combine(day, demo.SCHEDULED_TIME, tzinfo=demo.PKT)


def _stored(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, name)


def _as_stored(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` as ``save()`` would store it, so equal content compares equal."""
    field = model._meta.get_field(name)
    if field.is_relation:
        return value.pk if value is not None else None
    if isinstance(field, ProseEditorField):
        return sanitize_html(value)
    if name == "email" and isinstance(value, str):
        return value.strip().lower()
    if name == "phone" and isinstance(value, str):
        return display_phone(value)
    return value
