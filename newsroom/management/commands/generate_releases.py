"""Generate a realistic archive for benchmarks and query-budget tests.

The benchmark is only honest if the archive looks like a real one: bodies of
about 600 words, several issuing organisations, contacts, tags and
partnerships per release, dates spread over years.  Rows are written with
``bulk_create`` in batches (link rows and tags included), so 100,000 releases
load in a few minutes on PostgreSQL.  Signals are bypassed, so each batch's
search vectors are built in one UPDATE and the content version is bumped at
the end (cached pages and ETags must not survive the new rows).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from newsroom.caching import content_changed
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation
from search.vectors import is_postgres, update_search_vectors

PLACES = [
    "Islamabad", "Karachi", "Lahore", "Peshawar", "Quetta", "Gilgit", "Muzaffarabad",
    "Multan", "Geneva", "New York", "Bangkok", "Nairobi", "Amman", "Dhaka", "Kabul",
]  # fmt: skip
TOPICS = [
    "migration", "human rights", "human trafficking", "migrant smuggling", "climate",
    "floods", "health", "education", "refugees", "labour mobility", "gender", "children",
    "water", "food security", "disaster risk", "livelihoods", "border management",
    "remittances", "displacement", "protection", "capacity building", "research",
    "policy", "vaccination", "nutrition", "cash assistance", "shelter", "youth",
    "elections", "governance",
]  # fmt: skip
KINDS = [k for k, _ in Organisation.Kind.choices]
SUBJECTS = [
    "The programme", "The joint initiative", "The commission", "The ministry",
    "The country office", "The agency", "The partnership", "The assessment",
    "The training series", "The survey", "The campaign", "The new centre",
]  # fmt: skip
VERBS = [
    "has reached", "will support", "brought together", "trained", "assisted",
    "surveyed", "equipped", "referred", "registered", "consulted", "mapped", "visited",
]  # fmt: skip
OBJECTS = [
    "district officials", "community volunteers", "returning migrants", "women-led households",
    "health workers", "border officers", "teachers", "local journalists", "civil society groups",
    "provincial committees", "young people", "families displaced by floods",
]  # fmt: skip
TAILS = [
    "across {n} districts", "over the past {n} months", "in {n} provinces",
    "with funding from {n} donors", "through {n} mobile teams", "in partnership with {n} agencies",
]  # fmt: skip
QUOTE_OPENERS = [
    "This is a milestone for", "We are proud to stand with",
    "The results show what is possible for", "Our priority remains",
    "Nothing matters more than the safety of",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    tail = rng.choice(TAILS).format(n=rng.randint(2, 60))
    subject, verb, obj = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    return f"{subject} {verb} {rng.randint(20, 9000)} {obj} {tail}."


def body(rng: random.Random, words: int = 600) -> str:
    """About ``words`` words in paragraphs of 3–5 sentences, with one quote."""
    paragraphs, count = [], 0
    while count < words:
        sentences = [sentence(rng) for _ in range(rng.randint(3, 5))]
        if len(paragraphs) == 2:
            opener, obj = rng.choice(QUOTE_OPENERS), rng.choice(OBJECTS)
            sentences.append(f"“{opener} {obj},” said the head of office.")
        text = " ".join(sentences)
        count += len(text.split())
        paragraphs.append(f"<p>{text}</p>")
    return "".join(paragraphs)


def chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(size, n - start)


class Command(BaseCommand):
    help = "Generate N realistic press releases (with organisations, contacts, tags, partnerships)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--organisations", type=int, default=40)
        parser.add_argument("--words", type=int, default=600)

    def handle(self, *args, count: int, batch_size: int, seed: int, **options) -> None:
        if count < 0 or batch_size < 1 or options["organisations"] < 1:
            raise CommandError("--count must be ≥ 0, --batch-size and --organisations ≥ 1.")
        rng = random.Random(seed)
        started = time.monotonic()
        orgs, contacts_by_org, partnerships, tags = self._reference_data(
            rng, options["organisations"]
        )
        prefix = f"gen{seed}-{PressRelease.objects.filter(slug__startswith=f'gen{seed}-').count()}"
        now = timezone.now()
        span = datetime.timedelta(days=365 * 8).total_seconds()
        release_ct = ContentType.objects.get_for_model(PressRelease)
        made, indexing = 0, 0.0
        for start, size in chunks(count, batch_size):
            with transaction.atomic():
                batch = []
                for i in range(start, start + size):
                    publish_at = now - datetime.timedelta(seconds=rng.random() * span + 3600)
                    title = (
                        f"{rng.choice(SUBJECTS).removeprefix('The ')} {rng.choice(VERBS)} "
                        f"{rng.choice(OBJECTS)} in {rng.choice(PLACES)}"
                    ).capitalize()
                    batch.append(
                        PressRelease(
                            title=title,
                            slug=f"{prefix}-{i}-{slugify(title)[:60]}",
                            summary=sentence(rng) + " " + sentence(rng),
                            dateline_place=rng.choice(PLACES),
                            dateline_date=timezone.localdate(publish_at),
                            body=body(rng, options["words"]),
                            status=PressRelease.Status.PUBLISHED,
                            publish_at=publish_at,
                            first_published_at=publish_at,
                            lock_version=1,
                        )
                    )
                # bulk_create skips save(): bodies are generated clean HTML.
                created = PressRelease.objects.bulk_create(batch)
                issuers, contact_links, tagged, announced = [], [], [], []
                partnership_through = PressRelease.partnerships.through
                for release in created:
                    issuing = rng.sample(orgs, k=min(len(orgs), rng.choice((1, 1, 2, 3))))
                    for order, org in enumerate(issuing):
                        issuers.append(
                            ReleaseOrganisation(release=release, organisation=org, order=order)
                        )
                    people = contacts_by_org[issuing[0].pk][: rng.randint(1, 2)]
                    for order, contact in enumerate(people):
                        contact_links.append(
                            ReleaseContact(
                                release=release,
                                contact=contact,
                                order=order,
                                role=ReleaseContact.Role.MEDIA
                                if order == 0
                                else ReleaseContact.Role.MORE_INFO,
                            )
                        )
                    for tag in rng.sample(tags, k=rng.randint(1, 4)):
                        tagged.append(
                            TaggedItem(tag=tag, content_type=release_ct, object_id=release.pk)
                        )
                    if rng.random() < 0.2:
                        announced.append(
                            partnership_through(
                                pressrelease=release, partnership=rng.choice(partnerships)
                            )
                        )
                ReleaseOrganisation.objects.bulk_create(issuers)
                ReleaseContact.objects.bulk_create(contact_links)
                TaggedItem.objects.bulk_create(tagged)
                partnership_through.objects.bulk_create(announced)
                indexing += self._index_batch([release.pk for release in created])
                made += len(created)
            self.stdout.write(f"  {made}/{count} releases ({time.monotonic() - started:.0f} s)")
        if is_postgres():
            self.stdout.write(f"  search vectors built in {indexing:.0f} s of that")
        # bulk_create sends no post_save either: move the content version on
        # so every ETag, cached page and remembered facet count is dropped.
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Generated {made} releases in {time.monotonic() - started:.1f} s.")
        )

    def _reference_data(
        self, rng: random.Random, n_orgs: int
    ) -> tuple[list[Organisation], dict[int, list[MediaContact]], list[Partnership], list[Tag]]:
        """Organisations, contacts, partnerships and tags, created once and reused."""
        orgs = []
        for i in range(n_orgs):
            org, _ = Organisation.objects.get_or_create(
                slug=f"generated-org-{i}",
                defaults={
                    "name": f"Generated Organisation {i}",
                    "acronym": f"GO{i}",
                    "kind": KINDS[i % len(KINDS)],
                    "about": f"<p>Generated organisation number {i}, for benchmarks.</p>",
                },
            )
            orgs.append(org)
        contacts_by_org: dict[int, list[MediaContact]] = {}
        for org in orgs:
            people = []
            for j in range(3):
                contact, _ = MediaContact.objects.get_or_create(
                    email=f"press{j}@{org.slug}.example.org",
                    defaults={
                        "name": f"Press Officer {j} of {org.acronym}",
                        "job_title": "Communications Officer",
                        "organisation": org,
                        "phone": f"+92 51 {rng.randint(1000000, 9999999)}",
                    },
                )
                people.append(contact)
            contacts_by_org[org.pk] = people
        partnerships = []
        for k in range(max(1, n_orgs // 2)):
            partnership, created = Partnership.objects.get_or_create(
                slug=f"generated-partnership-{k}",
                defaults={
                    "title": f"Generated partnership {k}",
                    "kind": Partnership.Kind.MOU,
                    "signed_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=37 * k),
                },
            )
            if created:
                for order, org in enumerate(rng.sample(orgs, k=min(2, len(orgs)))):
                    PartnershipMember.objects.create(
                        partnership=partnership, organisation=org, order=order
                    )
            partnerships.append(partnership)
        tags = [Tag.objects.get_or_create(name=t, defaults={"slug": slugify(t)})[0] for t in TOPICS]
        return orgs, contacts_by_org, partnerships, tags

    def _index_batch(self, release_ids: list[int]) -> float:
        """bulk_create bypasses the signals that keep the search vector
        current, so each batch's vectors are built by the same single UPDATE
        the signals use (``search.vectors.update_search_vectors``; a no-op
        off PostgreSQL).  Returns the seconds it took."""
        started = time.monotonic()
        update_search_vectors(release_ids)
        return time.monotonic() - started
