"""A date rule's bound: `today`, a date (`2020-01-31`), or a duration from today (`-P18Y`,
`+P1M`), checked when a definition loads and resolved against the day a citizen answers."""

import re
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, Field

from . import durations

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_bound(bound: str) -> str:
    """`bound` if it is one a date rule takes (a Pydantic validator; see today_bound)."""
    if bound[:1] in ("+", "-"):
        durations.parse(bound, signed=True)
    elif _ISO_DATE.fullmatch(bound):
        try:
            date.fromisoformat(bound)
        except ValueError as error:
            raise ValueError(f"{bound!r} is not a date: {error}") from None
    elif bound != "today":
        raise ValueError(
            f"{bound!r} must be `today`, a date (2020-01-31), or a duration from today "
            "(-P18Y, +P1M)"
        )
    return bound


# As models.Duration: checked by the validator, which says what is wrong; the pattern is
# for the JSON Schema only.
DateBound = Annotated[
    str,
    AfterValidator(_date_bound),
    Field(
        json_schema_extra={"pattern": rf"^(today|\d{{4}}-\d{{2}}-\d{{2}}|[+-]{durations.WHOLE})$"}
    ),
]


@lru_cache(maxsize=1024)
def today_bound(bound: str, today: date) -> date:
    """Resolve a date rule's bound (`today`, `2020-01-01`, `-P18Y`) against today."""
    if bound == "today":
        return today
    if bound[0] in "+-":
        return durations.add(today, bound)
    return date.fromisoformat(bound)
