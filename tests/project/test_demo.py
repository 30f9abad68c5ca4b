"""``load_demo`` (idempotent, faithful to the seed's facts, in our own words)
and ``ensure_local_admin`` (local use only, never touches an existing account)."""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from contacts.models import MediaContact, Organisation, Partnership
from newsroom import demo
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation

pytestmark = pytest.mark.django_db

SEED_MOU, SEED_TRAINING = demo.SEED_RELEASE_SLUGS


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of the project's apps (and tags)."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("contacts", "releases", "taggit", "reversion")
        for model in apps.get_app_config(label).get_models()
    }


def timestamps() -> dict[str, list]:
    return {
        "organisations": list(Organisation.objects.order_by("pk").values_list("updated_at")),
        "contacts": list(MediaContact.objects.order_by("pk").values_list("updated_at")),
        "partnerships": list(Partnership.objects.order_by("pk").values_list("updated_at")),
        "releases": list(
            PressRelease.objects.order_by("pk").values_list("modified_at", "lock_version")
        ),
    }


# -- idempotence -----------------------------------------------------------------
def test_load_demo_twice_changes_nothing() -> None:
    first = load_demo()
    assert re.search(r"[1-9]\d* created", first)
    counts, stamps = row_counts(), timestamps()

    second = load_demo()

    assert "0 created, 0 updated, 0 deleted" in second
    assert row_counts() == counts
    assert timestamps() == stamps


def test_load_demo_repairs_an_edited_row_and_extra_links() -> None:
    load_demo()
    contact = MediaContact.objects.get(email="rnadeem@iom.int")
    contact.job_title = "Something else"
    contact.save()
    release = PressRelease.objects.get(slug=SEED_MOU)
    stray = ReleaseContact.objects.create(release=release, contact=contact, order=9)
    release.tags.add("unrelated")

    output = load_demo()

    contact.refresh_from_db()
    assert contact.job_title == "Media & Communications Assistant"
    assert not ReleaseContact.objects.filter(pk=stray.pk).exists()
    assert "unrelated" not in release.tags.names()
    # The contact and the release's tags were updated; the stray link deleted.
    assert "0 created, 2 updated, 1 deleted," in output


def test_load_demo_counts_match_the_demo_data() -> None:
    load_demo()
    assert Organisation.objects.count() == len(demo.ORGANISATIONS)
    assert MediaContact.objects.count() == len(demo.CONTACTS)
    assert Partnership.objects.count() == len(demo.PARTNERSHIPS)
    assert PressRelease.objects.in_language("en-gb").count() == len(demo.RELEASES)


# -- the content ---------------------------------------------------------------
def test_seed_releases_are_published_with_contacts_and_boilerplates() -> None:
    load_demo()
    public = PressRelease.objects.published()
    mou = public.for_detail().get(slug=SEED_MOU)
    training = public.for_detail().get(slug=SEED_TRAINING)

    for release, place_date in (
        (mou, "Islamabad, 18 October 2023"),
        (training, "Islamabad, 25 September 2023"),
    ):
        assert release.status == PressRelease.Status.PUBLISHED
        assert release.dateline == place_date
        local = timezone.localtime(release.publish_at, demo.PKT)
        assert local.date() == release.dateline_date
        for org in release.issuing_organisations:
            if org.kind != Organisation.Kind.GOVERNMENT:
                assert org.display_about, f"{org} has no boilerplate"

    assert [o.acronym for o in mou.issuing_organisations] == ["NCHR", "IOM Pakistan"]
    assert [(link.contact.email, link.role) for link in mou.public_contact_links] == [
        ("zunaira@nchr.gov.pk", "more_info"),
        ("spaklar@iom.int", "more_info"),
    ]
    assert [o.acronym for o in training.issuing_organisations] == ["IOM Pakistan", "FIA"]
    assert [(link.contact.email, link.role) for link in training.public_contact_links] == [
        ("rnadeem@iom.int", "media"),
        ("iomislamabad@iom.int", "more_info"),
    ]
    assert {"human trafficking", "migrant smuggling", "capacity building"} <= set(
        training.tags.names()
    )
    assert [p.slug for p in mou.partnerships.all()] == ["nchr-iom-pakistan-mou-2023"]

    nchr = Organisation.objects.get(acronym="NCHR")
    assert "XVI of 2012" in nchr.about and "Paris Principles" in nchr.about
    iom_pk = Organisation.objects.get(slug="iom-pakistan")
    assert iom_pk.parent.acronym == "IOM"
    assert "175 member states" in iom_pk.display_about

    ramsha = MediaContact.objects.get(email="rnadeem@iom.int")
    assert ramsha.phone_e164 == "+923344563210"


