"""Arabic-script normalisation: one rule for what is indexed and what is asked.

Urdu is typed on several keyboards and copied from Arabic, Persian and
Nastaliq sources, so one word reaches the newsroom in several spellings that
a reader sees as the same: Arabic yeh ``ي`` or Farsi/Urdu yeh ``ی``, Arabic
kaf ``ك`` or keheh ``ک``, with or without vowel marks, with a zero-width
non-joiner inside a compound ("ہو‌گئے") or without ("ہوگئے"), digits in
Arabic-Indic, Extended Arabic-Indic or ASCII.  The search key folds these to
one spelling.  It is a *key*: what is shown (titles, excerpts) is never
normalised.

The rules, in order (every step is one table or pattern below, and
:func:`normalise` and :func:`normalise_sql` are both built from them, so the
index and the query cannot drift; ``tests/search/test_normalise.py`` runs the
same samples through Python and PostgreSQL):

1. Unicode NFKC: presentation forms (``ﻛ`` from old PDFs and Word files)
   become the letters they show; then ``ی`` + combining hamza is ``ئ``.
2. One table of single characters (:data:`CHARACTER_MAP`): ``ي ى → ی``,
   ``ك → ک``, ``ۀ ۂ ە → ہ``, ``ة → ہ`` (Urdu writes the Arabic feminine ending
   as ``ہ``: مدینة → مدینہ; the Urdu letter ``ۃ`` itself, read "t" in زکوٰۃ,
   is kept), Arabic-Indic and Extended Arabic-Indic digits → ``0–9``; removed:
   harakat (U+064B–U+065F), superscript alef (U+0670), the honorific and
   Quranic marks (U+0610–U+061A, U+06D6–U+06ED), tatweel (U+0640), ZWNJ,
   ZWJ, zero-width space, word joiner, soft hyphen and the byte-order mark.
3. **Arabic heh** ``ه`` (U+0647).  Urdu has two letters where Arabic has one:
   heh goal ``ہ`` (U+06C1: کہا، شہر، کہ) and do-chashmi ``ھ`` (U+06BE), which
   only marks aspiration after a consonant (بھی، گھر، کھانا، تھا).  Text
   typed on an Arabic or Persian keyboard has only ``ه`` for both, and in
   Naskh its joined medial form is drawn like ``ھ``.  So ``ه`` becomes ``ھ``
   where it can only be do-chashmi — **after one of the consonants Urdu
   aspirates (ب پ ت ٹ ج چ د ڈ ر ڑ ک گ) and followed by another letter of the
   same word** — and ``ہ`` everywhere else (word start, word end, after a
   vowel letter or any other consonant).  The rule touches only ``ه``: text
   written with the Urdu letters ``ہ`` and ``ھ`` is left as it is, so an Urdu
   keyboard's spelling is always the key.  Known cost: an Arabic-keyboard
   "كها" (said, کہا) is read as کھا; a word so short and common is no search
   term of its own.

Nothing here lowercases or stems: PostgreSQL's text search configuration does
that per language (:mod:`search.languages`).
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Func, TextField

#: Single characters mapped to another (or to nothing: ``""``).
CHARACTER_MAP: dict[str, str] = {
    "\u064a": "\u06cc",  # ي Arabic yeh → ی
    "\u0649": "\u06cc",  # ى alef maksura → ی
    "\u0643": "\u06a9",  # ك Arabic kaf → ک
    "\u06c0": "\u06c1",  # ۀ heh with yeh above → ہ
    "\u06c2": "\u06c1",  # ۂ heh goal with hamza above → ہ
    "\u06d5": "\u06c1",  # ە ae → ہ
    "\u0629": "\u06c1",  # ة teh marbuta → ہ
    **{chr(0x0660 + d): str(d) for d in range(10)},  # ٠–٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # ۰–۹
    **{chr(c): "" for c in range(0x064B, 0x0660)},  # harakat, hamza marks
    "\u0670": "",  # superscript alef
    **{chr(c): "" for c in range(0x0610, 0x061B)},  # honorifics ؐ ؑ ؒ …
    **{chr(c): "" for c in range(0x06D6, 0x06EE)},  # Quranic marks
    "\u0640": "",  # tatweel
    "\u200b": "",  # zero-width space
    "\u200c": "",  # zero-width non-joiner
    "\u200d": "",  # zero-width joiner
    "\u2060": "",  # word joiner
    "\u00ad": "",  # soft hyphen
    "\ufeff": "",  # byte-order mark / zero-width no-break space
}

#: ``ی`` + combining hamza above, which NFKC leaves apart, is ``ئ``.
YEH_HAMZA = ("\u06cc\u0654", "\u0626")
ARABIC_HEH, HEH_GOAL, DO_CHASHMI = "\u0647", "\u06c1", "\u06be"
#: Consonants Urdu aspirates with do-chashmi (after the character map).
ASPIRATED = "بپتٹجچدڈرڑکگ"
#: Letters of the Arabic block: "followed by another letter of the word".
_LETTER = "\u0621-\u06ff"
#: ``ه`` as do-chashmi: after an aspirated consonant, inside a word.
DO_CHASHMI_PATTERN = f"([{ASPIRATED}]){ARABIC_HEH}(?=[{_LETTER}])"

#: Text with none of these (the Arabic block, Arabic presentation forms, the
#: invisible joiners and marks) is its own key: English skips the work, which
#: matters when every body of the archive is indexed.
GUARD_PATTERN = "[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u200b-\u200d\u2060\u00ad]"

_TABLE = str.maketrans(CHARACTER_MAP)
_DO_CHASHMI = re.compile(DO_CHASHMI_PATTERN)
_GUARD = re.compile(GUARD_PATTERN)


def normalise(text: str | None) -> str:
    """The search key of ``text`` (see the module docstring for the rules)."""
    if not text:
        return ""
    if not _GUARD.search(text):
        return text
    text = unicodedata.normalize("NFKC", text).replace(*YEH_HAMZA).translate(_TABLE)
    text = _DO_CHASHMI.sub(rf"\1{DO_CHASHMI}", text)
    return text.replace(ARABIC_HEH, HEH_GOAL)


def _sql_translate_arguments() -> tuple[str, str, str]:
    """``translate(text, from, to)`` arguments for the mapped characters of
    :data:`CHARACTER_MAP`, and a bracket expression of the deleted ones.
    Deleting with one ``regexp_replace`` is much faster than listing them in
    ``translate``, whose cost grows with the length of ``from``."""
    mapped = [(k, v) for k, v in CHARACTER_MAP.items() if v]
    deleted = [k for k, v in CHARACTER_MAP.items() if not v]
    source = "".join(k for k, _ in mapped)
    return source, "".join(v for _, v in mapped), "[" + "".join(deleted) + "]"


def normalise_sql_body(argument: str = "$1") -> str:
    """The SQL of :func:`normalise` applied to ``argument``: the body of the
    ``search_normalise(text)`` function the search migration installs."""
    source, target, deleted = _sql_translate_arguments()

    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    # Same steps, same order as normalise(): the guard, NFKC, the table
    # (deletions, then the mapped characters: the sets are disjoint), the
    # do-chashmi pattern, then every other Arabic heh is heh goal.
    # The function is declared STRICT: NULL in, NULL out.
    composed = (
        f"replace(normalize({argument}, NFKC), {literal(YEH_HAMZA[0])}, {literal(YEH_HAMZA[1])})"
    )
    stripped = f"regexp_replace({composed}, {literal(deleted)}, '', 'g')"
    translated = f"translate({stripped}, {literal(source)}, {literal(target)})"
    pattern = DO_CHASHMI_PATTERN
    backreference = literal(chr(92) + "1" + DO_CHASHMI)
    replaced = f"regexp_replace({translated}, {literal(pattern)}, {backreference}, 'g')"
    normalised = f"replace({replaced}, {literal(ARABIC_HEH)}, {literal(HEH_GOAL)})"
    guard = literal(GUARD_PATTERN)
    return f"CASE WHEN {argument} ~ {guard} THEN {normalised} ELSE {argument} END"


#: Name of the SQL function (installed by ``search/migrations/0001``).
SQL_FUNCTION = "search_normalise"


def create_function_sql() -> str:
    """``CREATE OR REPLACE FUNCTION search_normalise(text)``.  IMMUTABLE, so
    an index can be built on it (the trigram index of the search migration).
    After a change to the rules above, a new migration must run this again
    and ``manage.py rebuild_search_vectors``."""
    return (
        f"CREATE OR REPLACE FUNCTION {SQL_FUNCTION}(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $norm$ "
        f"SELECT {normalise_sql_body()} $norm$"
    )


class Normalise(Func):
    """``search_normalise(expression)`` in a query (PostgreSQL only)."""

    function = SQL_FUNCTION
    output_field = TextField()


def normalise_sql(expression) -> Func:
    """:func:`normalise` as a database expression over ``expression`` (a
    field name or an expression)."""
    return Normalise(expression)
