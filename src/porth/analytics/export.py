"""Every figure on a dashboard as CSV or JSON, for a spreadsheet or another system.

CSV is "long": one figure a line (table, row, column, value), the same tables as the page,
so any figure on the page can be found in it and every file has the same columns. JSON is
the figures themselves (figures.Figures), for a program: shares as their numerator, denominator
and value, money as strings of pounds, times in seconds.
"""

import csv
import dataclasses
import io
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .display import Cell, Table, raw
from .experiments import ExperimentResult
from .figures import Ratio
from .periods import Period

CSV_HEAD = [
    "service",
    "period",
    "first_day",
    "last_day",
    "channel",
    "table",
    "row",
    "column",
    "value",
]


def filename(name: str, period: Period, channel: str | None, extension: str) -> str:
    """blue-badge-month-2026-11-01-online.csv: says what is in it, and sorts by date."""
    parts = [name, period.kind, period.start.isoformat()]
    if channel:
        parts.append(channel)
    return "-".join(parts) + f".{extension}"


def to_csv(
    tables: Iterable[tuple[str, Period, str | None, Table]],
) -> str:
    """(service, period, channel, table) ... as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEAD)
    for service, period, channel, table in tables:
        for row in table.rows:
            label = str(row[0].value)
            for heading, cell in zip(table.head[1:], row[1:], strict=True):
                value = raw(cell)
                writer.writerow(
                    [
                        service,
                        period.kind,
                        period.start.isoformat(),
                        period.end.isoformat(),
                        channel or "all",
                        table.key,
                        label,
                        heading,
                        "" if value is None else value,
                    ]
                )
    return out.getvalue()


def experiment_tables(results: Iterable[ExperimentResult]) -> list[Table]:
    """Each experiment as a table for the CSV: its variants and the difference b - a, with
    their 95% intervals, and the verdict (the page shows the same in its partial)."""
    tables = []
    for result in results:
        rows = [
            [
                Cell(f"Variant {variant.name.upper()}", "text"),
                Cell(variant.journeys),
                Cell(variant.completion.value, "share"),
                Cell(variant.completion.low, "share"),
                Cell(variant.completion.high, "share"),
                Cell(variant.errors.value, "share"),
                Cell(variant.errors.low, "share"),
                Cell(variant.errors.high, "share"),
            ]
            for variant in (result.a, result.b)
        ]
        c, e = result.completion, result.errors
        rows.append(
            [Cell("Difference B - A", "text"), Cell(None)]
            + [Cell(x, "share") for x in (c.estimate, c.low, c.high, e.estimate, e.low, e.high)]
        )
        head = [
            "Variant",
            "Journeys",
            "Completion rate",
            "Completion rate, 95% low",
            "Completion rate, 95% high",
            "Error rate",
            "Error rate, 95% low",
            "Error rate, 95% high",
        ]
        caption = f"Experiment {result.id} on {result.page_title}"
        tables.append(Table(f"experiment:{result.id}", caption, head, rows))
        tables.append(
            Table(
                f"experiment:{result.id}:verdict",
                "Verdict",
                ["Experiment", "Verdict"],
                [[Cell(result.id, "text"), Cell(result.verdict, "text")]],
            )
        )
    return tables


def plain(value: Any) -> Any:
    """Figures as JSON-ready values."""
    if isinstance(value, Ratio):
        return {
            "numerator": value.numerator,
            "denominator": value.denominator,
            "value": value.value,
        }
    if isinstance(value, Period):
        return {
            "kind": value.kind,
            "first_day": value.start.isoformat(),
            "last_day": value.end.isoformat(),
            "label": value.label,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(plain(document), indent=2, ensure_ascii=False) + "\n"
