"""A message's text as HTML: paragraphs and line breaks as written, everything escaped."""

import re
from datetime import datetime

from django.utils import timezone
from markupsafe import Markup, escape

# A web address, without the punctuation that ends a sentence after it.
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")


def text_html(text: str, *, links: bool = False) -> Markup:
    """Each blank-line-separated paragraph a GOV.UK paragraph, each line break a <br>. With
    `links`, web addresses are links (the developer's outbox; never on staff pages, where a
    click would use up an applicant's single-use link)."""
    line = _linked if links else escape
    paragraphs = [p for p in re.split(r"\r?\n\s*\n", text.strip()) if p.strip()]
    return Markup("").join(
        Markup('<p class="govuk-body">{}</p>').format(
            Markup("<br>").join(line(part) for part in paragraph.splitlines())
        )
        for paragraph in paragraphs
    )


def _linked(line: str) -> Markup:
    pieces: list[Markup] = []
    end = 0
    for match in _URL.finditer(line):
        pieces.append(escape(line[end : match.start()]))
        pieces.append(Markup('<a class="govuk-link" href="{0}">{0}</a>').format(match.group(0)))
        end = match.end()
    pieces.append(escape(line[end:]))
    return Markup("").join(pieces)


def in_language(html: Markup | str, language: str) -> Markup:
    """Text in the message's language, marked so for screen readers (WCAG 3.1.2)."""
    return Markup('<div lang="{}">{}</div>').format(language, html)


def when(at: datetime) -> Markup:
    local = timezone.localtime(at)
    return Markup('<time datetime="{}">{}</time>').format(
        local.isoformat(), local.strftime("%-d %B %Y at %H:%M")
    )
