"""Messages to applicants: templates in the definition, GOV.UK Notify's placeholders, the
load-time checks (with their lines), and compose() and contact()."""

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from porth.conftest import EXAMPLES, MINIMAL
from porth.services.definition import Definition, DefinitionError, load_file, parse, placeholders
from porth.services.definition.defaults import DEFAULTS
from porth.services.definition.templates import BUILT_IN, SMS_MAX_CHARS
from porth.services.service import MissingValue, Rendered, compose, contact

PAGES = """
- id: you
  title: {en: About you}
  fields:
    - {id: first_name, type: text, label: {en: First name}}
    - {id: nickname, type: text, label: {en: Nickname}, required: false}
    - {id: email, type: email, label: {en: Email}, required: false}
    - {id: phone, type: phone, label: {en: Phone}, required: false}
    - {id: has_partner, type: yesno, label: {en: Partner}}
    - {id: born, type: date, label: {en: Date of birth}}
    - {id: home, type: address, label: {en: Address}}
    - {id: pets, type: checkboxes, label: {en: Pets}, options: [{value: cat, label: {en: Cat, cy: Cath}}, {value: dog, label: {en: Dog, cy: Ci}}]}
    - {id: story, type: textarea, label: {en: Your story}, required: false}
"""

CONFIRMATION = """
contact: {email: email, phone: phone}
templates:
  confirmation:
    email:
      subject: {en: "Received: ((reference))", cy: "Wedi dod i law: ((reference))"}
      body:
        en: |
          Hello ((first_name)),

          We have your application to ((service_name)).

          ((has_partner??We will write to your partner too.))

          Reference: ((reference))
        cy: |
          Helo ((first_name)),

          Mae eich cais i ((service_name)) gennym.

          ((has_partner??Byddwn yn ysgrifennu at eich partner hefyd.))

          Cyfeirnod: ((reference))
    sms:
      body: {en: "Received ((reference)), ((first_name)).", cy: "Wedi dod i law ((reference)), ((first_name))."}
notify:
  - {when: submitted, template: confirmation}
"""

ANSWERS: dict[str, Any] = {
    "first_name": "Ffion",
    "email": "ffion@example.com",
    "phone": "+447700900982",
    "has_partner": True,
    "born": "1990-06-04",
    "home": {
        "line1": "1 High Street",
        "line2": "",
        "town": "Cardiff",
        "county": "",
        "postcode": "CF10 1AA",
    },
    "pets": ["cat", "dog"],
}
CASE = {
    "reference": "TS-1234-ABCD",
    "status": "submitted",
    "queue": "tests",
    "submitted_on": "2025-05-01",
    "due_on": "2025-05-15",
}


def text_of(messages: str) -> str:
    pages = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    return MINIMAL.format(slug="test-service", pages=pages) + textwrap.dedent(messages)


def define(messages: str = CONFIRMATION) -> Definition:
    return parse(text_of(messages), "test.yaml")


