"""Every figure on a dashboard as CSV or JSON, for a spreadsheet or another system.

CSV is "long": one figure a line (table, row, column, value), the same tables as the page,
so any figure on the page can be found in it and every file has the same columns. JSON is
the figures themselves (kpis.Figures), for a program: shares as their numerator, denominator
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

from .display import Table, raw
from .kpis import Ratio
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
