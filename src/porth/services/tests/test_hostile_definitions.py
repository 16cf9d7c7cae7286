"""Hostile or mistaken definitions are refused at load time, with file and line, in bounded
time and memory; what is accepted cannot be made to run for long at answer time.

The tests that could exhaust memory or hang if a limit regressed run their work in a child
process with a memory limit and a timeout, so that a regression fails the test instead of
taking the machine down.
"""

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from porth.conftest import MINIMAL, make_definition
from porth.services.definition import DefinitionError, Scope, load_file, parse
from porth.services.definition.patterns import MAX_ANSWER, compile_pattern, matches

# make_definition puts the `pages:` list at this line of test.yaml.
FIRST_PAGE_LINE = 10
CHILD_MEMORY = 1024**3  # bytes of address space
CHILD_SECONDS = 30


def in_child(code: str) -> str:
    """Run `code` in a child with bounded memory and time; what it prints, or why it died."""
    preamble = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({CHILD_MEMORY}, {CHILD_MEMORY}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", preamble + textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=CHILD_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return f"still running after {CHILD_SECONDS} s"
    if done.returncode:
        return f"died ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def refusal_in_child(path: Path) -> str:
    """The loader's message for a file, loaded in a bounded child."""
    return in_child(
        f"""
        from pathlib import Path
        from porth.services.definition import DefinitionError, load_file
        try:
            load_file(Path({str(path)!r}))
        except DefinitionError as error:
            print(error)
        else:
            print("accepted")
        """
    )


def full_text(pages: str) -> str:
    return MINIMAL.format(slug="test-service", pages=textwrap.indent(pages.strip("\n"), "  "))


def simple_page() -> str:
    return "- id: a\n  fields: [{id: x, type: yesno, label: {en: X}}]\n"


def refusal(pages: str) -> str:
    with pytest.raises(DefinitionError) as caught:
        make_definition(pages)
    return str(caught.value)


# --- the file itself ---------------------------------------------------------------------


def test_yaml_bomb_is_refused_with_the_line_of_its_first_alias(tmp_path: Path) -> None:
    laughs = ['lol0: &lol0 "lol"'] + [
        f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)
    ]
    text = full_text(simple_page()) + "keywords: *lol9\n"
    path = tmp_path / "bomb.yaml"
    # Unknown top-level keys, so even without the alias check the bomb would be refused, but
    # only after expanding it.
    path.write_text("\n".join(laughs) + "\n" + text)
    message = refusal_in_child(path)
    assert message.startswith(f"{path}:2: "), message
    assert "alias" in message


def test_large_anchor_referenced_many_times_is_refused(tmp_path: Path) -> None:
    big = "x" * 900_000
    aliases = ", ".join(["*big"] * 2000)
    text = full_text(simple_page()) + f"version_note: &big {big}\nkeywords: [{aliases}]\n"
    path = tmp_path / "anchor.yaml"
    path.write_text(text)
    message = refusal_in_child(path)
    line = text.count("\n", 0, text.index("keywords:")) + 1
    assert message.startswith(f"{path}:{line}: "), message
    assert "alias" in message


def test_deep_nesting_is_refused_with_the_line_where_it_goes_too_deep() -> None:
    text = full_text(simple_page()) + "keywords: " + "[" * 50_000 + "]" * 50_000 + "\n"
    with pytest.raises(DefinitionError) as caught:
        parse(text, "deep.yaml")
    line = text.count("\n", 0, text.index("keywords:")) + 1
    assert str(caught.value).startswith(f"deep.yaml:{line}: ")
    assert "nested more than" in str(caught.value)


def test_file_that_is_not_utf8_is_refused_with_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    text = full_text(simple_page()).encode()
    line = text.count(b"\n", 0, text.index(b"Test Council")) + 1
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.replace(b"Test Council", b"Test Council \xe9"))
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:{line}: is not UTF-8 text")


def test_file_larger_than_the_limit_is_refused_without_being_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(full_text(simple_page()) + "version_note: " + "x" * 1_100_000 + "\n")
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}: is larger than 1 MB")


# --- expressions -------------------------------------------------------------------------