def problems_of(messages: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        define(messages)
    return [str(problem) for problem in caught.value.problems]


def only_problem(messages: str) -> str:
    problems = problems_of(messages)
    assert len(problems) == 1, problems
    return problems[0]


def line_of(messages: str, needle: str) -> int:
    """The line (1-based) of test.yaml on which `needle` first appears."""
    lines = text_of(messages).splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def send(
    definition: Definition,
    event: str = "submitted",
    kind: str = "email",
    language: str = "en",
    answers: dict[str, Any] | None = None,
    case: dict[str, Any] | None = None,
    **extra: Any,
) -> Rendered | None:
    return compose(
        definition,
        event,
        kind,  # type: ignore[arg-type]
        language,
        answers=ANSWERS if answers is None else answers,
        case=CASE if case is None else case,
        extra=extra,
    )


# --- the placeholders, as Notify writes them ---------------------------------------------


def test_placeholders_are_found_with_their_optional_text() -> None:
    found = list(placeholders.find("Hi ((first_name)). ((has_partner??Hello, partner.)) End"))
    assert [(p.name, p.text) for p in found] == [
        ("first_name", None),
        ("has_partner", "Hello, partner."),
    ]


def test_names_ignore_case_spaces_hyphens_and_underscores_as_notify_does() -> None:
    keys = {p.key for p in placeholders.find("(( First Name )) ((first-name)) ((FIRST_NAME))")}
    assert keys == {"firstname"}


def test_optional_text_is_everything_after_the_first_question_marks() -> None:
    (found,) = placeholders.find("((ask??Really?? Yes.))")
    assert (found.name, found.text) == ("ask", "Really?? Yes.")


def test_brackets_that_make_no_placeholder_are_plain_text() -> None:
    text = "Call (029) 2087 2087 (office hours) or see ((the form)"
    assert [p.name for p in placeholders.find(text)] == []
    assert placeholders.render(text, lambda p: "X") == text


def test_placeholders_do_not_nest() -> None:
    # As Notify: the inner one is the placeholder, the outer brackets are text.
    found = list(placeholders.find("((a??x ((b))))"))
    assert [p.name for p in found] == ["b"]


def test_an_unclosed_placeholder_is_found() -> None:
    assert placeholders.unclosed("Hello ((first_name), welcome") == 6
    assert placeholders.unclosed("Hello ((first_name") == 6
    assert placeholders.unclosed("Hello ((first_name)) (and (you))") is None
    assert placeholders.unclosed("Reference (((reference)))") is None


def test_a_value_that_looks_like_a_placeholder_is_never_read_again() -> None:
    values = {"a": "((b))", "b": "secret"}
    rendered = placeholders.render("((a)) and ((b))", lambda p: values[p.name])
    assert rendered == "((b)) and secret"


def test_optional_text_shows_for_what_notify_reads_as_yes() -> None:
    assert all(map(placeholders.shows, [True, "yes", "Y", "TRUE", "t", "1", "include", "Show"]))
    assert not any(map(placeholders.shows, [False, None, "", "no", "false", "0", "maybe", 1]))


NAMES = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters=" _-"), min_size=1
).filter(lambda name: name.strip() and "??" not in name)
TEXTS = st.text().map(lambda t: t.replace("(", "").replace(")", ""))


@given(st.text(), st.text())
def test_any_text_renders_each_placeholder_once_and_never_reads_a_value(
    text: str, value: str
) -> None:
    asked: list[str] = []

    def answer(placeholder: placeholders.Placeholder) -> str:
        asked.append(placeholder.name)
        return f"(({value}))"  # a value that is itself a placeholder

    placeholders.render(text, answer)
    assert asked == [p.name for p in placeholders.find(text)]
    placeholders.unclosed(text)
    assert placeholders.fixed_length(text) <= len(text)


@given(st.lists(st.tuples(TEXTS, NAMES, st.none() | TEXTS), max_size=5), TEXTS)
def test_placeholders_written_out_are_found_again(
    parts: list[tuple[str, str, str | None]], tail: str
) -> None:
    template = "".join(
        f"{before}(({name}))" if text is None else f"{before}(({name}??{text}))"
        for before, name, text in parts
    )
    found = list(placeholders.find(template + tail))
    assert [(p.name, p.text) for p in found] == [(name.strip(), text) for _, name, text in parts]
    assert placeholders.fixed_length(template + tail) == sum(len(b) for b, _, _ in parts) + len(
        tail
    )


# --- compose -----------------------------------------------------------------------------


def test_confirmation_is_filled_in_from_the_answers_and_the_case() -> None:
    rendered = send(define())
    assert rendered == Rendered(
        subject="Received: TS-1234-ABCD",
        body="Hello Ffion,\n\nWe have your application to Test service.\n\n"
        "We will write to your partner too.\n\nReference: TS-1234-ABCD",
    )


def test_welsh_applicants_get_the_welsh_text() -> None:
    rendered = send(define(), language="cy")
    assert rendered is not None
    assert rendered.subject == "Wedi dod i law: TS-1234-ABCD"
    assert rendered.body.startswith("Helo Ffion,\n\nMae eich cais i Gwasanaeth prawf gennym.")


def test_a_template_without_welsh_is_sent_in_english() -> None:
    definition = define(CONFIRMATION.replace(', cy: "Wedi dod i law: ((reference))"', ""))
    rendered = send(definition, language="cy")
    assert rendered is not None and rendered.subject == "Received: TS-1234-ABCD"


