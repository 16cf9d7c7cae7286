"""The audit log for auditors and platform admins: search and read, never change.

There is no view that edits or deletes entries; this one answers GET and HEAD only.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from porth.accounts.models import Role, User
from porth.accounts.service import is_platform_admin, organisation_ids, staff_view

from .forms import SearchForm, day_after, day_start
from .models import AuditEvent
from .service import record

PAGE = 50


def visible(user: User) -> QuerySet[AuditEvent]:
    """Platform admins see every entry; auditors those of the organisations they audit."""
    if is_platform_admin(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(organisation_id__in=organisation_ids(user, {Role.AUDITOR}))


def search(entries: QuerySet[AuditEvent], form: SearchForm) -> QuerySet[AuditEvent]:
    data = form.cleaned_data
    if data["reference"]:
        entries = entries.filter(Q(reference=data["reference"]) | Q(object_id=data["reference"]))
    if data["who"]:
        users = User.objects.filter(Q(username__iexact=data["who"]) | Q(display_name=data["who"]))
        entries = entries.filter(actor_id__in=list(users.values_list("pk", flat=True)[:20]))
    if data["action"]:
        entries = entries.filter(action=data["action"])
    if data["start"]:
        entries = entries.filter(at__gte=day_start(data["start"]))
    if data["end"]:
        entries = entries.filter(at__lt=day_after(data["end"]))
    return entries


def page_of(entries: QuerySet[AuditEvent], form: SearchForm) -> dict[str, Any]:
    """One page, newest first, found by id (keyset): as fast on page 1,000 as on page 1."""
    before, after = form.cleaned_data["before"], form.cleaned_data["after"]
    if after:
        rows = list(entries.filter(id__gt=after).order_by("id")[: PAGE + 1])
        newer, rows = len(rows) > PAGE, rows[:PAGE][::-1]
        older = bool(rows) and entries.filter(id__lt=rows[-1].id).exists()
    else:
        page = entries.filter(id__lt=before) if before else entries
        rows = list(page.order_by("-id")[: PAGE + 1])
        older, rows = len(rows) > PAGE, rows[:PAGE]
        newer = bool(before) and bool(rows) and entries.filter(id__gt=rows[0].id).exists()
    return {"rows": rows, "older": older, "newer": newer}


def table_row(entry: AuditEvent) -> list[dict[str, str]]:
    """An entry as a row of govukTable cells (the template escapes the text)."""
    about = f"{entry.object_type} {entry.object_id}".strip()
    if entry.reference:
        about = f"{about} ({entry.reference})" if about else entry.reference
    return [
        {"text": str(entry.pk)},
        {"text": f"{timezone.localtime(entry.at):%d %b %Y %H:%M:%S}"},
        {"text": entry.actor_label},
        {"text": entry.action},
        {"text": about},
        {"text": entry.ip or ""},
    ]


@require_safe
@staff_view(Role.AUDITOR, Role.PLATFORM_ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"title": "Audit log", "form": form, "rows": []}
    if not form.is_valid():
        context["has_errors"] = True
        context["errors"] = [
            {"text": error, "href": f"#{name}"}
            for name, errors in form.errors.items()
            for error in errors
        ]
        return render(request, "staff/audit/log.html", context)
    entries = search(visible(request.user), form)
    found = page_of(entries, form)
    filters = form.filters()
    rows = found["rows"]
    if rows and found["older"]:
        context["older_url"] = "?" + urlencode({**filters, "before": rows[-1].id})
    if rows and found["newer"]:
        context["newer_url"] = "?" + urlencode({**filters, "after": rows[0].id})
    context.update(rows=[table_row(entry) for entry in rows], filters=filters)
    page = {key: form.cleaned_data[key] for key in ("before", "after") if form.cleaned_data[key]}
    record("audit.viewed", actor=request.user, request=request, data={"filters": filters, **page})
    return render(request, "staff/audit/log.html", context)
