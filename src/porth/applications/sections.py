"""Parts that other apps add to "Your applications": an extension point.

porth.applications is the top layer: the apps that add parts to these pages (exchange:
consents the citizen can withdraw, and "who used my data") sit below it and cannot import
it. So a part is any object with the shape of `Section` (a Protocol: no import needed to
write one), made in its own app, and registered here by porth.applications' own
AppConfig.ready(), one line per part (docs/your-applications.md says how).

Each page asks every registered part, in `order`, for its HTML in the page's language (the
request's translation is active); a part returns None to show nothing. A part that raises
is logged and left out: one app's fault must not cost the citizen the page.
"""

import logging
from typing import Protocol, runtime_checkable

from django.http import HttpRequest
from markupsafe import Markup

from porth.signin.models import CitizenAccount
from porth.submissions.models import Submission

logger = logging.getLogger(__name__)


@runtime_checkable
class Section(Protocol):
    """A part of the "Your applications" pages. `name`: unique, for `unregister` and the
    logs. `order`: smaller first (the pages' own parts come before any at 100 and up).

    Keep each call to a few queries however many applications the citizen has: the list
    page's cost is pinned by a test."""

    name: str
    order: int

    def on_list(self, request: HttpRequest, citizen: CitizenAccount) -> Markup | None:
        """HTML after the citizen's applications on the list page (a heading and a summary
        list or a link, say), or None."""
        ...

    def on_application(
        self, request: HttpRequest, citizen: CitizenAccount, submission: Submission
    ) -> Markup | None:
        """HTML at the end of one of the citizen's applications (after their answers), or None."""
        ...


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add a part (replacing any of the same name). Call it in AppConfig.ready()."""
    if not isinstance(section, Section):
        raise TypeError(f"{section!r} has not got the shape of a Section")
    _sections[section.name] = section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def registered() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def on_list(request: HttpRequest, citizen: CitizenAccount) -> list[Markup]:
    return _collect(lambda s: s.on_list(request, citizen))


def on_application(
    request: HttpRequest, citizen: CitizenAccount, submission: Submission
) -> list[Markup]:
    return _collect(lambda s: s.on_application(request, citizen, submission))


def _collect(call: "_Call") -> list[Markup]:
    parts = []
    for section in registered():
        try:
            html = call(section)
        except Exception:
            logger.exception("The %r part of Your applications failed", section.name)
            continue
        if html:
            parts.append(Markup(html))
    return parts


class _Call(Protocol):
    def __call__(self, section: Section, /) -> Markup | None: ...
