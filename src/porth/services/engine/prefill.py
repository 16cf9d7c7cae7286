""" "Tell us once": the query a prefilled page sends, and the answers its reply gives (no
Django; the call is made by porth.exchange through porth.submissions.prefill)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from porth.services.definition import Definition, Page, Scope
from porth.services.definition.conditions import referenced_fields
from porth.services.definition.prefill import REPLY_VARIABLES, reply_values

from .journey import State, cel_answers


def query(definition: Definition, page: Page, state: State, today: date) -> dict[str, Any]:
    """The query's fields, from the answers so far. A field whose expression fails (an
    unanswered question) is left out: the provider refuses a query it cannot answer, and
    the citizen types the answers instead."""
    assert page.prefill is not None
    read = {f for source in page.prefill.query.values() for f in referenced_fields(source)}
    scope = Scope(cel_answers(definition, state.answers, read), today)
    out: dict[str, Any] = {}
    for name, source in page.prefill.query.items():
        try:
            out[name] = scope.evaluate(definition.program(source))
        except Exception:
            continue
    return out


def answers(definition: Definition, page: Page, reply: Mapping[str, Any]) -> dict[str, Any]:
    """This page's answers from the reply (field id → value as the reply has it)."""
    assert page.prefill is not None
    programs = {
        field_id: definition.program(source, REPLY_VARIABLES)
        for field_id, source in page.prefill.answers.items()
    }
    return reply_values(programs, reply)
