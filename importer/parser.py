"""Text → structured releases.  Pure: no database, no Django models.

A media update is written by people, not machines, so the parser works from
the few anchors every office uses — the "PRESS RELEASE" label, the dateline
("Islamabad, 18 October 2023:"), "About X:" boilerplates, a contacts heading,
closing marks — and treats everything else as body text.  Whatever it cannot
place is kept in ``unrecognised`` so that nothing the office wrote is lost:
:meth:`ParsedDocument.texts` returns every piece, and the tests check that
every non-empty input line is found in it.

Urdu media updates use the same anchors in Urdu: "پریس ریلیز", a dateline
"اسلام آباد، 18 اکتوبر 2023" (Urdu month names; Western, Arabic-Indic or
Extended Arabic-Indic digits "۱۸ اکتوبر ۲۰۲۳"; the Urdu comma "،"), "میڈیا
اپڈیٹ" for the bundle, "… کے بارے میں" for an About boilerplate and "رابطہ",
"میڈیا رابطہ" or "مزید معلومات کے لیے" for contacts.  Each release's language
is read from its script (:func:`detect_language`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from importer.text import summarise

# ---------------------------------------------------------------------------
# Patterns

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
#: Urdu month names (as Pakistani newspapers spell them) → month number.
URDU_MONTHS = {
    "جنوری": 1, "فروری": 2, "مارچ": 3, "اپریل": 4, "مئی": 5, "جون": 6,
    "جولائی": 7, "اگست": 8, "ستمبر": 9, "اکتوبر": 10, "نومبر": 11, "دسمبر": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
    r"|" + "|".join(sorted(URDU_MONTHS, key=len, reverse=True))
)
_WEEKDAY = (
    r"(?:(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|پیر|منگل|بدھ|جمعرات|جمعہ|ہفتہ|اتوار)[,،]?\s+)?"
)
DATE_PATTERN = (
    _WEEKDAY + r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _MONTH + r")[,،]?\s+(?P<y1>\d{4})"
    r"|(?P<m2>" + _MONTH + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))"
)
_DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
_DATE_ONLY_RE = re.compile(r"^\W*" + DATE_PATTERN + r"\W*$", re.IGNORECASE)

#: A place name's word: capitalised Latin, or Urdu (Arabic script, ZWNJ inside).
_PLACE_WORD = r"(?:[A-Z][A-Za-z'’.\-]*|[\u0621-\u064a\u066e-\u06d3\u06d5][\u0621-\u06d5\u200c]*)"
_PLACE = (
    r"(?P<place>" + _PLACE_WORD + r"(?:\s(?:" + _PLACE_WORD + r"|de|del|da|al|el|es))*"
    r"(?:[,،]\s*" + _PLACE_WORD + r"(?:\s" + _PLACE_WORD + r")*)?)"
)
#: Datelines: "Islamabad, 18 October 2023:", "GENEVA, 3 March 2024 -" (any dash),
#: "Islamabad, Pakistan - September 25, 2023 -", "Karachi (12 May 2024) -".
_DATELINE_RE = re.compile(
    r"^\(?" + _PLACE + r"\s*(?:[,،]|\s[-–—]|\(|[-–—])\s*" + DATE_PATTERN
    + r"\)?(?:\s*(?P<sep>[:–—-]+|[,،])\s*|\s*$)"
)  # fmt: skip

_LABEL_RE = re.compile(
    r"^(?:(?:press|news|media)\s+(?:release|statement|advisory)|for\s+immediate\s+release"
    r"|embargoed\b.{0,80}|(?:پریس|میڈیا)\s+ریلیز|اعلامیہ|برائے\s+فوری\s+اشاعت)\W*$",
    re.IGNORECASE,
)
_MEDIA_UPDATE_RE = re.compile(
    r"^(?:media\s+update|میڈیا\s+اپ\s?ڈیٹ)\b\W*(?P<rest>.{0,100})$", re.IGNORECASE
)
_CLOSING_RE = re.compile(
    r"^(?:[-–—*\s]*(?:ends?|the\s+end|ختم(?:\s+شد)?)[-–—*.۔\s]*|-\s*30\s*-|#\s*#\s*#"
    r"|\*\s*\*\s*\*)$",
    re.IGNORECASE,
)
_CONTACT_HEADER_RE = re.compile(
    r"^(?P<label>for\s+(?:more|further)\s+information(?:,?\s+please\s+contact)?"
    r"|for\s+media\s+(?:enquiries|inquiries)(?:,?\s+please\s+contact)?"
    r"|media\s+(?:contacts?|enquiries|inquiries)|press\s+(?:contacts?|office|enquiries|inquiries)"
    r"|contacts?(?:\s+information)?|spokespe(?:rson|ople))"
    r"(?:\s*\([^)]*\))?(?:\s*(?::|[–—-]\s)\s*(?P<rest>.*)|\s*:?\s*$)",
    re.IGNORECASE,
)
_NOTES_RE = re.compile(
    r"^(?:notes?\s+(?:to|for)\s+(?:the\s+)?editors?|editors?['’]?s?\s+notes?)"
    r"(?:\s*(?::|[–—-]\s)\s*(?P<rest>.*)|\s*:?\s*$)",
    re.IGNORECASE,
)
_ABOUT_INLINE_RE = re.compile(
    r"^(?:About\s+(?P<subject>[^:\n]{1,120}?)|(?P<subject_ur>[^:\n۔]{1,120}?)\s+کے\s+بارے\s+میں)"
    r"\s*:\s*(?P<text>\S.*)$"
)
_ABOUT_HEADER_RE = re.compile(
    r"^(?:About\s+(?P<subject>[^:\n.]{1,100}?)|(?P<subject_ur>[^:\n.۔]{1,100}?)\s+کے\s+بارے\s+میں)"
    r"\s*:?$"
)
#: Urdu contact headings: "رابطہ:", "میڈیا رابطہ", "رابطہ برائے میڈیا",
#: "مزید معلومات کے لیے رابطہ کریں:", "ترجمان:".
_CONTACT_HEADER_UR_RE = re.compile(
    r"^(?P<label>(?:میڈیا\s+)?رابط[ہے](?:\s+برائے\s+میڈیا)?"
    r"|مزید\s+معلومات\s+کے\s+لی[ےئ]ے?(?:\s+رابطہ\s+کریں)?|ترجمان)"
    r"(?:\s*(?::|[–—-]\s)\s*(?P<rest>.*)|\s*:?\s*$)"
)

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL_RE = re.compile(r"(?:https?://|www\.)[^\s,;<>()\"“”]+", re.IGNORECASE)
PHONE_RE = re.compile(
    r"(?<![\w@/.])(?:\+\s*\(?\s*\d{1,3}\s*\)?|\(?\+?0\d{1,4}\)?)(?:[\s().\-/]*\d){5,14}"
)
_HONORIFIC_RE = re.compile(
    r"^(?P<h>Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Hon|H\.\s?E|Engr?)\.?\s+(?P<n>\S.*)$"
)
_FIELD_LABEL_RE = re.compile(
    r"(?i)(?:^|(?<=[\s,;|(]))(?:e-?mail|tel(?:ephone)?|phone|mob(?:ile)?|cell(?:phone)?"
    r"|whats\s?app|fax|web(?:site)?|skype|[TMEWP])\s*(?:[:.]|(?=\s*$))"
)
_DEFINITION_RE = re.compile(
    r"(?P<name>[A-Z][\w'’&.\-]*(?:\s+(?:[A-Z][\w'’&.\-]*|of|for|on|and|the|de|du|des|la|le"
    r"|in|to|&))*)\s*\((?P<acr>[A-Z][A-Za-z&\-]{1,14})\)"
)
_QUOTE_RE = re.compile(r"[“\"«]([^”\"»]{12,})[”\"»]")
_HEADING_MARK_RE = re.compile(r"^#{1,6}\s+(?=\S)")

ORG_WORDS = {
    "organization", "organisation", "commission", "agency", "ministry", "office", "fund",
    "programme", "program", "council", "authority", "bureau", "department", "association",
    "federation", "union", "bank", "foundation", "society", "centre", "center", "network",
    "corporation", "directorate", "division", "secretariat", "board", "police", "court",
    "assembly", "parliament", "senate", "government", "nations", "alliance", "coalition",
    "trust", "unit", "cell", "forum", "committee", "institution",
}  # fmt: skip
TITLE_WORDS = {
    "coordinator", "officer", "assistant", "manager", "director", "head", "chief",
    "spokesperson", "spokesman", "spokeswoman", "adviser", "advisor", "specialist",
    "associate", "analyst", "consultant", "chairperson", "chair", "chairman", "president",
    "secretary", "minister", "representative", "lead", "editor", "communications",
    "communication", "press", "media", "information", "deputy", "senior", "relations",
    "focal", "executive", "programme", "program", "intern", "counsellor", "attaché",
}  # fmt: skip
#: Urdu words of job titles and organisations in contact lines.
URDU_TITLE_WORDS = {
    "ترجمان", "آفیسر", "افسر", "ڈائریکٹر", "مینیجر", "سربراہ", "کوآرڈینیٹر", "چیئرپرسن",
    "چیئرمین", "سیکرٹری", "وزیر", "نمائندہ", "مشیر", "میڈیا", "اطلاعات", "ڈپٹی", "سینئر",
}  # fmt: skip
URDU_ORG_WORDS = {
    "محکمہ", "ادارہ", "وزارت", "حکومت", "کمیشن", "اتھارٹی", "دفتر", "تنظیم", "کونسل",
    "فاؤنڈیشن", "انجمن", "پولیس", "عدالت", "اسمبلی", "بینک", "ادارے",
}  # fmt: skip
TITLE_WORDS |= URDU_TITLE_WORDS
ORG_WORDS |= URDU_ORG_WORDS
_PARTICLES = {"bin", "binti", "van", "von", "de", "da", "del", "al", "el", "ul", "ur", "la", "le"}
_NOT_NAMES = {"the", "and", "for", "of", "with", "please", "visit", "email", "phone", "tel"}


# ---------------------------------------------------------------------------
# Results


@dataclass
class ParsedOrganisation:
    key: str
    name: str
    acronym: str = ""
    parent_key: str = ""


@dataclass
class ParsedContact:
    name: str = ""
    honorific: str = ""
    job_title: str = ""
    organisation_text: str = ""
    organisation_key: str = ""
    email: str = ""
    phone: str = ""
    role: str = "media"  # ReleaseContact.Role values
    source: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class ParsedAbout:
    subject: str
    organisation_key: str
    text: str
    source: str


@dataclass
class ParsedInbox:
    """A shared e-mail address or website (not a person's)."""

    organisation_key: str
    kind: str  # "email" or "website"
    value: str
    source: str


@dataclass
class ParsedRelease:
    title: str = ""
    labels: list[str] = field(default_factory=list)
    summary: str = ""
    subtitle: str = ""
    dateline_place: str = ""
    dateline_date: datetime.date | None = None
    dateline_source: str = ""
    paragraphs: list[str] = field(default_factory=list)
    first_paragraph_source: str = ""
    notes: list[str] = field(default_factory=list)
    abouts: list[ParsedAbout] = field(default_factory=list)
    contacts: list[ParsedContact] = field(default_factory=list)
    contact_headers: list[str] = field(default_factory=list)
    #: Lines read as two pieces (a heading with a contact on the same line),
    #: kept whole too, so that nothing of the source is lost from sight.
    split_lines: list[str] = field(default_factory=list)
    inboxes: list[ParsedInbox] = field(default_factory=list)
    organisation_keys: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The release's language, read from its script (``""``: the default).
    language: str = ""

    def texts(self) -> list[str]:
        """Every piece of source text this release holds."""
        out = [self.title, self.subtitle, self.first_paragraph_source, *self.labels]
        out += [self.dateline_source, *self.paragraphs, *self.notes, *self.closing]
        out += [a.source for a in self.abouts] + self.contact_headers + self.split_lines
        out += [line for c in self.contacts for line in c.source]
        out += [i.source for i in self.inboxes] + self.unrecognised
        return [t for t in out if t]


@dataclass
class ParsedBulletin:
    title: str
    date: datetime.date | None
    organisation_text: str = ""
    organisation_key: str = ""
    source: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    bulletin: ParsedBulletin | None
    releases: list[ParsedRelease]
    organisations: dict[str, ParsedOrganisation]
    warnings: list[str] = field(default_factory=list)
    #: Text before the first release when there is no release to keep it in.
    unrecognised: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        out: list[str] = list(self.unrecognised)
        if self.bulletin:
            out += self.bulletin.source + self.bulletin.intro
        for release in self.releases:
            out += release.texts()
        return out


# ---------------------------------------------------------------------------
# Small helpers


def normalise_line(line: str) -> str:
    """One source line as the parser sees it: trimmed, spaces collapsed,
    Markdown heading marks and bold markers removed."""
    line = re.sub(r"\s+", " ", line).strip()
    line = _HEADING_MARK_RE.sub("", line)
    for mark in ("**", "__"):
        if len(line) > 4 and line.startswith(mark) and line.endswith(mark):
            line = line[2:-2].strip()
    return line


def parse_date(text: str) -> datetime.date | None:
    """The first date written in ``text`` ("18 October 2023", "September 25, 2023")."""
    match = _DATE_RE.search(_dateable(text))
    return _date_from_match(match) if match else None


def _date_from_match(match: re.Match) -> datetime.date | None:
    g = match.groupdict()
    try:
        if g.get("y3"):
            return datetime.date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        day, month, year = (
            (g["d1"], g["m1"], g["y1"]) if g.get("d1") else (g["d2"], g["m2"], g["y2"])
        )
        number = URDU_MONTHS.get(month) or _MONTHS[month[:3].lower()]
        return datetime.date(int(year), number, int(day))
    except (ValueError, KeyError, TypeError):
        return None


#: Digits and letters read the same in a dateline, one character for one, so a
#: match on the translated copy has the positions of the original text.
_DATE_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "\u064a": "\u06cc",  # ي → ی
        "\u0643": "\u06a9",  # ك → ک
    }
)