def test_optional_text_is_left_out_with_its_blank_lines_when_the_answer_is_no() -> None:
    rendered = send(define(), answers={**ANSWERS, "has_partner": False})
    assert rendered is not None
    assert "partner" not in rendered.body
    assert "Test service.\n\nReference: TS-1234-ABCD" in rendered.body


def test_optional_text_of_an_unanswered_question_is_left_out_not_an_error() -> None:
    answers = {k: v for k, v in ANSWERS.items() if k != "has_partner"}
    rendered = send(define(), answers=answers)
    assert rendered is not None and "partner" not in rendered.body


def test_sms_is_the_body_alone() -> None:
    assert send(define(), kind="sms") == Rendered(subject="", body="Received TS-1234-ABCD, Ffion.")


BODY = """
contact: {email: email}
templates:
  t:
    email:
      subject: {en: "S"}
      body: {en: "((body))"}
notify:
  - {when: submitted, template: t}
"""


def body_of(shown: str, answers: dict[str, Any] | None = None, language: str = "en") -> str:
    definition = define(BODY.replace("((body))", shown))
    rendered = send(definition, answers=answers, language=language)
    assert rendered is not None
    return rendered.body


def test_answers_read_as_on_the_check_your_answers_page() -> None:
    assert body_of("((born))") == "4 June 1990"
    assert body_of("((born))", language="cy") == "4 Mehefin 1990"
    assert body_of("((phone))") == "07700 900982"
    assert body_of("((pets))", language="cy") == "Cath, Ci"


def test_an_address_reads_on_one_line_and_a_long_answer_keeps_its_lines() -> None:
    assert body_of("To: ((home))") == "To: 1 High Street, Cardiff, CF10 1AA"
    assert body_of("((story))", {**ANSWERS, "story": "One.\nTwo."}) == "One.\nTwo."


def test_an_answer_that_looks_like_a_placeholder_stays_as_typed() -> None:
    answers = {**ANSWERS, "first_name": "((reference)) ((has_partner??x))"}
    assert body_of("Hi ((first_name)) ((reference))", answers) == (
        "Hi ((reference)) ((has_partner??x)) TS-1234-ABCD"
    )


def test_no_line_break_from_a_value_reaches_the_subject() -> None:
    definition = define(
        BODY.replace('subject: {en: "S"}', 'subject: {en: "Re: ((story))"}').replace(
            "((body))", "B"
        )
    )
    rendered = send(definition, answers={**ANSWERS, "story": "Line one\r\nBcc: x@example.com"})
    assert rendered is not None and rendered.subject == "Re: Line one Bcc: x@example.com"


EXPRESSIONS = """
placeholders:
  greeting: 'answers.has_partner ? "you both" : "you"'
  decide_by: case.due_on
  pet_count: size(answers.pets)
  queue_name: case.queue
  grown_up: age(answers.born) >= 18
"""


def test_placeholders_are_worked_out_from_the_answers_and_the_case() -> None:
    definition = define(
        BODY.replace(
            "((body))",
            "Hello ((greeting)). ((pet_count)) pets. By ((decide_by)). ((grown_up??Adult.))",
        )
        + EXPRESSIONS
    )
    rendered = send(definition)
    assert rendered is not None
    assert rendered.body == "Hello you both. 2 pets. By 15 May 2025. Adult."
    welsh = send(definition, language="cy")
    assert welsh is not None and "By 15 Mai 2025." in welsh.body


def test_an_unanswered_optional_question_is_a_missing_value_naming_it() -> None:
    with pytest.raises(MissingValue) as caught:
        body_of("Hello ((nickname))")
    assert caught.value.placeholder == "nickname"
    assert caught.value.message == (
        "The template ‘t’ needs ((nickname)), which this application does not have"
    )


def test_an_answer_its_question_cannot_read_is_a_missing_value_not_a_crash() -> None:
    with pytest.raises(MissingValue, match=r"needs \(\(pets\)\)"):
        body_of("((pets))", {**ANSWERS, "pets": ["hamster"]})


def test_an_expression_that_cannot_be_worked_out_is_a_missing_value() -> None:
    with pytest.raises(MissingValue, match=r"needs \(\(decide_by\)\)"):
        send(define(BODY.replace("((body))", "By ((decide_by))") + EXPRESSIONS), case={})


