"""Staff pages about the messages applicants are sent: a case's messages as they were sent,
and the messages that failed, with a way to send one again. Thin: actions write.

As on case pages, staff see only what belongs to organisations where they hold a case role:
a case's messages, and messages with no case (saving an application to finish later) of
those organisations' services. Anything else is a 404, whatever the URL or the form says.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Organisation
from porth.accounts.service import CASE_ROLES, organisation_ids, staff_view
from porth.casework.models import Case
from porth.services import service as services

from . import actions
from .content import read
from .display import in_language, text_html, when
from .models import Kind, Notification, Status

SHOWN = 200  # failed messages on one page, newest first
TAGS: dict[str, str] = {
    Status.CREATED: "govuk-tag--grey",
    Status.SENDING: "govuk-tag--light-blue",
    Status.DELIVERED: "govuk-tag--green",
    Status.PERMANENT_FAILURE: "govuk-tag--red",
    Status.TEMPORARY_FAILURE: "govuk-tag--yellow",
    Status.TECHNICAL_FAILURE: "govuk-tag--red",
}
EVENTS = {
    "submitted": "Application received",
    "information_requested": "More information requested",
    "approved": "Application approved",
    "rejected": "Application rejected",
    "message": "Message from a caseworker",
    "saved_for_later": "Application saved to finish later",
}
LANGUAGES = {"en": "English", "cy": "Welsh"}


def _organisations(request: HttpRequest) -> set[int]:
    return organisation_ids(request.user, CASE_ROLES)  # type: ignore[arg-type]


def _visible(request: HttpRequest) -> QuerySet[Notification]:
    organisations = _organisations(request)
    slugs = set(Organisation.objects.filter(pk__in=organisations).values_list("slug", flat=True))
    their_services = [
        slug
        for slug, definition in services.definitions().items()
        if definition.organisation.id in slugs
    ]
    return Notification.objects.filter(
        Q(case__organisation_id__in=organisations)
        | Q(case__isnull=True, service__in=their_services)
    )


def _described(notification: Notification, *, text: bool) -> dict[str, Any]:
    kind = Kind(notification.kind).label if notification.kind in Kind.values else notification.kind
    status = (
        Status(notification.status).label
        if notification.status in Status.values
        else notification.status
    )
    entry: dict[str, Any] = {
        "notification": notification,
        "kind": kind,
        "about": EVENTS.get(notification.event, notification.event.replace("_", " ").capitalize()),
        "status": status,
        "tag": TAGS.get(notification.status, "govuk-tag--grey"),
        "created": when(notification.created_at),
        "sent": when(notification.sent_at) if notification.sent_at else None,
        "language": LANGUAGES.get(notification.language, notification.language),
    }
    if text:
        content = read(notification)
        entry["content"] = content and {
            "to": content["to"],
            "subject": in_language(content["subject"], notification.language),
            "body": in_language(text_html(content["body"]), notification.language),
        }
    return entry


@never_cache
@require_safe
@staff_view(*CASE_ROLES)
def case_notifications(request: HttpRequest, reference: str) -> HttpResponse:
    case = (
        Case.objects.select_related("organisation")
        .filter(reference=reference, organisation_id__in=_organisations(request))
        .first()
    )
    if case is None:
        raise Http404
    notifications = list(case.notifications.order_by("-created_at", "-pk"))
    actions.record_view(case, actor=request.user, request=request)
    return render(
        request,
        "staff/notifications/case.html",
        {
            "title": f"Messages to the applicant – case {case.reference}",
            "back_url": reverse("case", args=[case.reference]),
            "case": case,
            "entries": [_described(n, text=True) for n in notifications],
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(*CASE_ROLES)
def failed(request: HttpRequest) -> HttpResponse:
    visible = _visible(request)
    error = None
    if request.method == "POST":
        notification = visible.filter(reference=request.POST.get("notification", "")).first()
        if notification is None:
            raise Http404
        try:
            actions.retry(notification, actor=request.user, request=request)
        except actions.Refused as refused:
            error = refused.message
        else:
            return HttpResponseRedirect(
                f"{reverse('failed-notifications')}?done=retried", status=303
            )
    notifications = list(
        visible.filter(actions.failed())
        .select_related("case")
        .order_by("-created_at", "-pk")[: SHOWN + 1]
    )
    return render(
        request,
        "staff/notifications/failed.html",
        {
            "title": "Messages that failed",
            "has_errors": error is not None,
            "error": error,
            "done": request.GET.get("done") == "retried" and error is None,
            "entries": [_described(n, text=False) for n in notifications[:SHOWN]],
            "more": len(notifications) > SHOWN,
        },
    )
