"""The loader: malformed definitions are refused with file, line and path; examples load."""

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from porth.cli import schema_json
from porth.conftest import EXAMPLES, MINIMAL, make_definition
from porth.services.definition import DefinitionError, load_file, load_folder, parse

# make_definition puts the `pages:` list at this line of test.yaml.
FIRST_PAGE_LINE = 10


def problems_of(pages: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        make_definition(pages)
    return [str(problem) for problem in caught.value.problems]


def only_problem(pages: str) -> str:
    problems = problems_of(pages)
    assert len(problems) == 1, problems
    return problems[0]


def yes_no(field_id: str = "x", page_id: str = "a", extra: str = "") -> str:
    """One question page asking yes or no, with any extra page keys (indented YAML lines)."""
    page = f"""
    - id: {page_id}
      fields: [{{id: {field_id}, type: yesno, label: {{en: Question {field_id}}}}}]
    """
    lines = textwrap.dedent(page).strip("\n") + "\n"
    return (
        lines + textwrap.indent(textwrap.dedent(extra).strip("\n") + "\n", "  ") if extra else lines
    )


def full_text(pages: str, slug: str = "test-service") -> str:
    body = textwrap.indent(textwrap.dedent(pages).strip("\n"), "  ")
    return MINIMAL.format(slug=slug, pages=body)


# --- the format --------------------------------------------------------------------------


def test_wrong_field_type_names_file_line_path_and_the_choices() -> None:
    problem = only_problem(
        """
        - id: name
          fields:
            - id: full_name
              type: words
              label: {en: Your name}
        """
    )
    assert problem.startswith(
        f"test.yaml:{FIRST_PAGE_LINE + 3}: pages[0].fields[0].type: must be one of 'text', "
    )
    assert "'yesno'" in problem and "'nino'" in problem


def test_problem_in_a_later_page_points_at_that_page() -> None:
    problem = only_problem(
        yes_no("x", "a")
        + """- id: b
  fields:
    - {id: y, type: yesno, label: {en: Y}, required: maybe}
"""
    )
    assert problem.startswith(f"test.yaml:{FIRST_PAGE_LINE + 4}: pages[1].fields[0].required: ")


def test_unknown_key_is_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields: [{id: x, type: yesno, label: {en: X}, colour: red}]
        """
    )
    assert f"test.yaml:{FIRST_PAGE_LINE + 1}: pages[0].fields[0].colour: " in problem


def test_options_on_a_text_question_are_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields:
            - id: x
              type: text
              label: {en: X}
              options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
        """
    )
    assert (
        problem
        == f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[0].fields[0]: a text question has no options"
    )


def test_radios_with_one_option_are_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields:
            - id: x
              type: radios
              label: {en: X}
              options: [{value: a, label: {en: A}}]
        """
    )
    assert problem.endswith("pages[0].fields[0]: a radios question needs at least two options")


def test_repeated_option_values_are_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields:
            - id: x
              type: radios
              label: {en: X}
              options: [{value: a, label: {en: A}}, {value: a, label: {en: B}}]
        """
    )
    assert problem.endswith("option values must be unique")


def test_pattern_rule_without_a_message_is_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields:
            - id: x
              type: text
              label: {en: X}
              rules:
                - pattern: "[A-Z]{2}[0-9]+"
        """
    )
    assert problem == (
        f"test.yaml:{FIRST_PAGE_LINE + 6}: pages[0].fields[0].rules[0]: "
        "a pattern rule needs a message that tells the citizen what to do"
    )


def test_rule_that_does_not_apply_to_the_type_is_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields: [{id: x, type: text, label: {en: X}, rules: [{min: 3}]}]
        """
    )
    assert problem.endswith("pages[0].fields[0]: a min rule does not apply to a text question")


def test_rule_with_two_kinds_is_refused() -> None:
    problem = only_problem(
        """
        - id: a
          fields: [{id: x, type: number, label: {en: X}, rules: [{min: 1, max: 3}]}]
        """
    )
    assert "pages[0].fields[0].rules[0]: a rule needs exactly one of" in problem


