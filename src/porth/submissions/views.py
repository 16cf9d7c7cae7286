"""Citizen journey pages: one thing per page, check your answers, confirmation.

Views are thin: the engine decides the route and validates; actions store. The journey is
found through the session (a signed cookie holding journey ids), never through the URL.

The same pages serve assisted digital: when `assisted.mode` finds this browser in assisted
mode for the service, the journey is the staff member's one (kept apart in the session), the
pages carry a banner, and the submission is made with the staff member as its actor.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from porth.fastpath.shells import render_page
from porth.services import service as services
from porth.services.service import CHECK_ANSWERS, Definition, engine, message, questions
from porth.signin import service as signin
from porth.utils.http import no_store
from porth.utils.urls import cached_reverse

from . import actions, assisted, events, prefill, store
from .models import Channel, Journey
from .rendering import render_questions, render_summary

SESSION_KEY = "journeys"
REVISION_COOKIE = "porth_revision"
SAVE_BUTTON = "save-for-later"  # the name of "Save and come back later" (not a field id)


@dataclass
class Current:
    definition: Definition
    journey: Journey
    state: engine.State
    today: date


def _today() -> date:
    return date.today()


Mode = assisted.Assisted | None


def _in_mode(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pass the view the assisted mode of this request (None for a citizen). A session in
    assisted mode whose member of staff is no longer signed in is stopped, never carried on
    as a citizen's journey."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            mode = assisted.mode(request, slug)
        except assisted.Stopped:
            return assisted.stopped(request, slug)
        response = view(request, slug, *args, mode=mode, **kwargs)
        return assisted.sync_marker(request, response)

    return wrapped


def _journey_id(request: HttpRequest, slug: str, mode: Mode) -> str | None:
    if mode is not None:
        return mode.journey_id
    journey_id: str | None = request.session.get(SESSION_KEY, {}).get(slug)
    return journey_id


def _revision(request: HttpRequest, mode: Mode) -> int | None:
    """The revision of its journey this browser was last sent (see store.open_journey).

    A cookie of its own, scoped to the service's pages and unsigned: it only says which
    remembered copy of the journey the session names may be used, so a made-up value can
    show nothing but the citizen's own journey (or cost a database read), and saves are
    checked against the database anyway. Keeping it out of the session spares re-signing
    the session cookie with every answer. Assisted journeys are always read afresh."""
    value = request.COOKIES.get(REVISION_COOKIE, "")
    return int(value) if mode is None and value.isdigit() and len(value) < 10 else None


def _send_revision(response: HttpResponse, journey: Journey, mode: Mode) -> HttpResponse:
    if mode is not None:
        return response
    response.set_cookie(
        REVISION_COOKIE,
        str(journey.revision),
        path=cached_reverse("start", journey.service),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _current(request: HttpRequest, slug: str, mode: Mode, *, fresh: bool = False) -> Current:
    """The definition, journey and state a page works on. `fresh`: read from the database
    and locked, whatever this worker remembers (a save found the journey had changed)."""
    definition = services.get(slug)
    if definition is None:
        raise Http404
    today = _today()
    current = _existing(request, slug, mode, definition, today, fresh=fresh)
    if current is not None:
        return current
    journey = actions.new_journey(
        definition,
        language=get_language(),
        channel=mode.channel if mode else Channel.ONLINE,
        assisted_by=mode.by if mode else None,
        seed=_browser(request) if definition.experiments else None,
        citizen=signin.current_citizen(request) if mode is None else None,
    )
    return Current(definition, journey, engine.State(), today)


def _browser(request: HttpRequest) -> str:
    """What stays the same from one request of this browser to the next before a journey is
    saved: its CSRF secret (made now on a first visit; the page's form needs it anyway)."""
    get_token(request)
    return str(request.META["CSRF_COOKIE"])


def _existing(
    request: HttpRequest,
    slug: str,
    mode: Mode,
    definition: Definition,
    today: date,
    *,
    fresh: bool = False,
) -> Current | None:
    """The journey this browser has open through the service, if any (see `_current`)."""
    journey_id = _journey_id(request, slug, mode)
    if not journey_id:
        return None
    journey = store.open_journey(journey_id, _revision(request, mode), lock=fresh)
    if journey is None:
        return None
    if mode is None and _idle(journey):
        actions.discard_journeys([journey.pk], reason="idle")
        return None
    state = actions.read_state(journey)
    if journey.version != definition.version:
        definition, state = _moved(journey, definition, state, today)
    return Current(definition, journey, state, today)


def _moved(
    journey: Journey, live: Definition, state: engine.State, today: date
) -> tuple[Definition, engine.State]:
    """The definition changed under the journey. A journey saved for later (pinned) goes on
    with the version it was started on, stored when it was saved; any other moves to the
    new version, keeping the answers that still fit (it was started at most
    PORTH_JOURNEY_IDLE_DAYS ago, and a correction should reach it)."""
    if journey.pinned:
        started_on = services.definition_at(journey.service, journey.version)
        if started_on is not None:
            return started_on, state
    return live, engine.prune(live, state, today)


def _aware(moment: datetime) -> datetime:
    # A row as porth.fastpath.sql reads it on SQLite has naive datetimes, in UTC.
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


def _idle(journey: Journey) -> bool:
    """Left unanswered longer than PORTH_JOURNEY_IDLE_DAYS: its answers are not shown again.
    A journey saved for later is kept until its link expires, however long it is left."""
    updated = journey.updated_at
    if updated is None:
        return False
    now = timezone.now()
    if journey.keep_until is not None and _aware(journey.keep_until) > now:
        return False
    return _aware(updated) < now - timedelta(days=settings.PORTH_JOURNEY_IDLE_DAYS)


def _remember(request: HttpRequest, journey: Journey, mode: Mode) -> None:
    if mode is not None:
        assisted.remember(request, journey)
        return
    journeys = dict(request.session.get(SESSION_KEY, {}))
    if journeys.get(journey.service) != journey.pk:
        journeys[journey.service] = journey.pk
        request.session[SESSION_KEY] = journeys


def _sent(request: HttpRequest, slug: str, mode: Mode) -> store.Sent | None:
    """The submission this browser's current journey through the service made, if any."""
    journey_id = _journey_id(request, slug, mode)
    if not journey_id:
        return None
    return store.sent(journey_id)


def _sign_in_first(request: HttpRequest, slug: str, mode: Mode) -> HttpResponse | None:
    """A service that requires sign-in sends a citizen who has not signed in to do so, and
    back here after. (Staff completing it on someone's behalf are not asked.)"""
    if mode is not None:
        return None
    definition = services.get(slug)
    if definition is None or definition.sign_in != "required" or not signin.available():
        return None
    if signin.current_citizen(request) is not None:
        return None
    return HttpResponseRedirect(
        signin.sign_in_url(request.get_full_path(), required=True), status=303
    )


def _page_url(slug: str, page_id: str) -> str:
    if page_id == CHECK_ANSWERS:
        return cached_reverse("check-answers", slug)
    return cached_reverse("page", slug, page_id)


def _back_url(current: Current, page_id: str) -> str:
    previous = engine.previous_page(current.definition, current.state, page_id, current.today)
    if previous is None:
        return cached_reverse("start", current.definition.slug)
    return _page_url(current.definition.slug, previous)


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
@_in_mode
def page(request: HttpRequest, slug: str, page_id: str, *, mode: Mode) -> HttpResponse:
    if (sign_in := _sign_in_first(request, slug, mode)) is not None:
        return sign_in
    return actions.retry_if_stale(
        lambda fresh: _page(request, slug, page_id, mode, fresh=fresh),
        journey_id=lambda: _journey_id(request, slug, mode),
    )


def _page(
    request: HttpRequest, slug: str, page_id: str, mode: Mode, *, fresh: bool
) -> HttpResponse:
    current = _current(request, slug, mode, fresh=fresh)
    definition, state, today = current.definition, current.state, current.today
    if not definition.has_page(page_id):
        raise Http404
    if not engine.reachable(definition, state, page_id, today):
        # Not yet (or no longer) on this citizen's route: send them where they should be.
        return HttpResponseRedirect(
            _page_url(slug, engine.next_page(definition, state, today)), status=303
        )
    # The page in this journey's experiment variant, if any: the page's events carry it.
    the_page, variant = services.variant_page(definition, page_id, current.journey.pk, today=today)
    # "Tell us once" (citizens only: staff cannot consent for someone): ask first, and show
    # what was fetched. Nothing is fetched before the citizen says yes.
    prefilled = None
    if mode is None and prefill.prefiller(the_page) is not None:
        if request.method != "POST" and prefill.needs_consent(current.journey, the_page, state):
            return HttpResponseRedirect(
                cached_reverse("prefill-consent", slug, page_id), status=303
            )
        prefilled = prefill.fetched(current.journey, the_page, state)
    changing = request.GET.get("change") == "1"
    values: dict[str, Any] = {}
    errors: list[engine.FieldError] = []
    if request.method == "POST" and the_page.kind != "exit":
        result = engine.validate_page(definition, the_page, request.POST, state, today)
        saving = mode is None and SAVE_BUTTON in request.POST
        if result.ok:
            state = engine.complete(definition, state, page_id, result.values, today)
            first = current.journey._state.adding
            actions.save_state(current.journey, state, definition=definition)
            events.answered(request, current.journey, page_id, first=first, variant=variant)
            _remember(request, current.journey, mode)
            if saving:
                return _to_save(current, unsaved=False)
            following = engine.next_page(definition, state, today)
            if changing and engine.is_complete(definition, state, today):
                following = CHECK_ANSWERS
            redirect = HttpResponseRedirect(_page_url(slug, following), status=303)
            return _send_revision(redirect, current.journey, mode)
        if saving:  # leaving now matters more than this page: it is asked again on return
            if current.journey._state.adding:
                actions.save_state(current.journey, state, definition=definition)
            _remember(request, current.journey, mode)
            return _to_save(current, unsaved=any(result.raw.values()))
        values, errors = result.raw, result.errors
        events.refused(request, current.journey, page_id, errors, variant=variant)
    else:
        events.viewed(
            request, definition, current.journey, state, page_id, changing=changing, variant=variant
        )
        for question in the_page.fields:
            qtype = questions.get(question.type)
            values.update(qtype.to_form(question, state.answers.get(question.id)))
        if prefilled is not None:
            values.update(prefill.form_values(the_page, prefilled))
    return render_page(
        request,
        "page.html",
        {"service": definition, "page": the_page, "errors": [], "can_save": mode is None},
        # Pages with errors are rendered whole: the summary and title change.
        whole={
            "errors": [
                {"text": message(e.question, e.invalid), "href": f"#{e.anchor}"} for e in errors
            ]
        }
        if errors
        else None,
        slots={
            "questions": render_questions(
                definition,
                the_page,
                values,
                {e.question.id: (e, message(e.question, e.invalid)) for e in errors},
                get_language(),
            ),
            "back_url": _back_url(current, page_id),
            "prefill_notice": prefill.notice(prefilled),
            "assisted_banner": assisted.banner(mode, slug) if mode else "",  # empty for citizens
        },
    )


def _to_save(current: Current, *, unsaved: bool) -> HttpResponse:
    """On to "how should we send the link" (save_views). `unsaved`: the page's answers were
    not valid, so were not kept, and the citizen is told."""
    url = cached_reverse("save-for-later", current.definition.slug)
    redirect = HttpResponseRedirect(url + ("?unsaved=1" if unsaved else ""), status=303)
    return _send_revision(redirect, current.journey, None)


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
@_in_mode
def check_answers(request: HttpRequest, slug: str, *, mode: Mode) -> HttpResponse:
    if (sign_in := _sign_in_first(request, slug, mode)) is not None:
        return sign_in
    current = _current(request, slug, mode)
    if current.journey._state.adding and _sent(request, slug, mode) is not None:
        # No journey open, as it was sent (a double click, or the back button): show what
        # was sent, once.
        return HttpResponseRedirect(cached_reverse("confirmation", slug), status=303)
    definition, state, today = current.definition, current.state, current.today
    if not engine.is_complete(definition, state, today):
        following = engine.next_page(definition, state, today)
        return HttpResponseRedirect(_page_url(slug, following), status=303)
    error = None
    if request.method == "POST":
        if definition.declaration.confirm and request.POST.get("confirm") != "yes":
            error = True
        else:
            try:
                actions.submit(
                    current.journey,
                    definition,
                    language=get_language(),
                    today=today,
                    actor=mode.by if mode else None,
                    state=state,  # decrypted once: reused unless saved meanwhile
                    request=request,
                )
            except actions.NotComplete:
                following = engine.next_page(definition, state, today)
                return HttpResponseRedirect(_page_url(slug, following), status=303)
            redirect = HttpResponseRedirect(cached_reverse("confirmation", slug), status=303)
            return _send_revision(redirect, current.journey, mode)  # sent, no longer open
    language = get_language()
    rows = [
        (
            row,
            questions.get(row.question.type).display(row.question, row.value, language)
            if row.value is not None
            else "",
        )
        for row in engine.summary(definition, state, today)
    ]
    summary = render_summary(definition, rows, language)
    events.viewed(request, definition, current.journey, state, CHECK_ANSWERS)
    return render_page(
        request,
        "check_answers.html",
        {"service": definition, "declaration_error": None},
        whole={"declaration_error": error} if error else None,
        slots={
            "summary": summary,
            "back_url": _back_url(current, CHECK_ANSWERS),
            "assisted_banner": assisted.banner(mode, slug) if mode else "",
        },
    )


@no_store
@require_safe
@_in_mode
def confirmation(request: HttpRequest, slug: str, *, mode: Mode) -> HttpResponse:
    definition = services.get(slug)
    if definition is None:
        raise Http404
    submission = _sent(request, slug, mode)
    if submission is None:
        # Nothing sent from this browser: the start page is the useful place to be.
        return HttpResponseRedirect(cached_reverse("start", slug), status=303)
    context: dict[str, Any] = {"service": definition}
    if mode is None:
        return render_page(
            request, "confirmation.html", context, slots={"reference": submission.reference}
        )
    # Sent on someone's behalf: the reference is for the staff member to pass on, and
    # assisted mode ends here; this browser's own journeys are as they were.
    assisted.end(request, slug)
    context["assisted"] = {
        "channel": submission.channel,
        "case_url": assisted.case_url(submission.reference),
        "staff_url": reverse("assisted-start"),
    }
    return render(request, "confirmation.html", {**context, "reference": submission.reference})
