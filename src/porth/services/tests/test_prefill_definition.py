""" "Tell us once": a page's `prefill` is checked when the definition loads."""

from datetime import date

import pytest

from porth.conftest import make_definition
from porth.services.definition import DefinitionError
from porth.services.engine import State, prefill

PAGES = """
- id: email
  fields:
    - {{id: email, type: email, label: {{en: "Email?"}}}}
- id: benefits
  title: {{en: Your benefits}}
  prefill:
    from: {{organisation: benefits-agency, service: benefits}}
    what: {{en: whether you get Pension Credit, cy: a ydych yn cael Credyd Pensiwn}}
    why: {{en: so you do not have to tell us again}}
    purpose: council-tax-reduction
    query: {query}
    answers: {answers}
  fields:
    - {{id: gets_pension_credit, type: yesno, label: {{en: "Pension Credit?"}}}}
    - {{id: full_name, type: text, label: {{en: "Name?"}}}}
"""


def _pages(
    query: str = "{email: answers.email}",
    answers: str = "{gets_pension_credit: reply.pension_credit, full_name: reply.name}",
) -> str:
    return PAGES.format(query=query, answers=answers)


def test_a_prefilled_page_loads_and_keeps_from_in_its_canonical_form() -> None:
    definition = make_definition(_pages())
    page = definition.page("benefits")
    assert page.prefill is not None
    assert page.prefill.source.organisation == "benefits-agency"
    assert page.prefill.what.get("cy") == "a ydych yn cael Credyd Pensiwn"
    dumped = definition.model_dump(mode="json")
    assert dumped["pages"][1]["prefill"]["from"]["service"] == "benefits"
    assert type(definition).model_validate(dumped).model_dump(mode="json") == dumped


def test_the_query_and_the_answers_are_worked_out_from_answers_and_reply() -> None:
    definition = make_definition(_pages())
    page = definition.page("benefits")
    state = State({"email": "jo@example.com"}, frozenset({"email"}))
    assert prefill.query(definition, page, state, date(2026, 12, 7)) == {"email": "jo@example.com"}
    got = prefill.answers(definition, page, {"pension_credit": True})
    assert got == {"gets_pension_credit": True}  # a field missing from the reply is left out


@pytest.mark.parametrize(
    ("query", "answers", "message"),
    [
        ("{email: answers.nope}", None, "unknown question nope"),
        ("{name: answers.full_name}", None, "which this page asks"),
        ("{email: 'answers.email +'}", None, "not a valid CEL"),
        (None, "{nope: reply.x}", "there is no field 'nope' on this page"),
        (None, "{full_name: answers.email}", "refers to answers"),
        (None, "{full_name: 'reply.'}", "not a valid CEL"),
    ],
)
def test_bad_prefills_are_refused_at_load(
    query: str | None, answers: str | None, message: str
) -> None:
    pages = _pages(**{k: v for k, v in {"query": query, "answers": answers}.items() if v})
    with pytest.raises(DefinitionError, match=message):
        make_definition(pages)


def test_only_question_pages_are_prefilled() -> None:
    pages = """
- id: intro
  kind: content
  title: {en: Hello}
  body: {en: Read this.}
  prefill:
    from: {organisation: a, service: b}
    what: {en: x}
    why: {en: y}
    purpose: p
    query: {a: "1"}
    answers: {x: reply.x}
- id: q
  fields:
    - {id: x, type: text, label: {en: "X?"}}
"""
    with pytest.raises(DefinitionError, match="has no fields to prefill"):
        make_definition(pages)