def test_partnerships_and_their_roles() -> None:
    load_demo()
    mou = Partnership.objects.get(slug="nchr-iom-pakistan-mou-2023")
    assert str(mou.signed_on) == "2023-10-18"
    assert {m.role for m in mou.members.all()} == {"signatory"}
    training = Partnership.objects.get(slug="counter-trafficking-training-2023")
    donors = [m.organisation.slug for m in training.members.filter(role="donor")]
    assert donors == ["denmark-mfa", "australia-dfat", "glo-act"]


def test_one_release_is_scheduled_and_one_is_a_draft() -> None:
    load_demo()
    scheduled = PressRelease.objects.scheduled().in_language("en-gb")
    assert scheduled.count() == 1
    assert not PressRelease.objects.published().filter(pk__in=scheduled).exists()
    drafts = PressRelease.objects.filter(status=PressRelease.Status.DRAFT)
    assert drafts.count() == 1
    assert not PressRelease.objects.published().filter(pk__in=drafts).exists()
    assert PressRelease.objects.published().in_language("en-gb").count() == len(demo.RELEASES) - 2
    every_issuer = ReleaseOrganisation.objects.values_list("release", flat=True)
    assert set(every_issuer) == set(PressRelease.objects.values_list("pk", flat=True))


def test_an_embargo_that_has_passed_is_moved_ahead_again() -> None:
    load_demo()
    release = PressRelease.objects.scheduled().in_language("en-gb").get()
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - timezone.timedelta(days=1)
    )
    load_demo()
    assert PressRelease.objects.scheduled().in_language("en-gb").get().pk == release.pk


def test_demo_facts_come_from_the_seed(seed_text) -> None:
    """Names, addresses and figures of the demo are the seed's, not invented."""
    for contact in demo.CONTACTS:
        assert contact["email"] in seed_text
    for name in ("Zunaira Inam", "Suzana Paklar", "Ramsha Nadeem", "+(92) 334 4563210"):
        assert name in seed_text
    for fact in ("15", "386", "44", "February 2023", "10 months", "175", "XVI of 2012"):
        assert fact in seed_text
    for person in ("Rabiya Javeri Agha", "Mio Sato", "Rai Nasrullah"):
        assert person in seed_text
        assert any(person in r["body"] for r in demo.RELEASES[:2])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"<[^>]+>", " ", text).lower())


def test_demo_text_is_in_our_own_words(seed_text) -> None:
    """No run of 10 words of the seed appears in the demo's prose: facts and
    names may match, sentences may not."""
    n = 10
    seed_words = _words(seed_text)
    seed_runs = {tuple(seed_words[i : i + n]) for i in range(len(seed_words) - n + 1)}
    prose = [
        *(r[key] for r in demo.RELEASES for key in ("title", "summary", "body")),
        *(o["about"] for o in demo.ORGANISATIONS),
        *(p["summary"] for p in demo.PARTNERSHIPS),
    ]
    copied = set()
    for text in prose:
        words = _words(text)
        copied |= {
            " ".join(words[i : i + n])
            for i in range(len(words) - n + 1)
            if tuple(words[i : i + n]) in seed_runs
        }
    assert not copied


# -- ensure_local_admin ----------------------------------------------------------
def ensure_local_admin() -> str:
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    return out.getvalue()


def test_ensure_local_admin_refuses_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        ensure_local_admin()
    assert not get_user_model().objects.exists()


def test_ensure_local_admin_creates_one_and_then_leaves_it_alone(settings) -> None:
    settings.DEBUG = True
    output = ensure_local_admin()
    match = re.search(r"Log in at http://127\.0\.0\.1:8000/admin/ as admin / (\S+)", output)
    assert match, output
    password = match.group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password(password)

    again = ensure_local_admin()
    assert "already exists" in again
    assert password not in again
    user.refresh_from_db()
    assert user.check_password(password)
    assert get_user_model().objects.count() == 1


def test_ensure_local_admin_never_touches_an_existing_superuser(settings) -> None:
    settings.DEBUG = True
    boss = get_user_model().objects.create_superuser("boss", "", "s3cret-Passw0rd")
    output = ensure_local_admin()
    assert "boss" in output and "s3cret" not in output
    boss.refresh_from_db()
    assert boss.check_password("s3cret-Passw0rd")
    assert not get_user_model().objects.filter(username="admin").exists()
