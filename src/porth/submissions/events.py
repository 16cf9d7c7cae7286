"""What happens on the journey pages, told through the `journey_event` signal (signals.py
documents its arguments) for performance data, which porth.analytics records.

Only the definition's words travel: page and question ids, and the error message shown (in
English, whatever the citizen's language, so that the same mistake is counted once). Never
an answer or anything the citizen typed. Sending costs nothing when nobody listens, and a
receiver only appends to an in-process buffer (porth.analytics.recorder): no query.
"""

from django.http import HttpRequest
from django.utils import translation

from porth.services.service import CHECK_ANSWERS, Definition, engine, message

from . import signals
from .models import Journey


def _send(
    kind: str,
    request: HttpRequest,
    journey: Journey,
    page: str = "",
    *,
    variant: str = "",
    errors: list[tuple[str, str]] | None = None,
    first: bool = False,
) -> None:
    signals.journey_event.send(
        sender=Journey,
        kind=kind,
        journey=journey,
        page=page,
        variant=variant,
        errors=errors or [],
        request=request,
        first=first,
    )


def viewed(
    request: HttpRequest,
    definition: Definition,
    journey: Journey,
    state: engine.State,
    page_id: str,
    *,
    changing: bool = False,
    variant: str = "",
) -> None:
    """A page (or check your answers) shown: `page_viewed`, or `exit_reached` for an exit
    page; and `change_used` for a change link, `back_used` for an answered page seen again.
    GET only: a HEAD request, or a page shown again with its errors, is no view."""
    if request.method != "GET":
        return
    if page_id != CHECK_ANSWERS and definition.page(page_id).kind == "exit":
        _send("exit_reached", request, journey, page_id, variant=variant)
        return
    first = page_id == definition.pages[0].id
    _send("page_viewed", request, journey, page_id, variant=variant, first=first)
    if changing:
        _send("change_used", request, journey, page_id, variant=variant)
    elif page_id in state.done:
        _send("back_used", request, journey, page_id, variant=variant)


def answered(
    request: HttpRequest, journey: Journey, page_id: str, *, first: bool, variant: str = ""
) -> None:
    """The page's answers were stored; `first`: the first time anything of the journey was."""
    _send("page_answered", request, journey, page_id, variant=variant, first=first)


def refused(
    request: HttpRequest,
    journey: Journey,
    page_id: str,
    errors: list[engine.FieldError],
    *,
    variant: str = "",
) -> None:
    """The page's answers were refused: each question's error, with the message shown."""
    with translation.override("en"):
        shown = [(error.question.id, message(error.question, error.invalid)) for error in errors]
    _send("validation_error", request, journey, page_id, variant=variant, errors=shown)


def resumed(request: HttpRequest, journey: Journey) -> None:
    """A journey saved for later was taken up again through its link."""
    _send("resumed", request, journey)
