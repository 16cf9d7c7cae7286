"""Parts other apps add to a case's page, after the application's answers: an extension
point, as apps above casework (porth.exchange: "Answers from other organisations") cannot be
imported here. A part is a function of the case giving HTML, or None to show nothing;
register it in the adding app's AppConfig.ready() through porth.casework.service. A part
that raises is logged and left out: the caseworker still gets the case."""

import logging
from collections.abc import Callable

from markupsafe import Markup

from .models import Case

logger = logging.getLogger(__name__)

Part = Callable[[Case], Markup | None]
_parts: dict[str, Part] = {}


def register(name: str, part: Part) -> None:
    _parts[name] = part


def render(case: Case) -> list[Markup]:
    out = []
    for name, part in sorted(_parts.items()):
        try:
            html = part(case)
        except Exception:
            logger.exception("The %r part of the case page failed", name)
            continue
        if html:
            out.append(Markup(html))
    return out