def _dateable(text: str) -> str:
    """``text`` with Arabic-Indic digits as ASCII and Arabic yeh/kaf as the
    Urdu letters (the same length, so match positions carry over)."""
    return text.translate(_DATE_DIGITS)


def match_dateline(text: str) -> re.Match | None:
    match = _DATELINE_RE.match(_dateable(text))
    if not match or _date_from_match(match) is None:
        return None
    place = match.group("place")
    if place.split(",")[0].strip().lower() in _NOT_NAMES | {"since", "on", "in", "by", "until"}:
        return None
    return match


def _place(raw: str) -> str:
    """City of a dateline: "Islamabad, Pakistan" → "Islamabad"; "GENEVA" → "Geneva"."""
    city = re.split(r"[,،]", raw)[0].strip(" -–—(")
    return city.title() if city.isupper() else city


def _split_parts(text: str) -> list[str]:
    """Split on commas and spaced dashes/bars outside parentheses."""
    parts, depth, cur = [], 0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in ",;|،؛" or (ch in "–—" and text[i - 1 : i] == " ")):
            parts.append(cur)
            cur = ""
        elif depth == 0 and text[i : i + 3] == " - ":
            parts.append(cur)
            cur = ""
            i += 2
        else:
            cur += ch
        i += 1
    parts.append(cur)
    cleaned = [_balance(p.strip(" \t:;,.|/-–—،؛۔")) for p in parts]
    return [p for p in cleaned if p and p.lower() not in {"or", "and"}]


def _balance(text: str) -> str:
    """Drop a bracket left over from a removed e-mail, keep "(Partnerships)"."""
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].strip()
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text.strip(" \t:;,.|/-–—")


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’&\-]*|[\u0621-\u06d5][\u0621-\u06d5\u200c]*", text)


def _has_word(text: str, vocabulary: set[str]) -> bool:
    return any(w.lower().strip("'’") in vocabulary for w in _words(text))


def _is_acronym(token: str) -> bool:
    return len(token) >= 2 and token.replace("&", "").isupper() and token.isalpha()


def looks_like_person(text: str) -> bool:
    """ "Ramsha Nadeem" yes; "Media & Communications Assistant", "IOM Pakistan" no."""
    if any(ch.isdigit() for ch in text) or "@" in text or len(text) > 60:
        return False
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    if _has_word(text, TITLE_WORDS | ORG_WORDS | _NOT_NAMES):
        return False
    if all(_is_arabic_script(w) for w in words):
        # Urdu names have no capitals: two to five words, none a title's or
        # an organisation's (checked above), is a name.
        return True
    for w in words:
        if w.lower() in _PARTICLES:
            continue
        if not (w[0].isupper() and (len(w) == 1 or not w.isupper() or len(w) <= 2)):
            return False
        if not re.fullmatch(r"[A-Za-zÀ-ÿ'’.\-]+", w):
            return False
    return True


def _is_arabic_script(word: str) -> bool:
    return bool(word) and all("\u0600" <= ch <= "\u06ff" or ch == "\u200c" for ch in word)


def _is_titleish(text: str) -> bool:
    return _has_word(text, TITLE_WORDS)


def _clean_url(url: str) -> str:
    return url.rstrip(".,;:!?)”\"'")


def _first_sentence(text: str, limit: int = 300) -> str:
    abbreviations = r"(?<!\bMs)(?<!\bMr)(?<!\bDr)(?<!\bMrs)(?<!\bSt)(?<!\bNo)(?<!\bProf)"
    parts = re.split(abbreviations + r"(?<=[.!?])\s+(?=[A-Z“\"])", text, maxsplit=1)
    sentence = parts[0].strip()
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


# ---------------------------------------------------------------------------
# Paragraphs


@dataclass
class _Para:
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def contact_header(line: str) -> re.Match | None:
    """ "Media contact:", "For more information" … but a bare "Spokesperson" or
    "Contact" line is a job title or a word, so those need their colon (as
    does the Urdu "ترجمان", spokesperson)."""
    match = (
        (_CONTACT_HEADER_RE.match(line) or _CONTACT_HEADER_UR_RE.match(line))
        if len(line) < 160
        else None
    )
    if match is None:
        return None
    label = match.group("label").lower()
    if (label.startswith(("contact", "spokesp", "press office", "ترجمان"))) and ":" not in line:
        return None
    if match.group("rest") is not None and len(line) >= 120:
        return None
    return match


def _is_structural(line: str) -> bool:
    return bool(
        _LABEL_RE.match(line)
        or _CLOSING_RE.match(line)
        or contact_header(line)
        or _NOTES_RE.match(line)
        or _about_subject(_ABOUT_HEADER_RE.match(line)) is not None
        or _MEDIA_UPDATE_RE.match(line)
    )


def _paragraphs(text: str) -> list[_Para]:
    """Blank-line separated paragraphs; structural lines stand alone."""
    paras: list[_Para] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paras.append(_Para(list(current)))
            current.clear()

    for raw in text.split("\n"):
        line = normalise_line(raw)
        if not line:
            flush()
            continue
        if _is_structural(line):
            flush()
            paras.append(_Para([line]))
            continue
        if current and (_is_structural(current[-1]) or match_dateline(line)):
            flush()
        current.append(line)
    flush()
    return paras


def _about_subject(match: re.Match | None) -> str | None:
    """The organisation an "About X" (or Urdu "X کے بارے میں") line names, if
    it names one.  An Urdu subject is any short phrase without a full stop:
    the words "کے بارے میں" on a line of their own mark the boilerplate as
    plainly as "About"."""
    if match is None:
        return None
    if match.group("subject_ur"):
        subject = match.group("subject_ur").strip()
        return subject if len(subject.split()) <= 10 else None
    subject = match.group("subject").strip()
    return subject if _about_subject_ok(subject) else None


def _about_subject_ok(subject: str) -> bool:
    subject = re.sub(r"^the\s+", "", subject.strip(), flags=re.IGNORECASE)
    if not subject or not subject[0].isupper() or len(subject) > 100:
        return False
    first = subject.split()[0].strip(",")
    return (
        _is_acronym(first) or _has_word(subject, ORG_WORDS) or bool(_DEFINITION_RE.search(subject))
    )


# ---------------------------------------------------------------------------
# Organisations


class _Organisations:
    """Organisations named in the document, found from acronym definitions
    ("National Commission for Human Rights (NCHR)"), country offices
    ("(IOM) Pakistan" used again as "IOM Pakistan") and explicit references
    (the bulletin header, "About X:", a contact's organisation)."""

    def __init__(self, full_text: str) -> None:
        self.text = full_text
        self.definitions: dict[str, str] = {}
        self.orgs: dict[str, ParsedOrganisation] = {}
        for match in _DEFINITION_RE.finditer(full_text):
            acronym = match.group("acr")
            name = _trim_definition(match.group("name"), acronym)
            if name and acronym not in self.definitions:
                self.definitions[acronym] = name
        for acronym, name in self.definitions.items():
            if _has_word(name, ORG_WORDS):
                self.add(name, acronym)
        for acronym in list(self.orgs):
            pattern = r"\(" + re.escape(acronym) + r"\)\s+(?P<w>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b"
            for match in re.finditer(pattern, full_text):
                where = match.group("w")
                office = f"{acronym} {where}"
                if len(re.findall(r"\b" + re.escape(office) + r"\b", full_text)) >= 2:
                    self.add_office(acronym, where)

    def add(self, name: str, acronym: str = "", parent_key: str = "") -> str:
        key = acronym or name
        existing = self.orgs.get(key) or self._by_name(name)
        if existing:
            return existing.key
        self.orgs[key] = ParsedOrganisation(key, name, acronym, parent_key)
        return key

    def add_office(self, parent_key: str, where: str) -> str:
        name = f"{parent_key} {where}"
        if name not in self.orgs:
            self.orgs[name] = ParsedOrganisation(name, name, "", parent_key)
        return name

    def _by_name(self, name: str) -> ParsedOrganisation | None:
        low = name.lower()
        for org in self.orgs.values():
            if org.name.lower() == low or (org.acronym and org.acronym.lower() == low):
                return org
        return None

    def resolve(self, text: str, *, create: bool = False) -> str:
        """Key of the organisation ``text`` names ("" if none and not ``create``)."""
        text = re.sub(r"^the\s+", "", text.strip(" .,:;–—-"), flags=re.IGNORECASE)
        if not text:
            return ""
        found = self._by_name(text)
        if found:
            return found.key
        definition = _DEFINITION_RE.search(text)
        if definition:
            acronym = definition.group("acr")
            name = _trim_definition(definition.group("name"), acronym) or acronym
            return self.add(name, acronym)
        words = text.split()
        if words[0] in self.definitions and words[0] not in self.orgs:
            self.add(self.definitions[words[0]], words[0])
        for n in range(len(words) - 1, 0, -1):
            found = self._by_name(" ".join(words[:n]))
            if found:
                return found.key
        if create:
            first = words[0]
            if len(words) == 1 and _is_acronym(first):
                return self.add(self.definitions.get(first, first), first)
            return self.add(text)
        return ""

    def mentions(self, text: str) -> list[str]:
        """Keys of organisations named in ``text``, in order of first mention;
        a country office hides its parent ("IOM Pakistan" is not also "IOM")."""
        needles = sorted(
            ((needle, org) for org in self.orgs.values() for needle in {org.name, org.acronym}),
            key=lambda pair: -len(pair[0]),
        )
        spans: list[tuple[int, int, str]] = []
        for needle, org in needles:
            if not needle:
                continue
            flags = 0 if needle == org.acronym else re.IGNORECASE
            for m in re.finditer(r"\b" + re.escape(needle) + r"\b", text, flags):
                if not any(s <= m.start() < e for s, e, _ in spans):
                    spans.append((m.start(), m.end(), org.key))
        ordered: list[str] = []
        for _, _, key in sorted(spans):
            if key not in ordered:
                ordered.append(key)
        return ordered


def _trim_definition(name: str, acronym: str) -> str:
    """ "signed by the National Commission for Human Rights" → the words the
    acronym abbreviates (or, failing that, the name without a leading "The")."""
    words = name.split()
    letters = "".join(ch for ch in acronym if ch.isupper())
    for k in range(len(words)):
        candidate = words[k:]
        initials = "".join(w[0] for w in candidate if w[0].isupper())
        if initials == letters and candidate[0][0].isupper():
            return " ".join(candidate)
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


# ---------------------------------------------------------------------------
# Contacts


def _extract_fields(segment: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(emails, phones, urls, remaining text parts) of one contact line."""
    emails = [e.lower().rstrip(".") for e in EMAIL_RE.findall(segment)]
    rest = EMAIL_RE.sub(" ", segment)
    urls = [_clean_url(u) for u in URL_RE.findall(rest)]
    rest = URL_RE.sub(" ", rest)
    phones = [p.strip() for p in PHONE_RE.findall(rest)]
    rest = PHONE_RE.sub(" ", rest)
    rest = _FIELD_LABEL_RE.sub(" ", rest)
    return emails, phones, urls, _split_parts(rest)


def _segments(line: str) -> list[str]:
    """Split a line that holds several contacts ("A, a@x.org | B, b@y.org")."""
    if len(EMAIL_RE.findall(line)) < 2:
        return [line]
    pieces = [p for p in re.split(r"\s*(?:;|\||\s/\s|\t|\s{3,})\s*", line) if p.strip()]
    if len(pieces) > 1 and all(len(EMAIL_RE.findall(p)) <= 1 for p in pieces):
        return pieces
    out, start = [], 0
    for match in EMAIL_RE.finditer(line):
        out.append(line[start : match.end()])
        start = match.end()
    if line[start:].strip(" .,;)"):
        out[-1] += line[start:]
    return out


class _ContactBlock:
    def __init__(self, orgs: _Organisations, role: str) -> None:
        self.orgs = orgs
        self.role = role
        self.records: list[ParsedContact] = []
        self.cur: ParsedContact | None = None

    def _new(self) -> ParsedContact:
        self.cur = ParsedContact(role=self.role)
        self.records.append(self.cur)
        return self.cur

    def feed(self, line: str) -> None:
        segments = _segments(line)
        for segment in segments:
            if len(segments) > 1:
                self.cur = None
            self._feed_segment(segment)

    def _feed_segment(self, segment: str) -> None:
        emails, phones, urls, parts = _extract_fields(segment)
        cur = self.cur
        owner: ParsedContact | None = None
        for index, part in enumerate(parts):
            honorific = _HONORIFIC_RE.match(part)
            if honorific or (
                looks_like_person(part) and (cur is None or not cur.name or index == 0)
            ):
                if cur is None or cur.name:
                    cur = self._new()
                if honorific:
                    cur.honorific = honorific.group("h") + "."
                    cur.name = honorific.group("n").strip()
                else:
                    cur.name = part
            elif cur is not None and cur.name and self._assign_role_part(cur, part, parts, index):
                pass
            else:
                cur = cur or self._new()
                if not cur.organisation_key and self.orgs.resolve(part):
                    cur.organisation_text = part
                    cur.organisation_key = self.orgs.resolve(part)
                else:
                    cur.extra.append(part)
            owner = cur
        for email in emails:
            if cur is None or cur.email:
                cur = self._new()
            cur.email = email
            owner = cur
        for phone in phones:
            if cur is None:
                cur = self._new()
            if cur.phone:
                cur.extra.append(phone)
            else:
                cur.phone = phone
            owner = cur
        for url in urls:
            cur = cur or self._new()
            cur.extra.append(url)
            owner = cur
        target = owner or cur or self._new()
        target.source.append(segment)
        self.cur = cur or target

    def _assign_role_part(
        self, cur: ParsedContact, part: str, parts: list[str], index: int
    ) -> bool:
        """Job title or organisation for a named contact; False if neither fits."""
        known_org = self.orgs.resolve(part)
        is_last = index == len(parts) - 1
        if known_org and not cur.organisation_key and (not _is_titleish(part) or is_last):
            cur.organisation_text, cur.organisation_key = part, known_org
            return True
        if not cur.job_title and (_is_titleish(part) or not _has_word(part, ORG_WORDS)):
            cur.job_title = part
            return True
        if not cur.organisation_key and (_has_word(part, ORG_WORDS) or is_last):
            cur.organisation_text = part
            cur.organisation_key = self.orgs.resolve(part, create=True)
            return True
        if cur.job_title and _is_titleish(part) and not cur.organisation_key:
            cur.job_title = f"{cur.job_title}, {part}"
            return True
        return False


# ---------------------------------------------------------------------------
# The document


def parse(text: str) -> ParsedDocument:
    """Parse a media update (or a single release) into a ``ParsedDocument``."""
    paras = _paragraphs(text)
    orgs = _Organisations("\n".join(p.text for p in paras))
    segments = _release_segments(paras)
    warnings: list[str] = []
    preamble = paras[: segments[0][0]] if segments else paras
    bulletin = _parse_bulletin(preamble, orgs)
    releases = [_parse_release(paras, seg, orgs) for seg in segments]
    if not bulletin and preamble and releases:
        releases[0].unrecognised[:0] = [p.text for p in preamble]
    if bulletin:
        if bulletin.date is None:
            dates = [r.dateline_date for r in releases if r.dateline_date]
            bulletin.date = max(dates) if dates else None
            warnings.append("The bulletin header has no date; used the latest dateline.")
        if bulletin.date:
            month = f"{bulletin.date:%B}"
            if detect_language(bulletin.title) == "ur":
                month = next(n for n, m in URDU_MONTHS.items() if m == bulletin.date.month)
            bulletin.title = f"{bulletin.title} — {bulletin.date.day} {month} {bulletin.date.year}"
    lead = bulletin.organisation_key if bulletin else ""
    for release in releases:
        _assign_organisations(release, orgs, lead)
    leftover = [p.text for p in preamble] if not releases and not bulletin else []
    return ParsedDocument(bulletin, releases, orgs.orgs, warnings, leftover)


def _headline_like(para: _Para) -> bool:
    text = para.text
    return (
        len(text) <= 300
        and not _is_structural(text)
        and not EMAIL_RE.search(text)
        and not PHONE_RE.search(text)
        and not text.endswith(":")
    )


def _release_segments(paras: list[_Para]) -> list[tuple[int, int, int | None, int | None]]:
    """(start, end, headline index, dateline index) of each release."""
    labels = {i for i, p in enumerate(paras) if _LABEL_RE.match(p.text)}
    datelines = [i for i, p in enumerate(paras) if match_dateline(p.text)]
    starts: list[tuple[int, int | None, int | None]] = []
    used_labels: set[int] = set()
    floor = 0
    for d in datelines:
        if d < floor:
            continue
        label = next((j for j in range(d - 1, max(floor, d - 4) - 1, -1) if j in labels), None)
        if label is not None:
            while label - 1 in labels and label - 1 >= floor:
                label -= 1
            first_text = label
            while first_text in labels:
                used_labels.add(first_text)
                first_text += 1
            headline = first_text if first_text < d else None
            starts.append((label, headline, d))
        elif d - 1 >= floor and _headline_like(paras[d - 1]):
            starts.append((d - 1, d - 1, d))
        else:
            starts.append((d, None, d))
        floor = d + 1
    for j in sorted(labels - used_labels):
        if any(s <= j <= (dl or s) for s, _, dl in starts):
            continue
        if j - 1 in labels:
            continue
        first_text = j
        while first_text in labels:
            first_text += 1
        headline = first_text if first_text < len(paras) else None
        starts.append((j, headline, None))
    starts.sort()
    result = []
    for n, (start, headline, dateline) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(paras)
        result.append((start, end, headline, dateline))
    return result


def _parse_bulletin(preamble: list[_Para], orgs: _Organisations) -> ParsedBulletin | None:
    lines = [line for p in preamble for line in p.lines]
    header_index = next((i for i, ln in enumerate(lines) if _MEDIA_UPDATE_RE.match(ln)), None)
    if header_index is None:
        return None
    header = lines[header_index]
    title = header[: len(header) - len(_MEDIA_UPDATE_RE.match(header).group("rest"))]
    title = title.strip(" :–—-|")
    bulletin = ParsedBulletin(title=title.title() if title.isupper() else title, date=None)
    bulletin.source.append(header)
    pieces = [_MEDIA_UPDATE_RE.match(header).group("rest")]
    rest_lines = lines[:header_index] + lines[header_index + 1 :]
    for piece in [*_split_parts(pieces[0]), *rest_lines]:
        if not piece:
            continue
        if bulletin.date is None and _DATE_ONLY_RE.match(_dateable(piece)):
            bulletin.date = parse_date(piece)
            if piece not in bulletin.source[0]:
                bulletin.source.append(piece)
        elif (
            not bulletin.organisation_text
            and len(piece) <= 80
            and not piece.endswith(".")
            and not EMAIL_RE.search(piece)
        ):
            bulletin.organisation_text = piece
            bulletin.organisation_key = orgs.resolve(piece, create=True)
            if piece not in bulletin.source[0]:
                bulletin.source.append(piece)
        elif piece in rest_lines:
            bulletin.intro.append(piece)
    return bulletin


def _parse_release(
    paras: list[_Para], segment: tuple[int, int, int | None, int | None], orgs: _Organisations
) -> ParsedRelease:
    start, end, headline, dateline = segment
    release = ParsedRelease()
    i = start
    while i < end and _LABEL_RE.match(paras[i].text):
        release.labels.append(paras[i].text)
        i += 1
    if headline is not None:
        release.title = paras[headline].text
        i = headline + 1
    if dateline is not None:
        subtitle = [p.text for p in paras[i:dateline]]
        release.subtitle = " ".join(subtitle)
        match = match_dateline(paras[dateline].text)
        text = paras[dateline].text
        release.dateline_source = text[: match.end()].strip()
        release.dateline_place = _place(match.group("place"))
        release.dateline_date = _date_from_match(match)
        rest = text[match.end() :].strip()
        if rest:
            release.first_paragraph_source = text
            release.paragraphs.append(rest)
        i = dateline + 1
    state = "body"
    block: _ContactBlock | None = None
    current_about: ParsedAbout | None = None

    def close_block() -> None:
        nonlocal block
        if block is not None:
            _finish_contacts(release, block, orgs)
            block = None

    for para in paras[i:end]:
        text = para.text
        header = contact_header(text)
        notes_header = _NOTES_RE.match(text)
        about_inline = _ABOUT_INLINE_RE.match(text)
        about_header = _ABOUT_HEADER_RE.match(text)
        if _CLOSING_RE.match(text):
            close_block()
            release.closing.append(text)
            state = "after_end"
        elif header:
            close_block()
            release.contact_headers.append(text)
            label = header.group("label").lower()
            role = (
                "more_info"
                if "information" in label or "معلومات" in label
                else "spokesperson"
                if label.startswith(("spokesp", "ترجمان"))
                else "media"
            )
            block = _ContactBlock(orgs, role)
            if header.group("rest"):
                release.contact_headers[-1] = text[: header.start("rest")].strip()
                release.split_lines.append(text)
                block.feed(header.group("rest"))
            state = "contacts"
        elif notes_header:
            close_block()
            if notes_header.group("rest"):
                release.notes.append(text)
            else:
                release.contact_headers.append(text)
            state = "notes"
        elif _about_subject(about_inline) or _about_subject(about_header):
            close_block()
            match = about_inline if _about_subject(about_inline) else about_header
            subject = _about_subject(match)
            key = orgs.resolve(subject, create=True)
            current_about = ParsedAbout(
                subject, key, match.group("text") if about_inline else "", text
            )
            release.abouts.append(current_about)
            state = "about"
        elif state == "contacts" and block is not None and not _prose(para):
            for line in para.lines:
                block.feed(line)
        elif state == "about" and current_about is not None and not _inbox_sentence(text):
            current_about.text = f"{current_about.text}\n\n{text}".strip()
            current_about.source = f"{current_about.source}\n\n{text}"
        elif state in {"notes", "after_end"}:
            release.notes.append(text)
        else:
            if state == "contacts":
                close_block()
                state = "body"
            release.paragraphs.append(_paragraph_text(para))
    close_block()
    if not release.title:
        first = release.paragraphs[0] if release.paragraphs else ""
        release.title = _first_sentence(first, 120) if first else "Untitled release"
        release.warnings.append("No headline found; the title was taken from the first sentence.")
    if dateline is None:
        release.warnings.append("No dateline found (place and date).")
    # Whole sentences where they fit (importer.text.summarise): a summary cut
    # mid-sentence reads as a mistake in every list and feed it appears in.
    release.summary = summarise(release.subtitle) or (
        summarise(release.paragraphs[0]) if release.paragraphs else ""
    )
    release.quotes = [q for p in release.paragraphs for q in _QUOTE_RE.findall(p)]
    release.language = detect_language(" ".join([release.title, *release.paragraphs]))
    return release


#: Share of Arabic-script letters from which a text is read as Urdu.
URDU_SHARE = 0.5


def detect_language(text: str) -> str:
    """``"ur"`` when most letters of ``text`` are Arabic script, else ``""``
    (the newsroom's default language).  Urdu is the one Arabic-script
    language of the newsroom; English names, acronyms and e-mail addresses
    inside an Urdu text do not outweigh it."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return ""
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff")
    return "ur" if arabic / len(letters) >= URDU_SHARE else ""


def _prose(para: _Para) -> bool:
    text = para.text
    return len(text) > 160 and not EMAIL_RE.search(text) and text.count(". ") >= 1


def _inbox_sentence(text: str) -> bool:
    return bool(EMAIL_RE.search(text) or URL_RE.search(text))


def _paragraph_text(para: _Para) -> str:
    """Bullet lists keep one item a line; wrapped prose is joined."""
    if len(para.lines) > 1 and all(re.match(r"^(?:[-*•]|\d+[.)])\s", ln) for ln in para.lines):
        return "\n".join(para.lines)
    return para.text


def _finish_contacts(release: ParsedRelease, block: _ContactBlock, orgs: _Organisations) -> None:
    for record in block.records:
        if record.name:
            release.contacts.append(record)
            continue
        inboxes = []
        for value in [record.email, *record.extra]:
            kind = "email" if "@" in value else "website" if URL_RE.match(value) else ""
            if kind:
                inboxes.append(ParsedInbox(record.organisation_key, kind, value, ""))
        if inboxes and all(v == record.email or URL_RE.match(v) for v in record.extra):
            # No person: a shared inbox or website of the organisation.
            inboxes[0].source = " / ".join(record.source)
            release.inboxes.extend(inboxes)
        else:
            release.unrecognised.extend(record.source)


def _assign_organisations(release: ParsedRelease, orgs: _Organisations, lead: str) -> None:
    """Issuers, lead first: the bulletin's organisation (or its country office
    named in the release), then organisations named in the headline and the
    first paragraph, those with an "About" and those of the contacts."""
    text = "\n".join([release.title, *release.paragraphs])
    mentioned = orgs.mentions(text)
    keys: list[str] = []
    if lead:
        office = next((k for k in mentioned if orgs.orgs[k].parent_key == lead), None)
        keys.append(office or lead)
    keys += orgs.mentions(release.title)
    if release.paragraphs:
        keys += orgs.mentions(release.paragraphs[0])
    keys += [a.organisation_key for a in release.abouts if a.organisation_key]
    keys += [c.organisation_key for c in release.contacts if c.organisation_key]
    ordered: list[str] = []
    for key in keys:
        if key and key in orgs.orgs and key not in ordered:
            ordered.append(key)
    # A country office stands for its parent: drop the parent when both are there.
    offices_of = {orgs.orgs[k].parent_key for k in ordered if orgs.orgs[k].parent_key}
    about_keys = {a.organisation_key for a in release.abouts}
    release.organisation_keys = [
        k for k in ordered if k not in offices_of or (k == lead and k not in about_keys)
    ]
    release.organisation_keys = [
        k for k in release.organisation_keys if not (k in offices_of and k != keys[0])
    ]
    default = release.organisation_keys[0] if release.organisation_keys else ""
    for contact in release.contacts:
        if not contact.organisation_key:
            contact.organisation_key = default
    # Shared inboxes and websites written in the body ("please visit …").
    contact_emails = {c.email for c in release.contacts}
    for paragraph in release.paragraphs + release.notes:
        if not _inbox_sentence(paragraph):
            continue
        named = orgs.mentions(paragraph)
        owner = named[0] if named else default
        for email in EMAIL_RE.findall(paragraph):
            email = email.lower().rstrip(".")
            if email not in contact_emails:
                release.inboxes.append(ParsedInbox(owner, "email", email, ""))
        for url in URL_RE.findall(paragraph):
            release.inboxes.append(ParsedInbox(owner, "website", _clean_url(url), ""))
    for inbox in release.inboxes:
        inbox.organisation_key = inbox.organisation_key or default
