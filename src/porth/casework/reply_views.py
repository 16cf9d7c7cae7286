"""The applicant's reply page: what the caseworker asked, a box to answer it, and a
confirmation. A citizen page (English or Welsh, no JavaScript needed, GOV.UK patterns) with
no account and no session: the link is the key (porth.casework.replies).

A link that cannot be used gets a page saying what happened and what to do, as 404 (never
a link) or 410 (used, expired): never an error page.
"""

from datetime import date, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from porth.services.service import Definition, Page, engine, message
from porth.utils.http import no_store
from porth.utils.middleware import LANGUAGE_COOKIE

from . import actions, display, replies
from .models import Case, InformationRequest, Status

FIELD = "reply"
# A decision was made: a reply is still kept, but the applicant should know it may change
# nothing.
DECIDED = {Status.APPROVED, Status.REJECTED, Status.CLOSED}


@cache
def _page(language: str) -> Page:
    """The reply as a one-question page, checked like any citizen's answer in a multi-line
    box: the textarea question type's length limit and control-character rules, and its
    messages in the citizen's language."""
    name = _("your reply")
    return Page.model_validate(
        {
            "id": "reply",
            "fields": [
                {"id": FIELD, "type": "textarea", "label": {"en": name}, "name": {"en": name}}
            ],
        }
    )


def _use_language(request: HttpRequest, case: Case) -> str:
    """The language switcher's choice (?lang=, then the cookie it sets) if the applicant made
    one; otherwise the language they applied in."""
    known = {code for code, _name in settings.LANGUAGES}
    chosen = request.GET.get("lang") in known or request.COOKIES.get(LANGUAGE_COOKIE) in known
    language = request.LANGUAGE_CODE if chosen else case.submission.language
    if language != translation.get_language():
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return language


def _count_texts() -> dict[str, Any]:
    """The character count's words in the page's language (GOV.UK Frontend fills in
    %{count}). Welsh has six plural forms; a figure before "nod" takes the singular in all."""

    def plural(one: str, other: str) -> dict[str, str]:
        return dict.fromkeys(["zero", "two", "few", "many", "other"], other) | {"one": one}

    return {
        "description": _("You can enter up to %{count} characters"),
        "under": plural(
            _("You have %{count} character remaining"), _("You have %{count} characters remaining")
        ),
        "at": _("You have 0 characters remaining"),
        "over": plural(
            _("You have %{count} character too many"), _("You have %{count} characters too many")
        ),
    }


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value).date(), "j F Y")


def _context(case: Case, language: str) -> dict[str, Any]:
    definition: Definition = display.definition_of(case.submission)
    return {"service": definition, "reference": case.reference, "language": language}


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # The middleware's header names the language it chose; this page may have chosen another.
    response["Content-Language"] = request.LANGUAGE_CODE
    return response


def _problem(
    request: HttpRequest,
    problem: replies.LinkProblem,
    asking: InformationRequest | None,
    *,
    unsent: str = "",
) -> HttpResponse:
    """What happened to the link, and what to do. `unsent`: a reply that could not be kept,
    shown back so that the applicant can copy it."""
    context: dict[str, Any] = {"problem": problem.problem, "reference": "", "unsent": unsent}
    if asking is not None:
        context |= _context(asking.case, _use_language(request, asking.case))
    status = 404 if problem.problem == "unknown" else 410
    return _finish(request, render(request, "casework/reply_problem.html", context, status=status))


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, token: str) -> HttpResponse:
    asking = replies.lookup(token)
    try:
        replies.check(asking)
    except replies.LinkProblem as problem:
        if request.method == "POST" and asking is not None and problem.problem == "used":
            return _post_again(request, token, asking, problem)
        return _problem(request, problem, asking)
    assert asking is not None
    case = asking.case
    language = _use_language(request, case)
    typed = ""
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        result = engine.validate_page(
            display.definition_of(case.submission),
            _page(language),
            request.POST,
            engine.State(),
            date.today(),
        )
        typed = result.raw.get(FIELD, "")
        errors = [
            {"text": message(e.question, e.invalid), "href": f"#{e.anchor}"} for e in result.errors
        ]
        if result.ok:
            try:
                actions.reply(token, result.values[FIELD], request=request)
            except replies.LinkProblem as problem:  # used or expired since the check above
                if problem.problem == "used":  # perhaps by this very reply, posted twice at once
                    return _post_again(request, token, replies.lookup(token) or asking, problem)
                return _problem(request, problem, asking, unsent=typed)
            except actions.Conflict:  # the case kept changing: nothing was kept
                errors = [{"text": _("Your reply could not be sent. Try again"), "href": "#reply"}]
            else:
                return _sent_redirect(token)
    context = _context(case, language) | {
        "asked": replies.asked(asking),
        "reply_by": _day(asking.expires_at),
        "decided": case.status in DECIDED,
        "value": typed,
        "errors": errors,
        "limit": actions.REPLY_CHARS,
        "count": _count_texts(),
    }
    return _finish(request, render(request, "casework/reply.html", context))


def _post_again(
    request: HttpRequest, token: str, asking: InformationRequest, problem: replies.LinkProblem
) -> HttpResponse:
    """A post to a used link: the same reply again (a double click, a refresh) is shown as
    sent; another one is shown back to the applicant, as it was not kept."""
    text = request.POST.get(FIELD, "").replace("\r\n", "\n").strip()
    if replies.sent_before(asking, text):
        return _sent_redirect(token)
    return _problem(request, problem, asking, unsent=text)


def _sent_redirect(token: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("reply-sent", args=[token]), status=303)


@no_store
@require_safe
def sent(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation, for as long as the link is known: it shows nothing but the
    reference, and needs no cookie."""
    asking = replies.lookup(token)
    if asking is None:
        return _problem(request, replies.LinkProblem("unknown"), None)
    if asking.used_at is None:
        return HttpResponseRedirect(reverse("reply", args=[token]), status=303)
    case = asking.case
    context = _context(case, _use_language(request, case)) | {"decided": case.status in DECIDED}
    return _finish(request, render(request, "casework/reply_sent.html", context))
