"""Small text rules of an import: summaries, slugs, sentence-case headlines.

Pure functions (no database), so the parser, the writer and the admin's
preview share them and tests can state each rule on a line of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.text import slugify

#: The longest summary an import makes. Long enough for the one long opening
#: sentence media updates favour; a summary is shown in lists, feeds and
#: search results, where a whole paragraph would drown the headline.
SUMMARY_LIMIT = 400
#: The longest slug an import makes: a release's address is read aloud, typed
#: and pasted into messages; a whole headline in it helps no one.
SLUG_LIMIT = 80

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "prof", "gen", "col", "lt", "capt", "hon",
    "sr", "jr", "vs", "etc", "e.g", "i.e", "approx", "dept", "govt", "mt", "rev",
}  # fmt: skip
# A possible sentence end: . ! or ? (and a closing quote or bracket), then space
# and something that can start a sentence.
_END_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z0-9“\"‘'(])")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences, not at "Mr.", "Dr.", initials or "U.N."."""
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for match in _END_RE.finditer(text):
        before = text[start : match.start() + 1]
        last = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last):
            continue  # "Dr.", "A.", "U.N."
        out.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def cut_at_word(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:—–-( ") + "…"


def summarise(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """A summary from an opening paragraph, never cut in the middle of a sentence
    when a sentence end fits: the first sentence (and the next, when the first is
    short and both fit); a first sentence longer than ``limit`` is cut at a word
    and ends with "…" so the reader sees it was shortened."""
    parts = sentences(text)
    if not parts:
        return ""
    summary = parts[0]
    if len(summary) > limit:
        return cut_at_word(summary, limit)
    if len(parts) > 1 and len(summary) < 100 and len(summary) + 1 + len(parts[1]) <= limit:
        summary += " " + parts[1]
    return summary


def slug_base(text: str, limit: int = SLUG_LIMIT) -> str:
    """``slugify(text)`` cut at a word (a hyphen) to at most ``limit`` characters."""
    slug = slugify(text) or "release"
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]  # keep a word that ends exactly at the limit
    cut = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
    return cut[:limit].strip("-") or slug[:limit]


#: Places a headline may name; kept capitalised in sentence case.  Modest on
#: purpose: the places of the newsroom's region and of the organisations it
#: works with.  A word not here and not in an organisation's name is lowered,
#: so the preview shows the result and the person chooses.
KNOWN_PLACES = frozenset(
    [
        "Pakistan", "Islamabad", "Karachi", "Lahore", "Peshawar", "Quetta", "Rawalpindi",
        "Multan", "Faisalabad", "Hyderabad", "Gilgit", "Baltistan", "Gilgit-Baltistan",
        "Punjab", "Sindh", "Balochistan", "Khyber", "Pakhtunkhwa", "Khyber-Pakhtunkhwa",
        "Kashmir", "Azad", "Jammu", "Muzaffarabad", "Sialkot", "Gwadar", "Sukkur", "Kasur",
        "Swat", "Afghanistan", "Kabul", "Iran", "India", "China", "Bangladesh", "Geneva",
        "Asia", "Europe", "Africa",
    ]
)  # fmt: skip


def sentence_case(title: str, keep: Iterable[str] = ()) -> str:
    """``title`` in sentence case: its first letter capitalised, the rest lowered,
    except acronyms (``IOM``, ``MoU``), known places (:data:`KNOWN_PLACES`) and the
    phrases in ``keep`` (organisation names, the dateline place) as written."""
    protected: list[tuple[int, int]] = []
    for phrase in sorted({p.strip() for p in keep if p and p.strip()}, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", title, re.I):
            protected.append(match.span())

    def in_protected(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in protected)

    def word(match: re.Match) -> str:
        text = match.group(0)
        if in_protected(match.start(), match.end()) or text in KNOWN_PLACES or text == "I":
            return text
        if any(c.isupper() for c in text[1:]):  # IOM, MoU, UNHCR's
            return text
        return text.lower()

    lowered = re.sub(r"[^\W\d_][\w'’-]*", word, title)
    for i, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:i] + char.upper() + lowered[i + 1 :]
        if char.isdigit():
            break
    return lowered
