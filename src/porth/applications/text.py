"""Text as it was written (a caseworker's words, a message) as HTML for a citizen's page."""

import re

from django.conf import settings
from markupsafe import Markup, escape

# A web address, without the punctuation that ends a sentence after it.
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")


def paragraphs(text: str) -> Markup:
    """Each blank-line-separated paragraph a GOV.UK paragraph, each line break a <br>,
    everything escaped. Addresses on this site (PORTH_BASE_URL: the reply link in a request
    for more information) are links; any other stays text, as a link a citizen did not expect
    from us should not be one click away."""
    parts = [p for p in re.split(r"\r?\n\s*\n", text.strip()) if p.strip()]
    return Markup("").join(
        Markup('<p class="govuk-body">{}</p>').format(
            Markup("<br>").join(_linked(line) for line in part.splitlines())
        )
        for part in parts
    )


def _linked(line: str) -> Markup:
    ours = settings.PORTH_BASE_URL.rstrip("/")
    pieces: list[Markup] = []
    end = 0
    for match in _URL.finditer(line):
        url = match.group(0)
        if not ours or not (url == ours or url.startswith(ours + "/")):
            continue
        pieces.append(escape(line[end : match.start()]))
        pieces.append(Markup('<a class="govuk-link" href="{0}">{0}</a>').format(url))
        end = match.end()
    pieces.append(escape(line[end:]))
    return Markup("").join(pieces)