@pytest.mark.parametrize("function", ["agee", "__import__"])
def test_unknown_function_in_a_condition_is_refused_naming_it_and_the_known_ones(
    function: str,
) -> None:
    message = refusal(simple_page() + f"  when: {function}(answers.x) > 1\n")
    assert message.startswith(f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[0].when: ")
    assert f"unknown function {function}()" in message
    assert "age()" in message and "size()" in message and "exists()" in message


def test_comprehensions_nested_too_deeply_are_refused() -> None:
    nested = "true"
    for name in "abcde":
        nested = f"[1, 2, 3].all({name}, {nested})"
    message = refusal(simple_page() + f"  when: '{nested}'\n")
    assert message.startswith(f"test.yaml:{FIRST_PAGE_LINE + 2}: pages[0].when: ")
    assert "nests comprehensions (all, exists, map…) more than 2 deep" in message


def test_comprehensions_two_deep_over_answers_are_accepted_and_evaluated() -> None:
    definition = make_definition(
        """
        - id: a
          fields:
            - id: y
              type: checkboxes
              label: {en: Y}
              options: [{value: p, label: {en: P}}, {value: q, label: {en: Q}}]
              rules:
                - when: 'answers.y.exists(v, ["p", "q"].all(w, v != w))'
                  message: {en: Choose from the list}
        """
    )
    program = definition.program(definition.page("a").fields[0].rules[0].when or "")
    assert not Scope({"y": ["p"]}, date(2024, 1, 1)).holds(program)
    assert Scope({"y": ["p", "r"]}, date(2024, 1, 1)).holds(program)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[1].all(x, [1].map(y, y) == [1])", "calls map() inside all()"),
        ("[1].all(answers, true)", "uses answers as a comprehension's variable"),
        ("[1].map(x, x).filter(y, y > 0) == [1]", "calls map() or filter() more than 1 time"),
        ("answers.x == " + " + ".join(["1"] * 200), "String should have at most 500 characters"),
        # Each of these took from 1.5 s to over two minutes with a checkbox answer of 100.
        (
            "answers.x.map(a, answers.x + answers.x).all(v, v.all(w, w in v))",
            "adds (+) inside a comprehension",
        ),
        (
            "(answers.x + answers.x + answers.x).all(v, v in answers.x)",
            "calls all() on a list that could be long",
        ),
        (
            "answers.x.all(v, answers.x.all(w, w in answers.x && w in answers.x))",
            "reads answers inside a nested comprehension",
        ),
    ],
)
def test_expressions_that_ask_for_too_much_work_are_refused(expression: str, message: str) -> None:
    assert message in refusal(simple_page() + f"  next: [{{when: '{expression}', goto: a}}]\n")


# --- patterns ----------------------------------------------------------------------------


def test_pattern_with_a_backreference_is_refused_naming_the_problem() -> None:
    message = refusal(
        """
        - id: a
          fields:
            - id: x
              type: text
              label: {en: X}
              rules:
                - pattern: '(a)\\1'
                  message: {en: Enter it twice}
        """
    )
    assert message.startswith(f"test.yaml:{FIRST_PAGE_LINE + 6}: pages[0].fields[0].rules[0]: ")
    assert "pattern is not a regular expression Porth can match" in message


def test_pattern_that_backtracks_is_matched_in_linear_time() -> None:
    text = full_text(
        """
- id: a
  fields:
    - id: x
      type: text
      label: {en: X}
      rules:
        - pattern: '(a+)+b'
          message: {en: Enter some a then b}
"""
    )
    result = in_child(
        f"""
        from datetime import date
        from porth.services.definition import parse
        from porth.services.engine import State, validate_page
        definition = parse({text!r})
        form = {{"x": "a" * 40 + "!"}}
        result = validate_page(definition, definition.page("a"), form, State(), date(2024, 1, 1))
        print([error.invalid.code for error in result.errors])
        """
    )
    assert result.strip() == "['pattern']", result


def test_pattern_rule_does_not_match_an_answer_longer_than_the_limit() -> None:
    compiled = compile_pattern("a*")
    assert matches(compiled, "a" * MAX_ANSWER)
    assert not matches(compiled, "a" * (MAX_ANSWER + 1))


def test_a_checkboxes_question_with_too_many_options_is_refused(tmp_path: Path) -> None:
    options = "\n".join(
        f"          - {{value: o{n}, label: {{en: Option {n}, cy: Dewis {n}}}}}" for n in range(101)
    )
    pages = f"""
    - id: things
      fields:
        - id: things
          type: checkboxes
          label: {{en: Which ones, cy: Pa rai}}
          options:
{options}
    """
    with pytest.raises(DefinitionError, match="at most 100 options"):
        make_definition(pages)