def test_question_page_without_fields_is_refused() -> None:
    problem = only_problem("- {id: a, title: {en: A}}")
    assert problem.endswith("pages[0]: a question page needs at least one field")


def test_invalid_yaml_is_refused_with_its_line() -> None:
    text = full_text(yes_no()).replace("label: {en: Question x}", "label: {en: [Question x}")
    with pytest.raises(DefinitionError) as caught:
        parse(text, "broken.yaml")
    [problem] = caught.value.problems
    assert problem.source == "broken.yaml"
    assert problem.line == FIRST_PAGE_LINE + 1
    assert str(problem).startswith(f"broken.yaml:{FIRST_PAGE_LINE + 1}: is not valid YAML")


def test_yaml_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(DefinitionError, match="must be a YAML mapping"):
        parse("- just\n- a list\n", "list.yaml")


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_of(
        """
        - id: a
          fields: [{id: x, type: words, label: {en: X}}]
        - id: b
          fields: [{id: y, type: radios, label: {en: Y}}]
        """
    )
    assert len(problems) == 2
    assert problems[0].startswith(f"test.yaml:{FIRST_PAGE_LINE + 1}: pages[0].fields[0].type")
    assert problems[1].startswith(f"test.yaml:{FIRST_PAGE_LINE + 3}: pages[1].fields[0]:")


# --- references between the parts -------------------------------------------------------


def test_condition_on_an_unknown_question_is_a_load_time_error() -> None:
    problem = only_problem(
        yes_no(extra="next: [{when: \"answers.colour == 'red'\", goto: check-answers}]")
    )
    assert problem == (
        f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[0].next[0].when: "
        "\"answers.colour == 'red'\" refers to unknown question colour"
    )


def test_condition_on_an_unknown_question_in_brackets_is_a_load_time_error() -> None:
    problem = only_problem(yes_no() + yes_no("y", "b", "when: \"answers['nope'] == true\""))
    assert "pages[1].when: " in problem and "refers to unknown question nope" in problem


def test_custom_rule_on_an_unknown_question_is_a_load_time_error() -> None:
    problem = only_problem(
        """
        - id: a
          fields:
            - id: x
              type: number
              label: {en: X}
              rules: [{when: "answers.x > answers.y", message: {en: Too many}}]
        """
    )
    assert "pages[0].fields[0].rules[0].when: " in problem
    assert problem.endswith("refers to unknown question y")


def test_cel_syntax_error_is_a_load_time_error() -> None:
    problem = only_problem(yes_no() + yes_no("y", "b", 'when: "answers.x ==="'))
    assert problem.startswith(f"test.yaml:{FIRST_PAGE_LINE + 4}: pages[1].when: ")
    assert "is not a valid CEL expression" in problem


def test_condition_reading_anything_but_answers_is_refused() -> None:
    problem = only_problem(yes_no() + yes_no("y", "b", 'when: "request.user == 1"'))
    assert "refers to request; expressions can only use answers" in problem


def test_goto_a_missing_page_is_refused() -> None:
    problem = only_problem(yes_no(extra="next: [{goto: nowhere}]"))
    assert problem == (
        f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[0].next[0].goto: there is no page 'nowhere'"
    )


def test_loop_between_pages_is_refused() -> None:
    problem = only_problem(
        yes_no("x", "a") + yes_no("y", "b", 'next: [{when: "answers.y", goto: a}]')
    )
    assert problem.endswith("pages[0].next: the journey can go round in a loop: a → b → a")


def test_page_going_to_itself_is_a_loop() -> None:
    problem = only_problem(yes_no(extra='next: [{when: "answers.x", goto: a}]'))
    assert "the journey can go round in a loop: a → a" in problem


def test_backward_goto_without_a_loop_is_allowed() -> None:
    definition = make_definition(
        yes_no("x", "a", "next: [{goto: c}]")
        + yes_no("y", "b", "next: [{goto: check-answers}]")
        + yes_no("z", "c", "next: [{goto: b}]")
    )
    assert [page.id for page in definition.pages] == ["a", "b", "c"]