def test_porths_own_value_not_given_is_a_missing_value() -> None:
    definition = define(
        BODY.replace("submitted", "information_requested").replace("((body))", "((reply_link))")
    )
    with pytest.raises(MissingValue) as caught:
        send(definition, "information_requested")
    assert caught.value.message == (
        "The template ‘t’ needs ((reply_link)), which this message does not have"
    )


def test_service_name_and_reference_need_not_be_given() -> None:
    rendered = send(define(), case={"reference": "TS-9"})
    assert rendered is not None and rendered.subject == "Received: TS-9"
    rendered = send(define(), case={"reference": "TS-9"}, reference="TS-10", service_name="Other")
    assert rendered is not None and rendered.subject == "Received: TS-10"
    assert "application to Other." in rendered.body


def test_nothing_is_sent_for_an_event_or_kind_without_a_template() -> None:
    assert send(define(), "approved") is None
    email_only = define(
        CONFIRMATION.replace("{email: email, phone: phone}", "{email: email}").split("    sms:")[0]
        + "notify:\n  - {when: submitted, template: confirmation}\n"
    )
    assert send(email_only, kind="sms") is None


# --- Porth's own templates ---------------------------------------------------------------


def test_porths_own_templates_are_sent_when_the_definition_has_none() -> None:
    rendered = send(
        define(),
        "information_requested",
        message="Send us a copy of your bill.",
        reply_link="https://porth.example/reply/abc",
        reply_by=date(2025, 6, 4),
    )
    assert rendered is not None
    assert rendered.subject == "Test service: we need more information"
    assert "Send us a copy of your bill.\n\nReply using this link by 4 June 2025:\n" in (
        rendered.body
    )
    saved = send(
        define(),
        "saved_for_later",
        "sms",
        "cy",
        answers={},
        case={},
        resume_link="https://porth.example/resume/xyz",
        return_by="2025-07-01",
    )
    assert saved is not None
    assert "Parhewch erbyn 1 Gorffennaf 2025" in saved.body
    assert saved.body.endswith("https://porth.example/resume/xyz")


def test_a_definitions_template_replaces_porths_own() -> None:
    definition = define(CONFIRMATION + "  - {when: message, template: confirmation}\n")
    rendered = send(definition, "message", message="Hello")
    assert rendered is not None and rendered.subject == "Received: TS-1234-ABCD"


@pytest.mark.parametrize("event", sorted(DEFAULTS))
def test_porths_own_templates_use_only_values_their_event_has(event: str) -> None:
    template = DEFAULTS[event]
    for where, text in template.texts():
        assert placeholders.unclosed(text) is None, where
        for placeholder in placeholders.find(text):
            assert event in BUILT_IN.get(placeholder.name, ()), (where, placeholder)
    assert template.sms is not None
    assert placeholders.fixed_length(template.sms.body.en) < SMS_MAX_CHARS / 3
    assert all(text.cy for text in (template.sms.body, template.email.subject, template.email.body))  # type: ignore[union-attr]


# --- contact -----------------------------------------------------------------------------


def test_applicants_are_reached_by_email_then_by_phone() -> None:
    definition = define()
    assert contact(definition, ANSWERS) == ("email", "ffion@example.com")
    assert contact(definition, {**ANSWERS, "email": None}) == ("sms", "+447700900982")
    assert contact(definition, {"first_name": "Ffion"}) is None
    no_contact = parse(text_of(""), "test.yaml")
    assert contact(no_contact, ANSWERS) is None


# --- load-time checks, with their lines -------------------------------------------------


def test_a_placeholder_with_no_value_is_refused_with_its_line() -> None:
    messages = CONFIRMATION.replace("Hello ((first_name)),", "Hello ((fist_name)),", 1)
    problem = only_problem(messages)
    line = line_of(messages, "        en: |")
    assert problem == (
        f"test.yaml:{line}: templates.confirmation.email.body.en: ((fist_name)) has no value: "
        "it is not one of Porth's own placeholders (service_name, reference, message, "
        "reply_link, reply_by, resume_link and return_by), a question, or an entry of "
        "placeholders"
    )


def test_porths_own_placeholder_on_an_event_that_lacks_it_is_refused() -> None:
    messages = CONFIRMATION.replace("Received ((reference)),", "Reply at ((reply_link)),")
    problem = only_problem(messages)
    line = line_of(messages, "Reply at")
    assert problem == (
        f"test.yaml:{line}: templates.confirmation.sms.body.en: ((reply_link)) has no value "
        "when this template is sent on submitted: Porth gives it on information_requested only"
    )


