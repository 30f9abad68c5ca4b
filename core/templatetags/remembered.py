"""``{% remember "name" key1 key2 … %}…{% endremember %}``: a fragment
rendered once per content state; ``{% fixed "name" key1 … %}…{% endfixed %}``:
a fragment that depends on no content at all, rendered once per process.

The block's HTML is kept with :func:`core.memo.remember`, whose key already
holds the content state token (moved by every publish, correction,
withdrawal and lifted embargo) and the active language; the name and the
resolved ``key`` values say the rest.  So a fragment can never show a
release the public may not see at this instant: the state that made it is
no longer the current one, and its key is unreachable.

Why a tag of our own and not Django's ``{% cache %}``: ``{% cache %}`` keys
on its arguments alone, so every template would have to remember to pass the
state token *and* the language, and a fragment missing either would outlive
an embargo or cross editions.  Here both are in the key whatever the
template says.

The rule for authors: the block must depend on nothing but public content,
the active language and the listed keys — never on the visitor (no CSRF
token, no user, no ``request.GET`` read inside).  Pass what varies as keys.
"""

from __future__ import annotations

import threading

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.memo import remember

register = template.Library()


class RememberNode(Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, keys: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        keys = [str(key.resolve(context)) for key in self.keys]
        name = "fragment:" + ":".join([str(self.name.resolve(context)), *keys])
        return mark_safe(remember(request, name, lambda: str(self.nodelist.render(context))))


@register.tag("remember")
def do_remember(parser: Parser, token: Token) -> RememberNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "{% remember %} needs a name: {% remember 'name' key1 key2 %}"
        )
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


#: ``{% fixed %}`` fragments of this process, by name, keys, language and
#: script prefix.  Bounded: the keys are chosen by templates (a section of
#: the site, never a visitor's input), so a handful of entries per language.
_FIXED: dict[tuple[str, ...], str] = {}
_FIXED_LIMIT = 512
_fixed_lock = threading.Lock()


class FixedNode(RememberNode):
    def render(self, context: template.Context) -> SafeString:
        if settings.DEBUG:  # a template edited under runserver shows at once
            return self.nodelist.render(context)
        keys = [str(key.resolve(context)) for key in self.keys]
        key = (str(self.name.resolve(context)), *keys, get_language() or "", get_script_prefix())
        html = _FIXED.get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            with _fixed_lock:
                if len(_FIXED) >= _FIXED_LIMIT:
                    _FIXED.clear()
                _FIXED[key] = html
        return mark_safe(html)


@register.tag("fixed")
def do_fixed(parser: Parser, token: Token) -> FixedNode:
    """The site's chrome (navigation, footer): links and words only, the same
    on every page of a section and language.  It is not kept in the memo
    cache, whose key holds the content state: a private page would pay a
    state query for it, and a shared cache would serve the old HTML for a
    while after a deploy that changed the template.  Kept per process, it
    is gone with the process.  Nothing in it may depend on the request
    beyond the listed keys and the language."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fixed %} needs a name: {% fixed 'name' key1 %}")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
