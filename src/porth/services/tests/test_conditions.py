"""Conditions in CEL: what they may read, and how they treat unanswered questions."""

from datetime import date

import pytest

from porth.services.definition import ConditionError, Scope
from porth.services.definition.conditions import age, compile_expression, referenced_fields

TODAY = date(2024, 6, 15)


def holds(expression: str, **answers: object) -> bool:
    return Scope(answers, TODAY).holds(compile_expression(expression))


def test_condition_on_an_unanswered_question_is_false() -> None:
    assert not holds("answers.missing == true")
    assert not holds("answers.missing != true")


def test_condition_that_is_not_a_boolean_is_false() -> None:
    assert not holds("answers.name", name="Dafydd")
    assert not holds("1")


def test_condition_with_a_type_error_is_false() -> None:
    assert not holds("answers.count > 'three'", count=3)


def test_or_with_an_unanswered_side_holds_when_the_other_side_does() -> None:
    assert holds("answers.missing == 1 || answers.here == 2", here=2)
    assert not holds("answers.missing == 1 && answers.here == 2", here=2)


def test_conditions_compare_dates_as_iso_strings_and_see_today() -> None:
    assert holds("answers.moved < today", moved="2024-06-14")
    assert not holds("answers.moved < today", moved="2024-06-15")


def test_age_counts_whole_years_to_today() -> None:
    assert holds("age(answers.born) == 18", born="2006-06-15")
    assert holds("age(answers.born) == 17", born="2006-06-16")
    assert age("2000-02-29", date(2024, 2, 28)) == 23
    assert age("2000-02-29", date(2024, 2, 29)) == 24


def test_age_of_something_that_is_not_a_date_is_false() -> None:
    assert not holds("age(answers.born) > 1", born="last year")


@pytest.mark.parametrize("expression", ["answers.x ===", "answers.x == (", ""])
def test_syntax_error_does_not_compile(expression: str) -> None:
    with pytest.raises(ConditionError, match="is not a valid CEL expression"):
        compile_expression(expression)


def test_expression_reading_anything_but_answers_and_today_is_refused() -> None:
    with pytest.raises(ConditionError, match="refers to env, user"):
        compile_expression("user.admin || env.DEBUG")


def test_referenced_fields_finds_dotted_and_bracketed_answers() -> None:
    expression = "answers.a == 1 && answers['b-c'] == 2 || answers[\"d\"] > answers . e"
    assert referenced_fields(expression) == {"a", "b-c", "d", "e"}