def test_reference_is_refused_in_a_template_for_a_saved_journey() -> None:
    messages = CONFIRMATION + "  - {when: saved_for_later, template: confirmation}\n"
    problems = [p for p in problems_of(messages) if "((reference))" in p]
    assert len(problems) == 6  # subject, body and sms, in English and Welsh
    assert (
        "((reference)) has no value when this template is sent on saved_for_later" in (problems[0])
    )


def test_a_placeholder_reading_the_case_is_refused_for_a_saved_journey() -> None:
    messages = (
        BODY.replace("((body))", "By ((decide_by))").replace("submitted", "saved_for_later")
        + EXPRESSIONS
    )
    problem = only_problem(messages)
    assert problem == (
        f"test.yaml:{line_of(messages, '((decide_by))')}: templates.t.email.body.en: "
        "((decide_by)) reads the case (placeholders.decide_by), and a journey saved for later "
        "has no case yet"
    )


def test_an_answer_is_refused_in_a_template_for_a_saved_journey() -> None:
    messages = BODY.replace("submitted", "saved_for_later").replace(
        "((body))", "Hello ((first_name)). ((has_partner??Hi.)) ((resume_link))"
    )
    assert only_problem(messages).endswith(
        "templates.t.email.body.en: ((first_name)) may have no value when this template is "
        "sent on saved_for_later, as the journey is not finished: leave it out, or use an "
        "entry of placeholders that gives a value without it"
    )


def test_a_placeholder_that_could_be_two_questions_is_refused() -> None:
    messages = BODY.replace("((body))", "((first_name))")
    text = text_of(messages).replace(
        "- {id: nickname,", "- {id: firstname, type: text, label: {en: F}}\n      - {id: nickname,"
    )
    with pytest.raises(DefinitionError) as caught:
        parse(text, "test.yaml")
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.endswith(
        "((first_name)) could be question first_name or firstname (names ignore case, spaces, "
        "hyphens and underscores): rename one, or name an entry of placeholders"
    )


def test_optional_text_on_an_answer_that_is_never_yes_is_refused() -> None:
    problem = only_problem(BODY.replace("((body))", "((first_name??Hello))"))
    assert problem.endswith(
        "((first_name??…)) shows its text only when first_name is yes or true, and a text "
        "answer never is: use a yes/no question, or an entry of placeholders such as "
        "`has_first_name: has(answers.first_name)`"
    )


def test_optional_text_on_porths_own_placeholder_is_refused() -> None:
    problem = only_problem(BODY.replace("((body))", "((reference??You have a reference.))"))
    assert problem.endswith(
        "((reference??…)) shows its text only when reference is yes or true, and Porth's "
        "((reference)) never is: write the words without the placeholder"
    )


def test_an_unclosed_placeholder_is_refused() -> None:
    messages = BODY.replace("((body))", "Hello ((first_name), welcome")
    assert only_problem(messages) == (
        f"test.yaml:{line_of(messages, 'welcome')}: templates.t.email.body.en: "
        "'((first_name), welcome' begins a placeholder but does not close it: write ((name))"
    )


def test_a_placeholder_with_no_name_is_refused() -> None:
    assert only_problem(BODY.replace("((body))", "Hello (( ))")).endswith(
        "templates.t.email.body.en: (()) has no name: write ((name))"
    )


def test_a_text_message_too_long_before_its_placeholders_is_refused() -> None:
    messages = CONFIRMATION.replace("Received ((reference)),", "x" * 920)
    problem = only_problem(messages)
    assert problem == (
        f"test.yaml:{line_of(messages, 'xxxx')}: templates.confirmation.sms.body.en: is 922 "
        f"characters before its placeholders are filled in; a text message can have at most "
        f"{SMS_MAX_CHARS}"
    )


def test_notify_naming_an_unknown_template_is_refused() -> None:
    messages = CONFIRMATION + "  - {when: approved, template: approval}\n"
    assert only_problem(messages) == (
        f"test.yaml:{line_of(messages, 'approval')}: notify[1].template: there is no template "
        "'approval' (the templates: confirmation)"
    )


