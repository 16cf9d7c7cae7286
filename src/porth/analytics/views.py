"""Staff performance dashboards: thin views over kpis (figures), display (tables and charts)
and export. Read-only but for the cost form (actions.enter_cost).

Service owners see their own organisations' services; platform admins see every service
and the totals of each organisation. Anyone else, and any service outside what the user may
see, gets a 404 (as for cases: another organisation's services are not even confirmed).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import is_platform_admin, organisation_ids, staff_view
from porth.casework.models import Queue
from porth.services import service as services

from . import actions, display, export
from .experiments import results
from .forms import CostForm
from .kpis import daily, figures, overview
from .models import Cost
from .params import CHANNELS, KINDS, Choice, choose
from .satisfaction import comments
from .summary import organisation_rows, service_rows

ROLES = (Role.SERVICE_OWNER, Role.PLATFORM_ADMIN)


def visible(user: User) -> dict[str, Any]:
    """The services (slug -> definition) whose figures this user may see."""
    everything = services.definitions()
    if is_platform_admin(user):
        return dict(everything)
    owned = set(
        Organisation.objects.filter(
            pk__in=organisation_ids(user, {Role.SERVICE_OWNER})
        ).values_list("slug", flat=True)
    )
    return {slug: d for slug, d in everything.items() if d.organisation.id in owned}


def _definition(request: HttpRequest, slug: str) -> Any:
    definition = visible(request.user).get(slug)  # type: ignore[arg-type]
    if definition is None:
        raise Http404
    return definition


def _pickers(choice: Choice, *, channels: bool = True) -> dict[str, Any]:
    """The GET form's items, with what was asked for selected."""
    kind = choice.given.get("period") or choice.period.kind
    items: dict[str, Any] = {
        "period": [
            {"value": key, "text": text, "selected": key == kind} for key, text in KINDS.items()
        ],
        "start": choice.given.get("start") or choice.period.start.isoformat(),
    }
    if channels:
        chosen = choice.given.get("channel", "")
        items["channel"] = [{"value": "", "text": "All channels", "selected": not chosen}] + [
            {"value": key, "text": text, "selected": key == chosen}
            for key, text in CHANNELS.items()
        ]
    return items


def _errors(choice: Choice) -> list[dict[str, str]]:
    return [{"text": text, "href": f"#{name}"} for name, text in choice.errors.items()]


# --- The list of services, and the cross-organisation overview ------------------------------


def _overview(request: HttpRequest, choice: Choice) -> dict[str, Any]:
    definitions = visible(request.user)  # type: ignore[arg-type]
    kpis = overview(sorted(definitions), choice.period)
    admin = is_platform_admin(request.user)  # type: ignore[arg-type]
    names = dict(Organisation.objects.values_list("slug", "name"))
    return {
        "admin": admin,
        "services": service_rows(definitions, kpis, names, choice),
        "organisations": organisation_rows(definitions, kpis, names) if admin else None,
    }


@never_cache
@require_safe
@staff_view(*ROLES)
def service_list(request: HttpRequest) -> HttpResponse:
    choice = choose(request.GET, timezone.localdate())
    context: dict[str, Any] = {
        "title": "Service performance",
        "choice": choice,
        "pickers": _pickers(choice, channels=False),
        "errors": _errors(choice),
        "has_errors": bool(choice.errors),
        "show": display.show,
    }
    if not choice.errors:
        context |= _overview(request, choice)
        query = urlencode(choice.query())
        context["exports"] = {
            fmt: f"{reverse('performance-list-export', args=[fmt])}?{query}"
            for fmt in ("csv", "json")
        }
    return render(request, "analytics/services.html", context, status=400 if choice.errors else 200)


@never_cache
@require_safe
@staff_view(*ROLES)
def list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    choice = choose(request.GET, timezone.localdate())
    if choice.errors or fmt not in {"csv", "json"}:
        return _bad_export(choice, fmt)
    found = _overview(request, choice)
    tables = [found["services"]] + ([found["organisations"]] if found["organisations"] else [])
    name = export.filename("services", choice.period, None, fmt)
    if fmt == "csv":
        body = export.to_csv(("all", choice.period, None, table) for table in tables)
    else:
        body = export.to_json(
            {"period": choice.period, "tables": [_table_json(table) for table in tables]}
        )
    return _download(body, fmt, name)


# --- One service ------------------------------------------------------------------------------


def _figures(slug: str, choice: Choice) -> tuple[Any, Any]:
    now = figures(slug, choice.period, channel=choice.channel)
    before = figures(slug, choice.period.previous(), channel=choice.channel)
    return now, before


def _sections(slug: str, definition: Any, choice: Choice) -> tuple[Any, Any, list[Any]]:
    now, before = _figures(slug, choice)
    queue_names = dict(
        Queue.objects.filter(organisation__slug=definition.organisation.id).values_list(
            "slug", "name"
        )
    )
    # Days still to come are left off, so the chart does not end in a run of zeros.
    today = timezone.localdate()
    trend = (
        [(day, n) for day, n in daily(slug, choice.period, "completed") if day <= today]
        if choice.period.days > 1
        else []
    )
    return now, before, display.sections(now, before, trend=trend, queue_names=queue_names)


