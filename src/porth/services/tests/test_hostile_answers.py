"""Answers no honest citizen types, through a real page: each is refused with a message, quickly,
and never reaches a parser that could fail on it (issue 17: hostile citizen input)."""

import time
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE = "/services/test-service/ask"
CHECK = "/services/test-service/check-answers"
OPTIONS = [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]


def _ask(add: Callable[..., Any], **question: Any) -> None:
    page = {"id": "ask", "fields": [{"id": "answer", "label": {"en": "Question"}, **question}]}
    add(yaml.safe_dump([page], allow_unicode=True))


def _errors(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    html = " ".join(response.content.decode().split())
    assert "govuk-error-summary" in html
    return html


def _date(day: str = "1", month: str = "2", year: str = "1990") -> dict[str, str]:
    return {"answer-day": day, "answer-month": month, "answer-year": year}


# --- Length: bounded before parsing -----------------------------------------------------


def test_a_whole_number_of_thousands_of_digits_is_refused_as_too_long(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="number", name={"en": "the number of people"})

    html = _errors(client.post(PAGE, {"answer": "1" * 4301}))

    assert "The number of people must be 25 characters or fewer" in html


def test_a_million_digit_decimal_is_refused_at_once(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="decimal", name={"en": "your height"})
    started = time.monotonic()

    html = _errors(client.post(PAGE, {"answer": "1" * 1_000_000}))

    assert "Your height must be 25 characters or fewer" in html
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("question", "post", "message"),
    [
        pytest.param(
            {"type": "money"}, {"answer": "9" * 5000}, "25 characters or fewer", id="money"
        ),
        pytest.param(
            {"type": "text"}, {"answer": "x" * 1001}, "1000 characters or fewer", id="text"
        ),
        pytest.param(
            {"type": "textarea"},
            {"answer": "x\n" * 5001},
            "10000 characters or fewer",
            id="textarea",
        ),
        pytest.param(
            {"type": "date"}, _date(month="1" * 5000), "must be a real date", id="date-month"
        ),
        pytest.param(
            {"type": "date"}, _date(day="0" * 4301 + "1"), "must be a real date", id="date-day"
        ),
        pytest.param(
            {"type": "radios", "options": OPTIONS},
            {"answer": "a" * 101},
            "Select one of the options",
            id="radios",
        ),
        pytest.param(
            {"type": "phone"}, {"answer": "0" * 5000}, "Enter a telephone number", id="phone"
        ),
    ],
)
def test_an_answer_longer_than_its_type_reads_is_refused(
    client: Client,
    services_dir: Callable[..., Any],
    question: dict[str, Any],
    post: dict[str, str],
    message: str,
) -> None:
    _ask(services_dir, **question)

    assert message in _errors(client.post(PAGE, post))


def test_a_max_length_rule_longer_than_the_default_is_honoured(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="text", rules=[{"max_length": 2000}])

    response = client.post(PAGE, {"answer": "x" * 1500})

    assert response.status_code == 303


def test_the_length_message_is_in_welsh_on_a_welsh_page(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="number", name={"en": "the number", "cy": "y rhif"})

    html = _errors(client.post(f"{PAGE}?lang=cy", {"answer": "1" * 4301}))

    assert "Rhaid i&#39;r rhif fod yn 25 nod neu lai" in html  # i'r, escaped


# --- Digits: 0 to 9 only ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "post", "message"),
    [
        pytest.param(
            {"type": "date"}, _date(month="²"), "must be a real date", id="superscript-month"
        ),
        pytest.param({"type": "date"}, _date(day="²"), "must be a real date", id="superscript-day"),
        pytest.param(
            {"type": "date"}, _date(year="٢٠٢٠"), "Year must include 4 numbers", id="arabic-year"
        ),
        pytest.param(
            {"type": "date"},
            _date(year="２０２０"),
            "Year must include 4 numbers",
            id="fullwidth-year",
        ),
        pytest.param({"type": "number"}, {"answer": "٣"}, "must be a number", id="arabic-number"),
        pytest.param({"type": "decimal"}, {"answer": "1.٥"}, "must be a number", id="decimal"),
        pytest.param({"type": "money"}, {"answer": "£١٠"}, "amount of money", id="money"),
        pytest.param(
            {"type": "nino"}, {"answer": "AB١٢٣٤٥٦C"}, "National Insurance number", id="nino"
        ),
        pytest.param(
            {"type": "phone"}, {"answer": "٠٧٧٠٠٩٠٠٩٨٢"}, "Enter a telephone number", id="phone"
        ),
    ],
)
def test_digits_other_than_0_to_9_are_refused(
    client: Client,
    services_dir: Callable[..., Any],
    question: dict[str, Any],
    post: dict[str, str],
    message: str,
) -> None:
    _ask(services_dir, **question)

    assert message in _errors(client.post(PAGE, post))


def test_other_scripts_digits_are_kept_in_free_text(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="text")

    client.post(PAGE, {"answer": "Flat ² – ٣"})

    assert "Flat ² – ٣" in client.get(CHECK).content.decode()


# --- Control characters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["Jo\x01Bloggs", "Jo\x1b[31mBloggs", "Jo\tBloggs", "Jo\x85Bloggs"]
)
def test_control_characters_in_a_one_line_answer_are_refused(
    client: Client, services_dir: Callable[..., Any], typed: str
) -> None:
    _ask(services_dir, type="text", name={"en": "your name"})

    html = _errors(client.post(PAGE, {"answer": typed}))

    assert "Your name must not include hidden characters" in html


def test_control_characters_are_refused_in_welsh_too(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="text", name={"en": "your name", "cy": "eich enw"})

    html = _errors(client.post(f"{PAGE}?lang=cy", {"answer": "Jo\x07"}))

    assert "Rhaid i&#39;ch enw beidio â chynnwys nodau cudd" in html  # i'ch, escaped


def test_a_textarea_keeps_tabs_and_line_breaks_but_refuses_other_control_characters(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="textarea")

    refused = client.post(PAGE, {"answer": "one\x0ctwo"})
    accepted = client.post(PAGE, {"answer": "one\ttwo\r\nthree"})

    assert "must not include hidden characters" in _errors(refused)
    assert accepted.status_code == 303
