"""Rich text: one allow-list for what the editor may produce and what is stored.

Body text and "About" boilerplates are written in a ProseMirror editor
(django-prose-editor) in the admin, but they also arrive from the importer
and from fixtures.  Whatever the route, HTML is cleaned with nh3 (the Rust
``ammonia`` sanitiser) against the allow-list below before it is saved, so a
template may mark it safe.  Keeping the editor extensions and the sanitiser in
one module means the two cannot drift apart.
"""

from __future__ import annotations

import nh3
from django_prose_editor.fields import ProseEditorField

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
