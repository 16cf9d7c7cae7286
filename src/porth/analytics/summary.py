"""The four KPIs of many services at once: the service owner's list, and the platform
admins' totals per organisation. Tables (display.Table), so the page and exports agree."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .display import Cell, Table
from .figures import Kpis, Ratio
from .params import Choice

HEAD = [
    "Service",
    "Organisation",
    "Started",
    "Completed",
    "Completion rate",
    "Digital take-up",
    "User satisfaction",
    "Cost per transaction",
]


def _kpi_cells(k: Kpis) -> list[Cell]:
    return [
        Cell(k.started),
        Cell(k.completed),
        Cell(k.completion_rate, "share"),
        Cell(k.digital_take_up, "share"),
        Cell(k.satisfied, "share"),
        Cell(k.cost_per_transaction, "money"),
    ]


def service_rows(
    definitions: Mapping[str, Any],
    kpis: Mapping[str, Kpis],
    organisation_names: Mapping[str, str],
    choice: Choice,
) -> Table:
    query = urlencode(choice.query())
    rows = []
    for slug in sorted(definitions, key=lambda s: definitions[s].name.get("en")):
        definition = definitions[slug]
        href = f"{reverse('performance-service', args=[slug])}?{query}"
        organisation = definition.organisation.id
        rows.append(
            [
                Cell(definition.name.get("en"), "text", href),
                Cell(organisation_names.get(organisation, organisation), "text"),
                *_kpi_cells(kpis[slug]),
            ]
        )
    return Table("services", f"Services, {choice.period.label}", HEAD, rows)


def total(many: list[Kpis]) -> Kpis:
    """Kpis of several services together: shares from the summed parts, not averaged."""

    def ratio(name: str) -> Ratio:
        parts = [getattr(k, name) for k in many]
        return Ratio(sum(r.numerator for r in parts), sum(r.denominator for r in parts))

    completed = sum(k.completed for k in many)
    costs = [k.total_cost for k in many if k.total_cost is not None]
    total_cost = sum(costs, Decimal(0)) if costs else None
    per = (
        (total_cost / completed).quantize(Decimal("0.01"))
        if total_cost is not None and completed
        else None
    )
    return Kpis(
        started=sum(k.started for k in many),
        completed=completed,
        completion_rate=ratio("completion_rate"),
        transactions={},
        digital_take_up=ratio("digital_take_up"),
        ratings={},
        satisfied=ratio("satisfied"),
        satisfaction_score=None,
        costs={},
        total_cost=total_cost,
        cost_per_transaction=per,
    )


def organisation_rows(
    definitions: Mapping[str, Any], kpis: Mapping[str, Kpis], names: Mapping[str, str]
) -> Table:
    by_organisation: dict[str, list[Kpis]] = {}
    for slug, definition in definitions.items():
        by_organisation.setdefault(definition.organisation.id, []).append(kpis[slug])
    rows = [
        [Cell(names.get(org, org), "text"), Cell(len(many)), *_kpi_cells(total(many))]
        for org, many in sorted(
            by_organisation.items(), key=lambda item: names.get(item[0], item[0])
        )
    ]
    head = ["Organisation", "Services", *HEAD[2:]]
    return Table("organisations", "Organisations", head, rows)