def test_loop_through_a_skipped_exit_page_is_refused() -> None:
    # A skipped exit page goes on to the following page, so c → b → c is a loop.
    problem = only_problem(
        yes_no("x", "a")
        + """- id: b
  kind: exit
  when: "answers.x == true"
  title: {en: Sorry}
  body: {en: You cannot use this service.}
"""
        + yes_no("y", "c", "next: [{goto: b}]")
    )
    assert "the journey can go round in a loop" in problem


def test_unconditional_next_rule_means_no_fall_through_loop() -> None:
    # b's last rule always matches, so b never falls through to c, which goes back to b.
    definition = make_definition(
        yes_no("x", "a")
        + yes_no("y", "b", 'next: [{when: "answers.y", goto: d}, {goto: check-answers}]')
        + yes_no("z", "c", "next: [{goto: b}]")
        + yes_no("w", "d")
    )
    assert definition.has_page("c")


def test_condition_on_a_question_asked_later_is_refused() -> None:
    # b is shown when c says yes; finishing b jumps past c, which drops c's answer, which
    # hides b again and puts c back on the route: the citizen would go c → b → c … for ever.
    problem = only_problem(
        yes_no("x", "a")
        + yes_no("z", "b", 'when: "answers.y"\nnext: [{when: "answers.z", goto: check-answers}]')
        + yes_no("y", "c")
    )
    assert "pages[1].when: 'answers.y' reads y, which is not asked before this point" in problem


def test_duplicate_page_ids_are_refused() -> None:
    problem = only_problem(yes_no("x", "a") + yes_no("y", "a"))
    assert problem == f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[1].id: page id 'a' is used twice"


def test_duplicate_field_ids_are_refused_across_pages() -> None:
    problem = only_problem(yes_no("x", "a") + yes_no("x", "b"))
    assert problem == (
        f"test.yaml:{FIRST_PAGE_LINE + 3}: pages[1].fields[0].id: field id 'x' is used twice"
    )


@pytest.mark.parametrize("page_id", ["check-answers", "confirmation", "start"])
def test_reserved_page_ids_are_refused(page_id: str) -> None:
    problem = only_problem(yes_no("x", page_id))
    assert problem.endswith(f"pages[0].id: {page_id!r} is reserved for Porth's own page")


def test_first_page_cannot_be_an_exit() -> None:
    problem = only_problem(
        """
        - id: sorry
          kind: exit
          title: {en: Sorry}
          body: {en: Nobody can use this.}
        - id: a
          fields: [{id: x, type: yesno, label: {en: X}}]
        """
    )
    assert problem.endswith("pages[0].kind: the first page cannot be an exit page")


def test_exit_page_cannot_have_next() -> None:
    problem = only_problem(
        yes_no()
        + """- id: sorry
  kind: exit
  title: {en: Sorry}
  body: {en: Nobody can use this.}
  next: [{goto: check-answers}]
"""
    )
    assert problem.endswith("an exit page ends the journey, so it has no next")


# --- the version -------------------------------------------------------------------------


def test_version_is_the_same_for_the_same_definition_reformatted() -> None:
    text = full_text(yes_no() + yes_no("y", "b", 'when: "answers.x"'))
    data = yaml.safe_load(text)
    data["pages"][0]["fields"][0]["required"] = True  # the default, said out loud
    reformatted = "# the same service, laid out differently\n" + yaml.safe_dump(
        data, default_flow_style=False, sort_keys=True, indent=4, allow_unicode=True
    )
    assert reformatted != text
    first, second = parse(text, "a.yaml"), parse(reformatted, "b.yaml")
    assert first.version == second.version
    assert len(first.version) == 16 and int(first.version, 16) >= 0


def test_version_changes_when_the_content_changes() -> None:
    text = full_text(yes_no())
    changed = text.replace("label: {en: Question x}", "label: {en: Question x again}")
    assert changed != text
    assert parse(text).version != parse(changed).version


# --- durations --------------------------------------------------------------------------


