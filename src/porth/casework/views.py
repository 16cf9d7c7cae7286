"""Staff case pages: the queue and one case. Thin: queries read, actions write.

Every case is looked up within the organisations where the user holds a case role, so
another organisation's case is a 404 whatever the URL or the form says.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Organisation
from porth.accounts.service import CASE_ROLES, organisation_ids, staff_view
from porth.services import service as services
from porth.submissions.models import Channel
from porth.submissions.service import read_answers

from . import actions, display, parts, queries
from .forms import FilterForm
from .models import Case, Queue, Status
from .transitions import available

TAGS = {
    Status.NEW: "govuk-tag--blue",
    Status.IN_PROGRESS: "govuk-tag--light-blue",
    Status.AWAITING_INFORMATION: "govuk-tag--yellow",
    Status.INFORMATION_RECEIVED: "govuk-tag--purple",
    Status.APPROVED: "govuk-tag--green",
    Status.REJECTED: "govuk-tag--red",
    Status.CLOSED: "govuk-tag--grey",
}
DONE = {
    "claim": "The case is assigned to you",
    "assign": "The case is assigned",
    "note": "Your note is added",
    "message": "Your message will be sent to the applicant",
    "request_information": "The applicant has been asked for more information",
    "resume": "The case is in progress again",
    "approve": "The application is approved",
    "reject": "The application is rejected",
    "close": "The case is closed",
}
# The form field each action's text comes from, kept when the page comes back with an error.
TEXT_FIELDS = {
    "note": "note",
    "reject": "reason",
    "request_information": "message",
    "message": "applicant_message",
}


@never_cache
@require_safe
@staff_view(*CASE_ROLES)
def queues(request: HttpRequest) -> HttpResponse:
    organisations = organisation_ids(request.user, CASE_ROLES)  # type: ignore[arg-type]
    queue_list = list(Queue.objects.filter(organisation_id__in=organisations).order_by("name"))
    slugs = set(Organisation.objects.filter(pk__in=organisations).values_list("slug", flat=True))
    service_list = sorted(
        (slug, definition.name.get("en"))
        for slug, definition in services.definitions().items()
        if definition.organisation.id in slugs
    )
    form = FilterForm(request.GET, queues=queue_list, services=service_list)
    filters = form.filters()
    cases = (
        queries.filtered(organisations, filters, user_id=request.user.pk or 0)
        .select_related("queue", "assigned_to", "submission", "submission__definition")
        .defer("submission__definition__canonical")
    )
    result = queries.page(
        cases, filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    names = display.names(result.cases)
    actions.record_queue_view(result.cases, filters, actor=request.user, request=request)
    now = timezone.now()
    rows = [
        {
            "case": case,
            "name": names.get(case.pk, ""),
            "service": display.service_name(case.service),
            "overdue": case.is_overdue(now),
        }
        for case in result.cases
    ]
    return render(
        request,
        "staff/casework/queues.html",
        {
            "title": "Cases",
            "form": form,
            "filters": filters,
            "rows": rows,
            "tags": TAGS,
            "items": {
                "queue": _items(
                    [(q.pk, q.name) for q in queue_list], filters.queue, "All your queues"
                ),
                "status": _items(Status.choices, filters.status, "Any status"),
                "service": _items(service_list, filters.service, "Any service"),
            },
            "sort_url": lambda key, order: _link(request.GET, sort=key, order=order),
            "next_url": _link(request.GET, after=result.next_cursor)
            if result.next_cursor
            else None,
            "previous_url": _link(request.GET, before=result.previous_cursor)
            if result.previous_cursor
            else None,
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )


def _items(pairs: list[tuple[Any, str]], selected: Any, empty: str) -> list[dict[str, Any]]:
    """A select's options, with the current filter selected."""
    return [{"value": "", "text": empty}] + [
        {"value": str(value), "text": text, "selected": str(value) == str(selected)}
        for value, text in pairs
    ]


