"""What every registered question type refuses before parsing, present types and future ones:
input longer than it reads, control characters, and digits other than 0 to 9 where it reads
digits. (test_hostile_answers.py shows the messages through real pages.)"""

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from porth.services import questions
from porth.services.definition.models import Option, Question, Text
from porth.services.questions import Invalid

OPTIONS = [Option(value="a1", label=Text(en="A")), Option(value="b2", label=Text(en="B"))]
# A good answer for every type, as posted; a type added without one fails the test below.
GOOD: dict[str, dict[str, Any]] = {
    "text": {"q": "Jo 2"},
    "textarea": {"q": "Line 1\nLine 2"},
    "number": {"q": "1,234"},
    "decimal": {"q": "12.5"},
    "money": {"q": "£1,200.50"},
    "date": {"q-day": "27", "q-month": "3", "q-year": "1958"},
    "radios": {"q": "a1"},
    "select": {"q": "b2"},
    "checkboxes": {"q": ["a1", "b2"]},
    "yesno": {"q": "yes"},
    "email": {"q": "jo1@example.com"},
    "phone": {"q": "07700 900982"},
    "postcode": {"q": "CF10 1EP"},
    "address": {"q-line1": "12 High St", "q-town": "Cardiff", "q-postcode": "CF10 1EP"},
    "nino": {"q": "AB 12 34 56 C"},
}
OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _question(name: str) -> Question:
    options = OPTIONS if name in {"radios", "select", "checkboxes"} else []
    return Question(id="q", type=name, label=Text(en="Q"), options=options)


def _change(form: dict[str, Any], change: Any) -> dict[str, Any]:
    return {
        key: [change(v) for v in value] if isinstance(value, list) else change(value)
        for key, value in form.items()
    }


def test_every_registered_type_has_a_good_answer_here() -> None:
    assert set(questions.registered()) == set(GOOD)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_every_type_accepts_its_good_answer(name: str) -> None:
    answer = questions.get(name).accept(_question(name), GOOD[name])

    assert not isinstance(answer, Invalid), answer


@pytest.mark.parametrize("name", questions.registered())
def test_every_type_refuses_a_huge_input_at_once_whatever_it_is(name: str) -> None:
    qtype = questions.get(name)
    question = _question(name)
    for key in qtype.keys(question):
        form = {**GOOD.get(name, {}), key: "9" * 1_000_000}
        started = time.monotonic()

        assert isinstance(qtype.accept(question, form), Invalid)
        assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("name", sorted(GOOD))
@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x9b", "\v"])
def test_every_type_refuses_control_characters(name: str, control: str) -> None:
    qtype = questions.get(name)
    for key in GOOD[name]:
        form = {**GOOD[name], **_change({key: GOOD[name][key]}, lambda v: v + control + v)}

        assert isinstance(qtype.accept(_question(name), form), Invalid), key


@pytest.mark.parametrize("name", [n for n in sorted(GOOD) if questions.get(n).ascii_digits])
def test_types_that_read_digits_refuse_other_scripts_digits(name: str) -> None:
    form = _change(GOOD[name], lambda v: v.translate(OTHER_DIGITS))
    assert form != GOOD[name], "the good answer needs a digit for this test"

    assert isinstance(questions.get(name).accept(_question(name), form), Invalid)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(sorted(GOOD)), typed=st.text(st.characters(exclude_categories=["Cs"])))
def test_no_type_fails_on_any_text_in_any_input(name: str, typed: str) -> None:
    qtype = questions.get(name)
    question = _question(name)
    for key in qtype.keys(question):
        qtype.accept(question, {**GOOD[name], key: typed})