def _sla_problems(sla: str) -> list[str]:
    text = full_text(yes_no()) + f"on_submit:\n  - case: {{queue: q, sla: {sla!r}}}\n"
    with pytest.raises(DefinitionError) as caught:
        parse(text, "test.yaml")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("sla", "why"),
    [
        ("P2D1M", "is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"),  # out of order
        ("P1D1D", "is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"),
        ("10 days", "is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"),
        ("P", "is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"),
        ("PT48H", "must be in whole years, months, weeks or days, without hours or fractions"),
        ("P1.5D", "must be in whole years, months, weeks or days, without hours or fractions"),
        ("-P1D", "must not have a sign"),
    ],
)
def test_a_malformed_duration_is_refused_at_load_with_its_line(sla: str, why: str) -> None:
    line = full_text(yes_no()).count("\n") + 2
    assert _sla_problems(sla) == [f"test.yaml:{line}: on_submit[0].case.sla: {sla!r} {why}"]


@pytest.mark.parametrize(
    ("bound", "why"),
    [
        ("-P2D1Y", "is not an ISO 8601 duration (such as P10D, P6M or P1Y6M)"),
        ("P18Y", "must be `today`, a date (2020-01-31), or a duration from today (-P18Y, +P1M)"),
        ("+PT1H", "must be in whole years, months, weeks or days, without hours or fractions"),
        ("2024-02-30", "is not a date: day is out of range for month"),
    ],
)
def test_a_malformed_date_bound_is_refused_at_load_with_its_line(bound: str, why: str) -> None:
    problem = only_problem(
        f"""
        - id: a
          fields:
            - id: x
              type: date
              label: {{en: X}}
              rules:
                - before: {bound!r}
        """
    )
    assert problem == (
        f"test.yaml:{FIRST_PAGE_LINE + 6}: pages[0].fields[0].rules[0].before: {bound!r} {why}"
    )


def test_durations_in_years_months_weeks_and_days_load() -> None:
    text = (
        full_text(yes_no()) + "retention: P1Y6M2W3D\non_submit:\n  - case: {queue: q, sla: P0D}\n"
    )

    definition = parse(text, "test.yaml")

    assert definition.retention == "P1Y6M2W3D" and definition.on_submit[0].case.sla == "P0D"


# --- folders, examples and the schema ----------------------------------------------------


def test_folder_with_two_services_of_one_slug_is_refused(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(full_text(yes_no(), slug="same"))
    (tmp_path / "two.yaml").write_text(full_text(yes_no(), slug="same"))
    with pytest.raises(DefinitionError, match="'same' is used twice"):
        load_folder(tmp_path)


def test_folder_reports_problems_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(full_text(yes_no(), slug="good"))
    (tmp_path / "bad-one.yaml").write_text(full_text(yes_no(extra="next: [{goto: x}]")))
    (tmp_path / "bad-two.yaml").write_text("slug: [")
    with pytest.raises(DefinitionError) as caught:
        load_folder(tmp_path)
    sources = {Path(problem.source).name for problem in caught.value.problems}
    assert sources == {"bad-one.yaml", "bad-two.yaml"}


EXAMPLE_FILES: list[Any] = [*sorted(EXAMPLES.glob("*.yaml"))] or [
    pytest.param(None, marks=pytest.mark.skip(reason="no example services in services/"))
]


def untranslated(value: Any, path: str = "") -> list[str]:
    """Paths of every Text (a dict with `en`) that has no Welsh."""
    found = []
    if isinstance(value, dict):
        if "en" in value and not value.get("cy"):
            found.append(path or "<root>")
        for key, item in value.items():
            found += untranslated(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += untranslated(item, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: getattr(p, "stem", "none"))
def test_example_service_loads_and_is_in_welsh_too(path: Path) -> None:
    definition = load_file(path)
    assert definition.version
    assert untranslated(definition.model_dump()) == []


def test_untranslated_finds_text_without_welsh() -> None:
    data = {"name": {"en": "A", "cy": "B"}, "pages": [{"title": {"en": "C", "cy": None}}]}
    assert untranslated(data) == ["pages[0].title"]


def test_committed_json_schema_matches_the_models() -> None:
    committed = Path(settings.PROJECT_DIR) / "docs" / "service-definition.schema.json"
    message = "run `porth schema > docs/service-definition.schema.json`"
    assert committed.exists(), message
    assert committed.read_text(encoding="utf-8") == schema_json(), message
