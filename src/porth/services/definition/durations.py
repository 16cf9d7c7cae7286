"""ISO 8601 durations: a case's SLA (`P10D`), a retention period (`P2Y`), a date rule's bound
from today (`-P18Y`). One parser (isodate) and one way of adding them, on the calendar: a
month from 31 January is the last day of February, a year from 29 February 2024 is
28 February 2025; years and months first, then weeks and days, as ISO 8601 reads them.

Porth takes whole years, months, weeks and days, in that order: what moves a date. isodate
reads more (hours, fractions, `P0003-06-04`), which is refused here with the reason.
Plain Python: the definition and the engine use it, and casework for due dates.
"""

import re
from datetime import date
from functools import lru_cache
from typing import Any, cast

import isodate

# The durations Porth takes. Also the pattern in the JSON Schema, for editors that check it.
WHOLE = r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?"
PATTERN = f"^{WHOLE}$"
SIGNED_PATTERN = f"^[+-]{WHOLE}$"
_WHOLE = re.compile(f"[+-]?{WHOLE}")


class DurationError(ValueError):
    """Not a duration Porth can use; the message says why, after the text in quotes."""


@lru_cache(maxsize=256)
def parse(text: str, *, signed: bool = False) -> Any:
    """The duration `text` names: a timedelta, or isodate's Duration when it has years or
    months. `signed`: it must start with + or - (a bound from today); otherwise it must not."""
    try:
        duration = isodate.parse_duration(text)
    except isodate.ISO8601Error:
        raise DurationError(
            f"{text!r} is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"
        ) from None
    if _signed(text) != signed:
        why = "must start with + or - (from today)" if signed else "must not have a sign"
        raise DurationError(f"{text!r} {why}")
    if not _WHOLE.fullmatch(text):
        raise DurationError(
            f"{text!r} must be in whole years, months, weeks or days, without hours or fractions"
        )
    return duration


def check(text: str) -> str:
    """`text`, if it is an unsigned duration Porth takes (a Pydantic validator)."""
    parse(text)
    return text


def add[When: date](start: When, text: str) -> When:
    """`start` moved by the duration `text` (signed or not); a datetime keeps its time of day
    and time zone, so add to the local time for the local calendar."""
    moved = start + parse(text, signed=_signed(text))
    return cast("When", moved)


def _signed(text: str) -> bool:
    return text[:1] in ("+", "-")
