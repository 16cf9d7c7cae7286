"""Every question type through a real page: what a citizen sees when they get it right or wrong.

Each test serves a one-page service, posts what a citizen might type, and checks the page that
comes back (the GOV.UK error pattern) or the check-your-answers page it leads to.
"""

import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE = "/services/test-service/ask"
CHECK = "/services/test-service/check-answers"

OPTIONS = [
    {"value": "a", "label": {"en": "Option A", "cy": "Dewis A"}},
    {"value": "b", "label": {"en": "Option B", "cy": "Dewis B"}},
    {"value": "c", "label": {"en": "Option C", "cy": "Dewis C"}},
]
EXCLUSIVE = [*OPTIONS, {"value": "none", "label": {"en": "None of these"}, "exclusive": True}]


class _Form(HTMLParser):
    """The form controls of a page (by id) and the error summary's links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: dict[str, dict[str, Any]] = {}
        self.summary: list[tuple[str, str]] = []
        self._in_summary = False
        self._link: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "govuk-error-summary__list" in (found.get("class") or ""):
            self._in_summary = True
        elif self._in_summary and tag == "a":
            self._link = found["href"]
            self.summary.append((found["href"] or "", ""))
        if tag in {"input", "textarea", "select"} and found.get("id"):
            self.controls[found["id"] or ""] = found
            if tag == "textarea":
                self._textarea = found["id"]
                found["value"] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_summary = False
        if tag == "a":
            self._link = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            href, text = self.summary[-1]
            self.summary[-1] = (href, text + data.strip())
        if self._textarea is not None:
            self.controls[self._textarea]["value"] += data


def _serve(add: Callable[..., Any], *questions: dict[str, Any], title: str | None = None) -> None:
    fields = [
        {"label": {"en": f"Question {q['id']}", "cy": f"Cwestiwn {q['id']}"}, **q}
        for q in questions
    ]
    page: dict[str, Any] = {"id": "ask", "fields": fields}
    if title or len(fields) > 1:
        page["title"] = {"en": title or "Several questions", "cy": "Sawl cwestiwn"}
    add(yaml.safe_dump([page], allow_unicode=True, sort_keys=False))


def _ask(add: Callable[..., Any], **question: Any) -> None:
    _serve(add, {"id": "answer", **question})


def _summary_values(html: str) -> list[str]:
    flat = " ".join(html.split())
    return re.findall(r'<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>', flat)


def _assert_refused(response: Any, message: str, href: str) -> _Form:
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert re.search(r"<title[^>]*>\s*Error: ", html)
    form = _Form(html)
    assert (href, message) in form.summary
    # The message is repeated above the input itself, after a hidden "Error:".
    assert (
        message
        in " ".join(html.split()).split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[1]
    )
    return form


# --- Refused answers ----------------------------------------------------------------------

DATE = {"type": "date", "name": {"en": "your date of birth"}}
ADDRESS = {"type": "address"}
GOOD_ADDRESS = {"line1": "1 High Street", "town": "Cardiff", "postcode": "CF10 1AA"}


def _address(**parts: str) -> dict[str, str]:
    return {f"addr-{k}": v for k, v in {**GOOD_ADDRESS, **parts}.items()}


REFUSED = [
    # (question, post, message, link, the input whose typed value is kept)
    pytest.param(
        {"id": "answer", "type": "text", "name": {"en": "your full name"}},
        {"answer": "   "},
        "Enter your full name",
        "#answer",
        None,
        id="text-missing",
    ),
    pytest.param(
        {"id": "answer", "type": "textarea"},
        {"answer": ""},
        "Enter your answer",
        "#answer",
        None,
        id="textarea-missing",
    ),
    pytest.param(
        {"id": "answer", "type": "number", "name": {"en": "the number of people"}},
        {"answer": "3.5"},
        "The number of people must be a whole number",
        "#answer",
        "answer",
        id="number-not-whole",
    ),
    pytest.param(
        {"id": "answer", "type": "number", "name": {"en": "the number of people"}},
        {"answer": "three"},
        "The number of people must be a number",
        "#answer",
        "answer",
        id="number-words",
    ),
    pytest.param(
        {"id": "answer", "type": "decimal", "name": {"en": "your height"}},
        {"answer": "1.2.3"},
        "Your height must be a number",
        "#answer",
        "answer",
        id="decimal-two-points",
    ),
    pytest.param(
        {"id": "answer", "type": "money", "name": {"en": "your rent"}},
        {"answer": "12.345"},
        "Your rent must not include fractions of a penny",
        "#answer",
        "answer",
        id="money-fraction-of-penny",
    ),
    pytest.param(
        {"id": "answer", "type": "money", "name": {"en": "your rent"}},
        {"answer": "ten pounds"},
        "Your rent must be an amount of money, like 600 or 193.54",
        "#answer",
        "answer",
        id="money-words",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "31", "dob-month": "2", "dob-year": "2020"},
        "Your date of birth must be a real date",
        "#dob-day",
        "dob-day",
        id="date-31-february",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "1", "dob-month": "Smarch", "dob-year": "2020"},
        "Your date of birth must be a real date",
        "#dob-month",
        "dob-month",
        id="date-unknown-month",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "1", "dob-month": "13", "dob-year": "2020"},
        "Your date of birth must be a real date",
        "#dob-month",
        "dob-month",
        id="date-month-13",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "1", "dob-month": "2", "dob-year": "20"},
        "Year must include 4 numbers",
        "#dob-year",
        "dob-year",
        id="date-two-digit-year",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "1", "dob-month": "", "dob-year": ""},
        "Your date of birth must include a month and a year",
        "#dob-month",
        "dob-day",
        id="date-part-missing",
    ),
    pytest.param(
        {"id": "dob", **DATE},
        {"dob-day": "", "dob-month": "", "dob-year": ""},
        "Enter your date of birth",
        "#dob-day",
        None,
        id="date-missing",
    ),
    pytest.param(
        {"id": "answer", "type": "radios", "options": OPTIONS},
        {"answer": "z"},
        "Select one of the options",
        "#answer",
        None,
        id="radios-forged-value",
    ),
    pytest.param(
        {"id": "answer", "type": "radios", "options": OPTIONS},
        {},
        "Select an option",
        "#answer",
        None,
        id="radios-missing",
    ),
    pytest.param(
        {"id": "answer", "type": "checkboxes", "options": EXCLUSIVE},
        {"answer": ["a", "none"]},
        "Select ‘None of these’ on its own, or the options that apply",
        "#answer",
        None,
        id="checkboxes-exclusive-with-another",
    ),
    pytest.param(
        {"id": "answer", "type": "checkboxes", "options": OPTIONS},
        {"answer": ["a", "z"]},
        "Select one of the options",
        "#answer",
        None,
        id="checkboxes-forged-value",
    ),
    pytest.param(
        {"id": "answer", "type": "select", "options": OPTIONS},
        {"answer": "z"},
        "Select one of the options",
        "#answer",
        None,
        id="select-forged-value",
    ),
    pytest.param(
        {"id": "answer", "type": "yesno", "name": {"en": "yes if you live alone"}},
        {"answer": "maybe"},
        "Select one of the options",
        "#answer",
        None,
        id="yesno-forged-value",
    ),
    pytest.param(
        {"id": "answer", "type": "yesno", "name": {"en": "yes if you live alone"}},
        {},
        "Select yes if you live alone",
        "#answer",
        None,
        id="yesno-missing",
    ),
    pytest.param(
        {"id": "answer", "type": "email"},
        {"answer": "name@"},
        "Enter an email address in the correct format, like name@example.com",
        "#answer",
        "answer",
        id="email-no-domain",
    ),
    pytest.param(
        {"id": "answer", "type": "phone"},
        {"answer": "12345"},
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "#answer",
        "answer",
        id="phone-too-short",
    ),
    pytest.param(
        {"id": "answer", "type": "postcode"},
        {"answer": "SW1A"},
        "Enter a full UK postcode, like AA3 1AB",
        "#answer",
        "answer",
        id="postcode-half",
    ),
    pytest.param(
        {"id": "addr", **ADDRESS},
        _address(line1=""),
        "Enter address line 1, typically the building and street",
        "#addr-line1",
        "addr-town",
        id="address-no-line1",
    ),
    pytest.param(
        {"id": "addr", **ADDRESS},
        _address(town=""),
        "Enter town or city",
        "#addr-town",
        "addr-line1",
        id="address-no-town",
    ),
    pytest.param(
        {"id": "addr", **ADDRESS},
        _address(postcode="CF10"),
        "Enter a full UK postcode, like AA3 1AB",
        "#addr-postcode",
        "addr-postcode",
        id="address-bad-postcode",
    ),
    pytest.param(
        {"id": "addr", **ADDRESS},
        _address(line2="x" * 101),
        "Each line of the address must be 100 characters or fewer",
        "#addr-line2",
        "addr-line2",
        id="address-line-too-long",
    ),
    pytest.param(
        {"id": "answer", "type": "nino"},
        {"answer": "DQ123456C"},
        "Enter a National Insurance number in the correct format, like QQ 12 34 56 C",
        "#answer",
        "answer",
        id="nino-never-allocated-prefix",
    ),
    pytest.param(
        {"id": "answer", "type": "nino"},
        {"answer": "QQ123456"},
        "Enter a National Insurance number in the correct format, like QQ 12 34 56 C",
        "#answer",
        "answer",
        id="nino-no-suffix",
    ),
    pytest.param(
        # QQ is the example prefix (HMRC never allocates Q first), not a real number.
        {"id": "answer", "type": "nino"},
        {"answer": "qq123456c"},
        "Enter a National Insurance number in the correct format, like QQ 12 34 56 C",
        "#answer",
        "answer",
        id="nino-example-prefix",
    ),
]


@pytest.mark.parametrize(("question", "post", "message", "href", "kept"), REFUSED)
def test_bad_answer_reshows_page_with_error_linked_to_input(
    client: Client,
    services_dir: Callable[..., Any],
    question: dict[str, Any],
    post: dict[str, Any],
    message: str,
    href: str,
    kept: str | None,
) -> None:
    _serve(services_dir, question)

    form = _assert_refused(client.post(PAGE, post), message, href)

    assert href[1:] in form.controls, "the summary links to an input that is on the page"
    if kept:
        assert form.controls[kept]["value"] == post[kept].strip()


def test_refused_checkboxes_stay_ticked(client: Client, services_dir: Callable[..., Any]) -> None:
    _ask(services_dir, type="checkboxes", options=EXCLUSIVE)

    form = _Form(client.post(PAGE, {"answer": ["b", "none"]}).content.decode())

    ticked = {c["value"] for c in form.controls.values() if "checked" in c}
    assert ticked == {"b", "none"}


def test_refused_answer_is_not_saved(client: Client, services_dir: Callable[..., Any]) -> None:
    _ask(services_dir, type="email")

    client.post(PAGE, {"answer": "nope"})

    assert client.get(CHECK).headers["Location"] == PAGE


def test_definitions_own_invalid_message_replaces_the_standard_one(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="nino", messages={"invalid": {"en": "Check your NI number"}})

    _assert_refused(client.post(PAGE, {"answer": "nonsense"}), "Check your NI number", "#answer")


# --- Accepted answers ---------------------------------------------------------------------

ACCEPTED = [
    # (question, post, what check-your-answers shows)
    pytest.param({"type": "text"}, {"answer": "  Jo Bloggs  "}, "Jo Bloggs", id="text-trimmed"),
    pytest.param(
        {"type": "textarea"},
        {"answer": "line one\r\nline two"},
        "line one<br>line two",
        id="textarea-keeps-lines",
    ),
    pytest.param({"type": "number"}, {"answer": "1,234"}, "1,234", id="number-commas"),
    pytest.param({"type": "number"}, {"answer": "-3"}, "-3", id="number-negative"),
    pytest.param({"type": "decimal"}, {"answer": "2.50"}, "2.50", id="decimal"),
    pytest.param({"type": "decimal"}, {"answer": "3.0"}, "3", id="decimal-whole"),
    pytest.param({"type": "money"}, {"answer": "£1,234.5"}, "£1,234.50", id="money-pound-sign"),
    pytest.param({"type": "money"}, {"answer": "600"}, "£600.00", id="money-whole-pounds"),
    pytest.param(
        {"id": "dob", "type": "date"},
        {"dob-day": "29", "dob-month": "2", "dob-year": "2020"},
        "29 February 2020",
        id="date-leap-day",
    ),
    pytest.param(
        {"id": "dob", "type": "date"},
        {"dob-day": "01", "dob-month": "Feb", "dob-year": "2021"},
        "1 February 2021",
        id="date-month-name",
    ),
    pytest.param(
        {"id": "dob", "type": "date"},
        {"dob-day": "5", "dob-month": "Chwefror", "dob-year": "2021"},
        "5 February 2021",
        id="date-welsh-month-name",
    ),
    pytest.param({"type": "radios", "options": OPTIONS}, {"answer": "b"}, "Option B", id="radios"),
    pytest.param(
        {"type": "checkboxes", "options": EXCLUSIVE},
        {"answer": ["c", "a"]},
        "Option A<br>Option C",
        id="checkboxes-in-page-order",
    ),
    pytest.param(
        {"type": "checkboxes", "options": EXCLUSIVE},
        {"answer": ["none"]},
        "None of these",
        id="checkboxes-exclusive-alone",
    ),
    pytest.param({"type": "select", "options": OPTIONS}, {"answer": "c"}, "Option C", id="select"),
    pytest.param({"type": "yesno"}, {"answer": "yes"}, "Yes", id="yesno-yes"),
    pytest.param({"type": "yesno"}, {"answer": "no"}, "No", id="yesno-no"),
    pytest.param(
        {"type": "email"}, {"answer": " jo@Example.COM "}, "jo@example.com", id="email-domain"
    ),
    pytest.param({"type": "phone"}, {"answer": "07911 123456"}, "07911 123456", id="phone-mobile"),
    pytest.param(
        {"type": "phone"}, {"answer": "+447911123456"}, "07911 123456", id="phone-plus-44-national"
    ),
    pytest.param(
        {"type": "phone"}, {"answer": "(020) 7946-0000"}, "020 7946 0000", id="phone-punctuated"
    ),
    pytest.param({"type": "phone"}, {"answer": "01534 123456"}, "01534 123456", id="phone-jersey"),
    pytest.param(
        {"type": "phone"}, {"answer": "07624 123456"}, "07624 123456", id="phone-isle-of-man"
    ),
    pytest.param(
        {"type": "phone"},
        {"answer": "+33 1 42 68 53 00"},
        "+33 1 42 68 53 00",
        id="phone-abroad-international",
    ),
    pytest.param({"type": "postcode"}, {"answer": "sw1a1aa"}, "SW1A 1AA", id="postcode"),
    pytest.param(
        {"id": "addr", "type": "address"},
        _address(postcode="cf101aa", county=""),
        "1 High Street<br>Cardiff<br>CF10 1AA",
        id="address",
    ),
    pytest.param({"type": "nino"}, {"answer": "ab123456c"}, "AB 12 34 56 C", id="nino"),
    pytest.param({"type": "nino"}, {"answer": "AB 12 34 56 C"}, "AB 12 34 56 C", id="nino-spaced"),
]


@pytest.mark.parametrize(("question", "post", "shown"), ACCEPTED)
def test_good_answer_moves_on_and_is_shown_normalised(
    client: Client,
    services_dir: Callable[..., Any],
    question: dict[str, Any],
    post: dict[str, Any],
    shown: str,
) -> None:
    _serve(services_dir, {"id": "answer", **question})

    response = client.post(PAGE, post)

    assert response.status_code == 303
    assert response.headers["Location"] == CHECK
    assert _summary_values(client.get(CHECK).content.decode()) == [shown]


def test_optional_question_left_blank_shows_not_given(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="phone", required=False)

    assert client.post(PAGE, {"answer": ""}).status_code == 303

    assert _summary_values(client.get(CHECK).content.decode()) == ["Not given"]


def test_coming_back_to_a_page_fills_in_the_kept_answer(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, id="dob", type="date")
    client.post(PAGE, {"dob-day": "3", "dob-month": "mar", "dob-year": "2001"})

    form = _Form(client.get(PAGE).content.decode())

    assert [form.controls[f"dob-{p}"]["value"] for p in ("day", "month", "year")] == [
        "3",
        "3",
        "2001",
    ]


# --- Rules --------------------------------------------------------------------------------

RULES = [
    # (question, post, message)
    pytest.param(
        {"type": "text", "name": {"en": "your name"}, "rules": [{"min_length": 3}]},
        {"answer": "Jo"},
        "Your name must be 3 characters or more",
        id="min-length",
    ),
    pytest.param(
        {"type": "textarea", "name": {"en": "your reason"}, "rules": [{"max_length": 10}]},
        {"answer": "x" * 11},
        "Your reason must be 10 characters or fewer",
        id="max-length",
    ),
    pytest.param(
        {"type": "checkboxes", "options": OPTIONS, "rules": [{"min_length": 2}]},
        {"answer": ["a"]},
        "Select at least 2 options",
        id="checkboxes-too-few",
    ),
    pytest.param(
        {"type": "checkboxes", "options": OPTIONS, "rules": [{"max_length": 2}]},
        {"answer": ["a", "b", "c"]},
        "Select no more than 2 options",
        id="checkboxes-too-many",
    ),
    pytest.param(
        {"type": "number", "name": {"en": "the number of people"}, "rules": [{"min": 1}]},
        {"answer": "0"},
        "The number of people must be 1 or more",
        id="min",
    ),
    pytest.param(
        {"type": "number", "name": {"en": "the number of people"}, "rules": [{"max": 1000}]},
        {"answer": "1001"},
        "The number of people must be 1,000 or less",
        id="max",
    ),
    pytest.param(
        {"type": "money", "name": {"en": "your rent"}, "rules": [{"min": 5}]},
        {"answer": "4.99"},
        "Your rent must be £5.00 or more",
        id="money-min-in-pounds",
    ),
    pytest.param(
        {
            "type": "text",
            "rules": [
                {"pattern": r"[A-Z]{2}\d{4}", "message": {"en": "Enter a number like AB1234"}}
            ],
        },
        {"answer": "AB12345"},
        "Enter a number like AB1234",
        id="pattern-whole-answer",
    ),
    pytest.param(
        {"type": "date", "name": {"en": "your date of birth"}, "rules": [{"before": "today"}]},
        {"answer-day": "10", "answer-month": "6", "answer-year": "2025"},
        "Your date of birth must be in the past",
        id="before-today-refuses-today",
    ),
    pytest.param(
        {"type": "date", "name": {"en": "the start date"}, "rules": [{"after": "today"}]},
        {"answer-day": "1", "answer-month": "1", "answer-year": "2025"},
        "The start date must be in the future",
        id="after-today",
    ),
    pytest.param(
        {"type": "date", "name": {"en": "the start date"}, "rules": [{"after": "2020-01-01"}]},
        {"answer-day": "1", "answer-month": "1", "answer-year": "2020"},
        "The start date must be after 1 January 2020",
        id="after-date",
    ),
    pytest.param(
        {
            "type": "date",
            "rules": [{"before": "-P18Y", "message": {"en": "You must be 18 or over"}}],
        },
        {"answer-day": "11", "answer-month": "6", "answer-year": "2007"},
        "You must be 18 or over",
        id="before-duration-own-message",
    ),
]


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    fixed = date(2025, 6, 10)
    monkeypatch.setattr("porth.submissions.views._today", lambda: fixed)
    return fixed


@pytest.mark.parametrize(("question", "post", "message"), RULES)
def test_rule_refuses_answer_with_its_message(
    client: Client,
    services_dir: Callable[..., Any],
    today: date,
    question: dict[str, Any],
    post: dict[str, Any],
    message: str,
) -> None:
    _ask(services_dir, **question)

    href = "#answer-day" if question["type"] == "date" else "#answer"
    _assert_refused(client.post(PAGE, post), message, href)


@pytest.mark.parametrize(
    ("question", "post"),
    [
        pytest.param({"type": "text", "rules": [{"min_length": 3}]}, {"answer": "Joe"}, id="len"),
        pytest.param({"type": "number", "rules": [{"max": 10}]}, {"answer": "10"}, id="max"),
        pytest.param(
            {"type": "date", "rules": [{"before": "-P18Y", "message": {"en": "18 or over"}}]},
            {"answer-day": "9", "answer-month": "6", "answer-year": "2007"},
            id="eighteen-yesterday",
        ),
        pytest.param(
            {"type": "text", "rules": [{"pattern": "[a-z]+", "message": {"en": "letters"}}]},
            {"answer": "abc"},
            id="pattern",
        ),
    ],
)
def test_answer_within_the_rules_is_accepted(
    client: Client,
    services_dir: Callable[..., Any],
    today: date,
    question: dict[str, Any],
    post: dict[str, Any],
) -> None:
    _ask(services_dir, **question)

    assert client.post(PAGE, post).status_code == 303


def test_custom_rule_compares_answers_on_the_page(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _serve(
        services_dir,
        {"id": "adults", "type": "number"},
        {
            "id": "children",
            "type": "number",
            "rules": [
                {
                    "when": "answers.children > answers.adults * 4",
                    "message": {"en": "Check the number of children"},
                }
            ],
        },
    )

    form = _assert_refused(
        client.post(PAGE, {"adults": "1", "children": "5"}),
        "Check the number of children",
        "#children",
    )
    assert form.controls["children"]["value"] == "5"
    assert client.post(PAGE, {"adults": "2", "children": "5"}).status_code == 303


def test_every_refused_question_on_a_page_is_listed(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _serve(services_dir, {"id": "email", "type": "email"}, {"id": "phone", "type": "phone"})

    form = _Form(client.post(PAGE, {"email": "x", "phone": "y"}).content.decode())

    assert [href for href, _ in form.summary] == ["#email", "#phone"]


# --- Welsh --------------------------------------------------------------------------------


def test_welsh_page_is_marked_welsh_and_uses_welsh_words(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="text")

    html = client.get(PAGE + "?lang=cy").content.decode()

    assert re.search(r'<html[^>]* lang="cy"', html)
    assert "Cwestiwn answer" in html


def test_welsh_choice_is_remembered_on_the_next_page(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    _ask(services_dir, type="yesno")
    client.get(PAGE + "?lang=cy")

    client.post(PAGE, {"answer": "yes"})
    html = client.get(CHECK).content.decode()

    assert re.search(r'<html[^>]* lang="cy"', html)
    assert _summary_values(html) == ["Ydw"]


def test_welsh_messages_join_i_with_the_article_or_possessive_after_it() -> None:
    from porth.services.questions.messages import _welsh

    assert _welsh("Rhaid i eich ateb fod yn rhif") == "Rhaid i'ch ateb fod yn rhif"
    assert (
        _welsh("Rhaid i y dyddiad fod yn y gorffennol") == "Rhaid i'r dyddiad fod yn y gorffennol"
    )
    assert _welsh("Rhaid i yr oed fod yn 18") == "Rhaid i'r oed fod yn 18"
    assert _welsh("Rhaid i ei enw") == "Rhaid i'w enw"
    # Only "i" on its own, before the whole word: nothing else changes.
    assert _welsh("Rhaid i ysgol fod ar agor; hi eich") == "Rhaid i ysgol fod ar agor; hi eich"
