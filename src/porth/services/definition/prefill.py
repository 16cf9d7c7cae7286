""" "Tell us once": a page prefilled, with the citizen's consent, from another organisation's
exchange service (docs/prefill.md).

The definition says what to ask for and why (in words the citizen reads before anything is
fetched), which purpose the call is made for (an exchange grant names it), how to build the
query from earlier answers and how the reply's fields become this page's answers. Both
mappings are CEL, compiled once when the definition loads. No Django here: the exchange call
itself is made by porth.exchange through a hook (porth.submissions.prefill).
"""

from collections.abc import Mapping
from typing import Any

import cel
from pydantic import ConfigDict, Field

from .base import Expression, FieldId, Model, Slug, Text
from .conditions import ConditionError, compile_expression

# What a prefill's `answers` expressions read: the exchange service's reply.
REPLY_VARIABLES = frozenset({"reply"})


class PrefillSource(Model):
    organisation: Slug = Field(description="The providing organisation (an exchange partner).")
    service: Slug = Field(description="Its exchange service's slug.")


class Prefill(Model):
    """A page's answers fetched from an exchange service, once the citizen agrees."""

    # `from` in YAML (a Python keyword, so `source` here); stored and read back as `from`.
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, serialize_by_alias=True
    )

    source: PrefillSource = Field(alias="from", description="The exchange service to ask.")
    what: Text = Field(
        description="What we ask for, in plain words: 'whether you get Pension Credit'."
    )
    why: Text = Field(description="Why: 'so you do not have to tell us again'.")
    purpose: Slug = Field(description="The purpose the call is made for: a grant must name it.")
    query: dict[str, Expression] = Field(
        min_length=1,
        description="The query's fields: CEL over `answers` (earlier pages' answers).",
    )
    answers: dict[FieldId, Expression] = Field(
        min_length=1,
        description="This page's fields: CEL over `reply` (the service's answer), e.g. "
        "`reply.pension_credit`.",
    )


def compile_reply(source: str) -> "cel.Program":
    """An `answers` expression, which reads only `reply`."""
    try:
        return compile_expression(source, REPLY_VARIABLES)
    except ConditionError as error:
        raise ConditionError(str(error).replace("answers.<field id>", "reply.<field>")) from None


def reply_values(programs: Mapping[str, "cel.Program"], reply: Mapping[str, Any]) -> dict[str, Any]:
    """The page's answers from a reply: fields whose expression fails (a reply without
    that field) are left out, for the citizen to answer."""
    context = cel.Context({"reply": dict(reply)})
    out: dict[str, Any] = {}
    for field_id, program in programs.items():
        try:
            value = program.execute(context)
        except Exception:
            continue
        if value is not None:
            out[field_id] = value
    return out
