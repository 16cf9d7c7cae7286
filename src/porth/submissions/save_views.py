"""Save and come back later: how to get the link, "we have sent a link", and the link itself.

A citizen saves from any question page (the page's answers are kept if they are valid), says
where to send a link, and this browser lets go of the journey: on a shared computer the next
person finds nothing, and at any time one browser at most holds it. The link is single-use
and works on any device; opening it shows a page with a button, and only pressing that uses
the link, as mail scanners open the links in messages before the citizen does.

Not offered in assisted digital: a member of staff completes the journey in one sitting.
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import phonenumbers
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from porth.services import service as services
from porth.services.service import Definition, Page, engine, questions
from porth.utils import crypto
from porth.utils.http import no_store
from porth.utils.urls import cached_reverse

from . import actions, assisted, events, saving
from .models import Journey
from .views import SESSION_KEY, _existing, _moved, _page_url, _remember, _send_revision, _today

SAVED_KEY = "saved_for_later"  # session: what the "we have sent a link" page shows, encrypted
TOKEN_CHARS = 100  # longer than any token we make: refused before any hashing or query

# Only their parsing is used: the email and phone question types' validation, for the
# address to send the link to.
_QUESTIONS = Page.model_validate(
    {
        "id": "save-for-later",
        "title": {"en": "Where to send the link"},
        "fields": [
            {"id": "email", "type": "email", "label": {"en": "Email address"}},
            {"id": "phone", "type": "phone", "label": {"en": "Mobile phone number"}},
        ],
    }
).fields


@dataclass
class Contact:
    """The "how should we send the link" form: what was typed, and what is wrong with it."""

    how: str = ""
    email: str = ""
    phone: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # input id -> message

    @property
    def kind(self) -> Literal["email", "sms"]:
        return "email" if self.how == "email" else "sms"


def read_contact(form: dict[str, str]) -> tuple[Contact, str]:
    """The form as posted, and the address to send to ("" if the form has errors): an email
    address as the email question takes it, or a mobile number in E.164."""
    contact = Contact(
        how=form.get("how", ""),
        email=form.get("email", "")[:400],
        phone=form.get("phone", "")[:100],
    )
    if contact.how == "email":
        to = _parse(0, contact.email)
        if not contact.email.strip():
            contact.errors["email"] = _("Enter your email address")
        elif to is None:
            contact.errors["email"] = _(
                "Enter an email address in the correct format, like name@example.com"
            )
    elif contact.how == "sms":
        to = _parse(1, contact.phone)
        if not contact.phone.strip():
            contact.errors["phone"] = _("Enter your mobile phone number")
        elif to is None or not is_mobile(to):
            contact.errors["phone"] = _(
                "Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982"
            )
    else:
        to = None
        contact.errors["how"] = _("Select how you want to get the link")
    return contact, "" if contact.errors or to is None else to


def _parse(index: int, text: str) -> str | None:
    question = _QUESTIONS[index]
    if not text.strip():
        return None
    value = questions.get(question.type).accept(question, {question.id: text})
    return value if isinstance(value, str) else None


def is_mobile(e164: str) -> bool:
    """A number a text message can reach: a mobile as `phonenumbers` knows them, or a UK
    number starting 07 (but not 070 personal numbers or 076 pagers) in a range it does not
    list, such as Ofcom's numbers for drama."""
    number = phonenumbers.parse(e164)
    if phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return True
    national = phonenumbers.national_significant_number(number)
    return number.country_code == 44 and national[:1] == "7" and national[:2] not in ("70", "76")


def _given(definition: Definition, answers: Mapping[str, Any]) -> Contact:
    """The form filled in with the address the citizen already gave as an answer, if the
    definition says which question is the applicant's (`contact`)."""
    found = services.contact(definition, answers)
    if found is None:
        return Contact()
    kind, address = found
    if kind == "email":
        return Contact(how="email", email=address)
    if not is_mobile(address):  # a landline cannot take a text message
        return Contact()
    return Contact(how="sms", phone=_national(address))


def _national(e164: str) -> str:
    """A number as people write it: 07700 900982, or +33 6 12 34 56 78 from abroad."""
    number = phonenumbers.parse(e164)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _citizens_only(request: HttpRequest, slug: str) -> Definition:
    definition = services.get(slug)
    if definition is None:
        raise Http404
    try:
        if assisted.mode(request, slug) is not None:
            raise Http404  # staff complete assisted journeys in one sitting
    except assisted.Stopped:
        raise Http404 from None
    return definition


def _release(request: HttpRequest, slug: str) -> None:
    """This browser lets go of its journey through the service: the link is the way back."""
    journeys = dict(request.session.get(SESSION_KEY, {}))
    if journeys.pop(slug, None) is not None:
        request.session[SESSION_KEY] = journeys


def return_by_text(moment: datetime) -> str:
    """The date a link expires, as the citizen reads it (it lasts to the end of that day)."""
    return formats.date_format(timezone.localtime(moment).date(), "j F Y")


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def save_for_later(request: HttpRequest, slug: str) -> HttpResponse:
    definition = _citizens_only(request, slug)
    current = _existing(request, slug, None, definition, _today())
    if current is None:  # nothing to save (saved already, signed out, or idle too long)
        return HttpResponseRedirect(cached_reverse("start", slug), status=303)
    contact = _given(current.definition, current.state.answers)
    if request.method == "POST":
        contact, to = read_contact(request.POST.dict())
        if to:
            try:
                saved = saving.save_for_later(
                    current.journey,
                    current.definition,
                    kind=contact.kind,
                    to=to,
                    language=get_language(),
                    today=current.today,
                    base_url=settings.PORTH_BASE_URL or request.build_absolute_uri("/"),
                    client=request.META.get("REMOTE_ADDR", ""),
                    actor=None,  # the citizen
                    request=request,
                )
            except saving.LinkProblem:  # sent or deleted meanwhile (another tab)
                return HttpResponseRedirect(cached_reverse("start", slug), status=303)
            except saving.TooManyLinks:
                contact.errors["how"] = _(
                    "You have asked for too many links. Try again tomorrow, or carry on "
                    "with your application now"
                )
                to = ""
        if to:
            _release(request, slug)
            shown = {"kind": contact.kind, "to": to, "return_by": saved.return_by.isoformat()}
            blob, key_id = crypto.encrypt(shown, context=f"{SAVED_KEY}:{slug}")
            request.session[SAVED_KEY] = {
                slug: {"blob": base64.b64encode(blob).decode(), "key": key_id}
            }
            return HttpResponseRedirect(cached_reverse("saved", slug), status=303)
    page_id = engine.next_page(current.definition, current.state, current.today)
    errors = [{"text": text, "href": f"#{anchor}"} for anchor, text in contact.errors.items()]
    return render(
        request,
        "save_for_later.html",
        {
            "service": definition,
            "contact": contact,
            "errors": errors,
            "unsaved": request.GET.get("unsaved") == "1",
            "back_url": _page_url(slug, page_id),
            "save_days": int(settings.PORTH_SAVE_DAYS),
        },
    )


@no_store
@require_http_methods(["GET", "HEAD"])
def saved(request: HttpRequest, slug: str) -> HttpResponse:
    """ "We have sent a link": shown once with the address, as it is only in the session."""
    definition = _citizens_only(request, slug)
    kept = request.session.get(SAVED_KEY, {}).get(slug)
    shown = None
    if kept:
        shown = crypto.decrypt(
            base64.b64decode(kept["blob"]), kept["key"], context=f"{SAVED_KEY}:{slug}"
        )
        if shown["kind"] == "sms":
            shown["to"] = _national(shown["to"])
        shown["return_by"] = return_by_text(datetime.fromisoformat(shown["return_by"]))
        del request.session[SAVED_KEY]
    return render(
        request,
        "saved.html",
        {"service": definition, "shown": shown, "save_days": int(settings.PORTH_SAVE_DAYS)},
    )


def _problem(request: HttpRequest, problem: saving.LinkProblem) -> HttpResponse:
    """A link that cannot be used: what happened, and what to do now."""
    definition = services.get(problem.service) if problem.service else None
    return render(
        request,
        "resume_problem.html",
        {
            "service": definition,
            "problem": problem.problem,
            "save_days": int(settings.PORTH_SAVE_DAYS),
        },
        status=404 if problem.problem == "unknown" else 410,
    )


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the message. Opening it uses nothing; pressing "Continue" takes the
    journey up in this browser, from the first page not yet answered."""
    try:
        if len(token) > TOKEN_CHARS:
            raise saving.LinkProblem("unknown")
        if request.method != "POST":
            link = saving.check_link(token)
            definition = services.get(link.service)
            if definition is None:
                raise saving.LinkProblem("expired")
            return render(
                request,
                "resume.html",
                {"service": definition, "return_by": return_by_text(link.expires_at)},
            )
        journey = saving.resume(token, actor=None, request=request)
    except saving.LinkProblem as problem:
        return _problem(request, problem)
    if services.get(journey.service) is None:
        return _problem(request, saving.LinkProblem("expired"))
    response = open_here(request, journey, reason="replaced by a saved journey")
    events.resumed(request, journey)
    return response


def open_here(request: HttpRequest, journey: Journey, *, reason: str) -> HttpResponse:
    """Take a journey in progress up in this browser (a resume link, or a signed-in
    citizen's own journey from "Your applications"): a redirect to its first page not yet
    answered (404 if its service is no longer offered). The caller has checked that this
    browser may have it. This browser's own journey through the service is replaced; unless it is
    a signed-in citizen's (they can still reach it from "Your applications"), its answers
    are deleted, as nobody could reach them again (`reason` is audited)."""
    live = services.get(journey.service)
    if live is None:
        raise Http404
    slug = journey.service
    earlier = request.session.get(SESSION_KEY, {}).get(slug)
    if (
        earlier
        and earlier != journey.pk
        and not Journey.objects.filter(pk=earlier, citizen__isnull=False).exists()
    ):
        actions.discard_journeys([earlier], reason=reason)
    _remember(request, journey, None)
    today = _today()
    definition, state = live, actions.read_state(journey)
    if journey.version != live.version:
        definition, state = _moved(journey, live, state, today)
    following = engine.next_page(definition, state, today)
    redirect = HttpResponseRedirect(_page_url(slug, following), status=303)
    return _send_revision(redirect, journey, None)