def _link(query: QueryDict, **changes: str) -> str:
    """The queue page with these changes to the query string (a new page or sort)."""
    params = {
        key: value for key, value in query.items() if value and key not in {"after", "before"}
    }
    params.update(changes)
    return f"{reverse('queues')}?{urlencode(params)}"


def _case_for(request: HttpRequest, reference: str) -> Case:
    organisations = organisation_ids(request.user, CASE_ROLES)  # type: ignore[arg-type]
    case = (
        Case.objects.select_related(
            "organisation", "queue", "assigned_to", "submission", "submission__definition"
        )
        .filter(reference=reference, organisation_id__in=organisations)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise actions.Refused(
            "The form was not sent correctly. Reload the page and try again"
        ) from None


def _assignee(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("assignee", ""))
    except ValueError:
        return None


Act = Callable[[HttpRequest, Case, dict[str, Any]], Case]
ACTS: dict[str, Act] = {
    "claim": lambda request, case, kw: actions.claim(case, **kw),
    "assign": lambda request, case, kw: actions.assign(case, _assignee(request), **kw),
    "request_information": lambda request, case, kw: actions.request_information(
        case, request.POST.get("message", ""), **kw
    ),
    "resume": lambda request, case, kw: actions.resume(case, **kw),
    "approve": lambda request, case, kw: actions.approve(case, **kw),
    "reject": lambda request, case, kw: actions.reject(case, request.POST.get("reason", ""), **kw),
    "close": lambda request, case, kw: actions.close(case, **kw),
    "note": lambda request, case, kw: actions.add_note(case, request.POST.get("note", ""), **kw),
    "message": lambda request, case, kw: actions.write_to_applicant(
        case, request.POST.get("applicant_message", ""), **kw
    ),
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(*CASE_ROLES)
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference)
    error: dict[str, str] | None = None
    kept: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        act = ACTS.get(action)
        try:
            if act is None:
                raise actions.Refused("Choose something to do with this case")
            act(
                request,
                case,
                {"version": _version(request), "actor": request.user, "request": request},
            )
        except actions.Refused as refused:
            field = TEXT_FIELDS.get(action)
            if field:
                kept[field] = request.POST.get(field, "")
            anchor = field or ("assignee" if action == "assign" else "actions")
            error = {"text": refused.message, "href": f"#{anchor}", "action": action}
            case = _case_for(request, reference)  # show what changed, with its new version
        else:
            url = reverse("case", args=[case.reference])
            return HttpResponseRedirect(f"{url}?{urlencode({'done': action})}", status=303)
    return _show(request, case, error, kept)


def _show(
    request: HttpRequest, case: Case, error: dict[str, str] | None, kept: dict[str, str]
) -> HttpResponse:
    answers = read_answers(case.submission)
    actions.record_view(case, actor=request.user, request=request)
    entries = display.timeline(case)
    done = request.GET.get("done", "") if error is None else ""
    return render(
        request,
        "staff/casework/case.html",
        {
            "title": f"Case {case.reference}",
            "back_url": reverse("queues"),
            "has_errors": error is not None,
            "error": error,
            "kept": kept,
            "done": DONE.get(done, ""),
            "case": case,
            "erased_at": case.submission.erased_at,
            "name": display.applicant_name(case.submission, answers),
            "rows": display.answer_rows(case.submission, answers),
            "parts": parts.render(case),
            "service": display.service_name(case.service),
            "channel": Channel(case.channel).label
            if case.channel in Channel.values
            else case.channel,
            "version": case.submission.definition.version,
            "overdue": case.is_overdue(),
            "tags": TAGS,
            "timeline": entries,
            "notes": display.notes(entries),
            "reply": display.latest_reply(entries)
            if case.status == Status.INFORMATION_RECEIVED
            else None,
            "available": available(case.status),
            "reply_days": settings.PORTH_REPLY_DAYS,
            "assignees": list(actions.caseworkers(case.organisation_id)),
        },
        status=200,
    )
