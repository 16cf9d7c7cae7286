"""The journey engine: route, next page, validation, completeness and summary (no Django)."""

from . import prefill
from .journey import (
    Route,
    State,
    SummaryRow,
    complete,
    is_complete,
    next_page,
    previous_page,
    prune,
    reachable,
    route,
    submitted_answers,
    summary,
)
from .validation import FieldError, PageResult, validate_page

__all__ = [
    "FieldError",
    "PageResult",
    "Route",
    "State",
    "SummaryRow",
    "complete",
    "is_complete",
    "next_page",
    "prefill",
    "previous_page",
    "prune",
    "reachable",
    "route",
    "submitted_answers",
    "summary",
    "validate_page",
]
