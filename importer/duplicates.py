"""Does an imported release look like one already in the newsroom?

The same media update often exists as a .txt and as a .docx, or is sent
again a week later; their bytes differ, so the file checksum
(``ImportRecord.sha256``) does not catch them and the import made a second
draft of every release.  Here a release is a likely duplicate when an
existing one has the same headline (ignoring case and spacing), or a
headline and opening that are nearly the same:

* on PostgreSQL by ``pg_trgm``'s ``similarity()`` (the extension is created
  by ``releases`` migration 0004, which also indexes titles by trigram);
* elsewhere (SQLite in development) by ``difflib``'s ratio, over a bounded
  set of candidates that share a long word of the headline.

The writer skips a likely duplicate unless told to import it anyway; the
admin's preview and the command's report say which release it resembles.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from releases.models import PressRelease

#: ``similarity()`` of "headline + opening" from which two releases are the
#: same story (pg_trgm counts shared three-letter pieces: a reworded headline
#: over the same opening scores ~0.7-0.9, two stories on one topic ~0.2-0.4).
TRIGRAM_THRESHOLD = 0.6
#: ``difflib.SequenceMatcher.ratio()`` from which two releases are the same
#: story; a stricter number as ratio rates unrelated English text higher.
RATIO_THRESHOLD = 0.8
#: Releases the portable path compares at most (newest first).
MAX_CANDIDATES = 200
#: Likely duplicates reported per release.
MAX_REPORTED = 3


@dataclass(frozen=True)
class Duplicate:
    """An existing release an imported one resembles, and why."""

    release: PressRelease
    reason: str

    def describe(self) -> str:
        return (
            f"looks like “{self.release.title}” (release #{self.release.pk}, "
            f"{self.release.get_status_display().lower()}): {self.reason}"
        )


def normalise_title(title: str) -> str:
    """A headline for comparison: case and runs of spaces do not count."""
    return " ".join(title.casefold().split())


def _probe(title: str, opening: str) -> str:
    return f"{title} {opening}".strip()


def find_duplicates(
    title: str, opening: str, *, exclude: list[int] | None = None
) -> list[Duplicate]:
    """Existing releases that look like a release titled ``title`` opening with
    ``opening`` (its summary or first paragraph); most alike first."""
    if not title.strip():
        return []
    releases = PressRelease.objects.exclude(pk__in=exclude or [])
    if connections[releases.db].vendor == "postgresql":
        scored = trigram_candidates(releases, title, opening)
        threshold = TRIGRAM_THRESHOLD
    else:
        scored = ratio_candidates(releases, title, opening)
        threshold = RATIO_THRESHOLD
    wanted = normalise_title(title)
    found: list[Duplicate] = []
    for release, score in scored:
        if normalise_title(release.title) == wanted and wanted != "untitled release":
            found.append(Duplicate(release, "the same headline"))
        elif score >= threshold:
            found.append(Duplicate(release, f"headline and opening {score:.0%} alike"))
    found.sort(key=lambda d: d.reason != "the same headline")
    return found[:MAX_REPORTED]


def trigram_candidates(
    releases: QuerySet[PressRelease], title: str, opening: str
) -> list[tuple[PressRelease, float]]:
    """PostgreSQL: releases whose headline is trigram-similar (or equal, whatever
    the case), scored by ``similarity()`` of headline and opening together."""
    probe = _probe(title, opening)
    return [
        (release, float(release.likeness or 0))
        for release in releases.annotate(
            title_likeness=TrigramSimilarity("title", title),
            likeness=TrigramSimilarity(
                Concat(F("title"), Value(" "), F("summary"), output_field=TextField()), probe
            ),
        )
        .filter(
            Q(title__iexact=title.strip())
            | Q(title_likeness__gte=0.3)
            | Q(likeness__gte=TRIGRAM_THRESHOLD)
        )
        .only("pk", "title", "summary", "status")
        .order_by("-likeness", "-pk")[: MAX_REPORTED * 4]
    ]


def ratio_candidates(
    releases: QuerySet[PressRelease], title: str, opening: str
) -> list[tuple[PressRelease, float]]:
    """Any database: the newest releases sharing one of the headline's three
    longest words, scored by ``difflib`` over headline and opening, lower-cased."""
    words = sorted(set(re.findall(r"\w{4,}", title)), key=len, reverse=True)[:3]
    match = Q(title__iexact=title.strip())
    for word in words:
        match |= Q(title__icontains=word)
    probe = normalise_title(_probe(title, opening))
    scored = []
    candidates = releases.filter(match).only("pk", "title", "summary", "status")
    for release in candidates.order_by("-pk")[:MAX_CANDIDATES]:
        other = normalise_title(_probe(release.title, release.summary))
        matcher = difflib.SequenceMatcher(None, probe, other, autojunk=False)
        score = matcher.ratio() if matcher.quick_ratio() >= RATIO_THRESHOLD else 0.0
        scored.append((release, score))
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored
