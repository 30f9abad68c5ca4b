"""Rich text: one allow-list for what the editor may produce and what is stored.

Body text and "About" boilerplates are written in a ProseMirror editor
(django-prose-editor) in the admin, but they also arrive from the importer
and from fixtures.  Whatever the route, HTML is cleaned with nh3 (the Rust
``ammonia`` sanitiser) against the allow-list below before it is saved, so a
template may mark it safe.  Keeping the editor extensions and the sanitiser in
one module means the two cannot drift apart.

The same HTML is also read as plain text — in the API's ``body_text``, the
plain-text bulletin, a page's meta description, the importer's comparison of
boilerplates — and :func:`html_to_text` is the one reading of it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from django_prose_editor.fields import ProseEditorField

from core.urls import absolute_url

#: Editor features offered to staff; every one maps to tags allowed below.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False},
    "HardBreak": True,
    "HorizontalRule": True,
    "History": True,
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "s", "u", "h2", "h3", "h4",
    "ul", "ol", "li", "blockquote", "a", "hr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitize_html(html: str | None) -> str:
    """Return ``html`` reduced to the allow-list (scripts, handlers and
    ``javascript:`` links removed).  Empty editor output becomes ``""``."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    # One pass is not always a fixed point: removing a disallowed container
    # (e.g. <object>) can leave markup that parses differently the next time
    # (nested links become siblings).  Clean until stable so what is stored
    # is exactly what a re-save or a browser would see (tests/test_hostile_richtext.py).
    for _ in range(4):
        again = _cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned


def RichTextField(**kwargs) -> ProseEditorField:  # noqa: N802 - reads like a field class
    """A text field edited with ProseMirror and sanitised with :func:`sanitize_html`."""
    return ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html, **kwargs)


# ---------------------------------------------------------------------------
# Rich text read as plain text
# ---------------------------------------------------------------------------

#: Elements that stand as blocks of their own (a blank line around them).
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "pre", "hr"}
_LISTS = {"ul", "ol"}
#: Elements whose content is never text a reader sees.
_HIDDEN = {"script", "style", "template"}
#: HTML's own white space (not U+00A0, which the author meant to keep).
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _PlainText(HTMLParser):
    """Walks sanitised HTML once and lays it out as lines of text.

    Blocks are separated by one blank line, list items are tight "- " lines
    (indented when nested), ``<br>`` is a line break and, when ``links`` is
    on, a link whose text does not already show its target is followed by
    the target in brackets.  Entities are decoded by the parser itself.
    """

    def __init__(self, *, links: bool, markers: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.links = links
        self.markers = markers
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.depth = 0  # how many lists we are in
        self.hidden = 0
        self.anchors: list[tuple[int, str]] = []  # (start in current, href)

    # Layout ------------------------------------------------------------
    def _end_line(self) -> None:
        text = _HTML_SPACE.sub(" ", "".join(self.current)).strip()
        if text:
            self.lines.append(self.prefix + text)
        self.current = []
        self.anchors = [(0, href) for _start, href in self.anchors]
        # A second line of a list item lines up under its text.
        self.prefix = "  " * self.depth if self.depth and self.markers else ""

    def _end_block(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def _end_list_or_block(self) -> None:
        """A block ends a paragraph, except inside a list, where it ends a line
        (list items stay tight)."""
        if self.depth:
            self._end_line()
        else:
            self._end_block()

    # Parser callbacks --------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._end_line()
        elif tag in _LISTS:
            self._end_list_or_block()
            self.depth += 1
        elif tag == "li":
            self._end_line()
            if self.markers:
                self.prefix = "  " * max(self.depth - 1, 0) + "- "
        elif tag in _BLOCKS:
            # Inside a list item a paragraph continues the item's line.
            if not self.depth:
                self._end_block()
        elif tag == "a":
            self.anchors.append((len(self.current), dict(attrs).get("href") or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"br", "hr"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _LISTS:
            self.depth = max(self.depth - 1, 0)
            self._end_list_or_block()
        elif tag == "li":
            self._end_line()
        elif tag in _BLOCKS:
            self._end_list_or_block()
        elif tag == "a" and self.anchors:
            start, href = self.anchors.pop()
            if self.links:
                self._add_target(start, href)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)

    def _add_target(self, start: int, href: str) -> None:
        if not href or href.startswith("#"):
            return
        shown = _HTML_SPACE.sub(" ", "".join(self.current[start:])).strip()
        bare = re.sub(r"^(?:mailto:|tel:|https?://)", "", href).rstrip("/")
        if shown and (shown == href or shown.rstrip("/") == bare):
            return
        target = absolute_url(href) if href.startswith("/") else href
        self.current.append(f" ({target})" if shown else target)

    def text(self) -> str:
        self.close()
        self._end_line()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines)


def html_to_text(html: str | None, *, one_line: bool = False) -> str:
    """Sanitised rich text (see :func:`sanitize_html`) as plain text.

    By default the text keeps the shape a reader needs where HTML cannot be
    shown (the API's ``body_text``, a bulletin pasted into an e-mail):
    paragraphs and headings one blank line apart, list items as tight
    "- " lines, ``<br>`` as a line break, entities decoded, HTML white space
    collapsed as a browser would, and a link's address in brackets after
    its text (unless the text already is the address) so that it is not lost.

    ``one_line=True`` gives the words alone on one line — no list marks, no
    addresses — for a meta description, or to tell whether two texts say
    the same thing.
    """
    if not html:
        return ""
    parser = _PlainText(links=not one_line, markers=not one_line)
    parser.feed(html)
    text = parser.text()
    return _HTML_SPACE.sub(" ", text).strip() if one_line else text