@never_cache
@require_safe
@staff_view(*ROLES)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    definition = _definition(request, slug)
    choice = choose(request.GET, timezone.localdate())
    name = definition.name.get("en")
    context: dict[str, Any] = {
        "title": f"{name}: performance",
        "service_name": name,
        "slug": slug,
        "choice": choice,
        "pickers": _pickers(choice),
        "errors": _errors(choice),
        "has_errors": bool(choice.errors),
        "back_url": reverse("performance"),
        "may_enter_costs": _may_enter_costs(request, definition),
    }
    if not choice.errors:
        now, before, sections = _sections(slug, definition, choice)
        today = timezone.localdate()
        following = choice.period.next()
        query = urlencode(choice.query())
        context |= {
            "figures": now,
            "previous": before,
            "sections": sections,
            "show": display.show,
            "cell": display.Cell,
            "ratings_words": display.RATINGS,
            "comments": comments(slug, choice.period.start, choice.period.end, limit=50),
            "experiments": results(definition),
            "previous_url": "?" + urlencode(choice.query(choice.period.previous())),
            "next_url": "?" + urlencode(choice.query(following))
            if following.start <= today
            else None,
            "exports": {
                fmt: f"{reverse('performance-export', args=[slug, fmt])}?{query}"
                for fmt in ("csv", "json")
            },
        }
    return render(
        request, "analytics/dashboard.html", context, status=400 if choice.errors else 200
    )


@never_cache
@require_safe
@staff_view(*ROLES)
def service_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    definition = _definition(request, slug)
    choice = choose(request.GET, timezone.localdate())
    if choice.errors or fmt not in {"csv", "json"}:
        return _bad_export(choice, fmt)
    now, before, sections = _sections(slug, definition, choice)
    name = export.filename(slug, choice.period, choice.channel, fmt)
    if fmt == "csv":
        tables = [section.table for section in sections]
        tables += export.experiment_tables(results(definition))
        body = export.to_csv((slug, choice.period, choice.channel, table) for table in tables)
    else:
        document = {"service": slug, "channel": choice.channel, "figures": now, "previous": before}
        document["experiments"] = results(definition)
        body = export.to_json(document)
    return _download(body, fmt, name)


def _table_json(table: display.Table) -> dict[str, Any]:
    return {
        "table": table.key,
        "columns": table.head,
        "rows": [[display.raw(cell) for cell in row] for row in table.rows],
    }


def _download(body: str, fmt: str, name: str) -> HttpResponse:
    kind = "text/csv" if fmt == "csv" else "application/json"
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _bad_export(choice: Choice, fmt: str) -> HttpResponse:
    """A 400 that says what was wrong, as JSON for a program (CSV has no place for it)."""
    problems = dict(choice.errors)
    if fmt not in {"csv", "json"}:
        problems["format"] = "Ask for csv or json"
    return HttpResponse(
        export.to_json({"errors": problems}), status=400, content_type="application/json"
    )


# --- Costs ------------------------------------------------------------------------------------


def _may_enter_costs(request: HttpRequest, definition: Any) -> bool:
    organisation = Organisation.objects.filter(slug=definition.organisation.id).first()
    return organisation is not None and organisation.pk in organisation_ids(
        request.user,  # type: ignore[arg-type]
        {Role.SERVICE_OWNER},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.SERVICE_OWNER)
def costs(request: HttpRequest, slug: str) -> HttpResponse:
    """The service owner's costs per channel per period. Only the owning organisation's
    service owners: a platform admin sees the figures but does not enter them."""
    definition = _definition(request, slug)
    if not _may_enter_costs(request, definition):
        raise Http404
    today = timezone.localdate()
    form = CostForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        cost = actions.enter_cost(
            slug,
            form.cleaned_data["channel"],
            form.cleaned_data["span"],
            form.cleaned_data["pounds"],
            organisation=Organisation.objects.get(slug=definition.organisation.id),
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        done_url = f"{reverse('performance-costs', args=[slug])}?done={cost.pk}"
        return HttpResponseRedirect(done_url, status=303)
    done_id = request.GET.get("done", "")
    done = Cost.objects.filter(service=slug, pk=int(done_id)).first() if done_id.isdigit() else None
    entered = Cost.objects.filter(service=slug).order_by("-first_day", "channel")[:50]
    return render(
        request,
        "analytics/costs.html",
        {
            "title": f"{definition.name.get('en')}: costs",
            "service_name": definition.name.get("en"),
            "slug": slug,
            "form": form,
            "errors": form.summary() if form.is_bound else [],
            "has_errors": form.is_bound and bool(form.errors),
            "channels": CHANNELS,
            "kinds": KINDS,
            "done": done,
            "entered": entered,
            "declared": {c: definition.costs.get(c) for c in CHANNELS},
            "back_url": reverse("performance-service", args=[slug]),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