def test_two_templates_for_one_event_are_refused() -> None:
    messages = CONFIRMATION + "  - {when: submitted, template: confirmation}\n"
    problem = only_problem(messages)
    assert problem == (
        f"test.yaml:{line_of(messages, 'notify:') + 2}: notify[1].when: submitted has a "
        "template already (notify[0]): one template for each event"
    )


def test_a_template_without_the_kind_the_contact_needs_is_refused() -> None:
    messages = CONFIRMATION.split("    sms:")[0] + (
        "notify:\n  - {when: submitted, template: confirmation}\n"
    )
    assert only_problem(messages) == (
        f"test.yaml:{line_of(messages, 'notify:') + 1}: notify[0].template: template "
        "'confirmation' has no sms, and applicants who answer 'phone' are sent a text "
        "message (sms)"
    )


def test_sending_without_a_contact_is_refused() -> None:
    messages = CONFIRMATION.replace("contact: {email: email, phone: phone}\n", "")
    assert only_problem(messages) == (
        f"test.yaml:{line_of(messages, 'notify:')}: notify: sending messages needs `contact`: "
        "the email or phone question whose answer says where to send them"
    )


@pytest.mark.parametrize(
    ("contact_yaml", "message"),
    [
        (
            "{email: first_name}",
            "contact.email: question 'first_name' is a text question: contact.email needs an "
            "email question",
        ),
        (
            "{phone: email}",
            "contact.phone: question 'email' is a email question: contact.phone needs a "
            "phone question",
        ),
        ("{email: e_mail}", "contact.email: there is no question 'e_mail'"),
        ("{}", "contact: contact needs an email question, a phone question, or both"),
    ],
)
def test_a_contact_that_is_not_an_email_or_phone_question_is_refused(
    contact_yaml: str, message: str
) -> None:
    messages = f"contact: {contact_yaml}\n"
    assert only_problem(messages) == f"test.yaml:{line_of(messages, 'contact:')}: {message}"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("answers.first_nam", "'answers.first_nam' refers to unknown question first_nam"),
        (
            "case.decision",
            "'case.decision' refers to case.decision; a case has reference, status, queue, "
            "submitted_on and due_on",
        ),
        ("staff.name", "refers to staff; expressions can only use answers.<field id>, "),
        ("answers.first_name +", "is not a valid CEL expression"),
        ("upper(answers.first_name)", "calls unknown function upper()"),
    ],
)
def test_a_placeholder_expression_is_checked_with_its_line(expression: str, message: str) -> None:
    messages = f"placeholders:\n  greeting: '{expression}'\n"
    problem = only_problem(messages)
    assert problem.startswith(f"test.yaml:{line_of(messages, 'greeting')}: placeholders.greeting: ")
    assert message in problem


def test_a_placeholder_named_as_one_of_porths_own_is_refused() -> None:
    assert only_problem("placeholders:\n  reference: answers.first_name\n").endswith(
        "placeholders.reference: ((reference)) is one of Porth's own placeholders: choose "
        "another name"
    )


def test_pages_still_cannot_read_the_case() -> None:
    with pytest.raises(DefinitionError, match=r"refers to case; expressions can only use"):
        parse(
            MINIMAL.format(
                slug="test-service",
                pages="  - {id: a, when: 'case.status == \"x\"', fields: [{id: x, type: yesno, "
                "label: {en: X}}]}",
            ),
            "test.yaml",
        )


def test_an_unknown_event_is_refused() -> None:
    messages = CONFIRMATION.replace("when: submitted", "when: decided")
    assert "notify[0].when: must be one of 'submitted', " in only_problem(messages)


# --- the example services ----------------------------------------------------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_services_tell_applicants_what_happened(path: Path) -> None:
    definition = load_file(path)
    assert definition.contact is not None and definition.contact.email
    sent = {rule.when for rule in definition.notify}
    assert {"submitted", "approved", "rejected"} <= sent
    # Every template of every example renders in both languages, whatever each value is.
    for template in definition.templates.values():
        for where, text in template.texts():
            rendered = placeholders.render(text, lambda p: "VALUE")
            assert "((" not in rendered, (path.name, where)
        assert template.email is not None and template.sms is not None
        assert template.email.body.cy and template.sms.body.cy
