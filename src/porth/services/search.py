"""Search the catalogue: every word must appear in the service's name, summary or keywords."""

import re
import unicodedata

from .definition import Definition


def _fold(text: str) -> str:
    # Welsh has accents (â, ŵ, ŷ) that people often leave out when typing.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold(text))


def search(services: list[Definition], query: str, language: str) -> list[Definition]:
    terms = _words(query)
    if not terms:
        return services
    scored = []
    for service in services:
        name = _fold(service.name.get(language))
        haystack = " ".join(
            [
                name,
                _fold(service.summary.get(language)),
                _fold(service.organisation.name.get(language)),
                *map(_fold, service.keywords),
            ]
        )
        if all(term in haystack for term in terms):
            # Matches in the name first, then by name.
            scored.append((-sum(term in name for term in terms), name, service))
    return [service for *_, service in sorted(scored, key=lambda s: (s[0], s[1]))]
