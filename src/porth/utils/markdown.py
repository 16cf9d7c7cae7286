"""Markdown from service definitions, rendered with GOV.UK classes and sanitised.

Definitions are written by service teams, not citizens, but we still sanitise: a definition
imported from elsewhere must not be able to put a script on a page.
"""

from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h1": "govuk-heading-m",  # the page has its own h1: a definition's headings sit below it
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "a": "govuk-link",
}
_md = MarkdownIt("commonmark", {"html": False})


def _with_class(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.tag == "h1":
        token.tag = "h2"
    if token.tag in _CLASSES:
        token.attrSet("class", _CLASSES[token.tag])
    return renderer.renderToken(tokens, idx, options, env)


for _rule in (
    "paragraph_open",
    "bullet_list_open",
    "ordered_list_open",
    "heading_open",
    "link_open",
):
    _md.add_render_rule(_rule, _with_class)


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    clean = nh3.clean(
        _md.render(text),
        tags={"p", "ul", "ol", "li", "h2", "h3", "a", "strong", "em", "br", "code"},
        attributes={"*": {"class"}, "a": {"href"}},
        url_schemes={"https", "mailto", "tel"},
        link_rel="noreferrer",
    )
    return Markup(clean)
