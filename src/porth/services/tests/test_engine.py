"""The journey engine: routes, pruning, navigation, summary and page validation."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from porth.conftest import make_definition
from porth.services.definition import CHECK_ANSWERS, Definition
from porth.services.engine import (
    PageResult,
    State,
    complete,
    is_complete,
    next_page,
    previous_page,
    reachable,
    route,
    submitted_answers,
    summary,
    validate_page,
)

TODAY = date(2024, 6, 15)


def answered(definition: Definition, *pages: tuple[str, Mapping[str, Any]]) -> State:
    """The state after a citizen finishes the given pages, in order."""
    state = State()
    for page_id, values in pages:
        state = complete(definition, state, page_id, values, TODAY)
    return state


def route_ids(definition: Definition, state: State) -> list[str]:
    return route(definition, state, TODAY).ids


def eligibility() -> Definition:
    """Do you live here? No ends the journey; yes asks about benefits, then contact."""
    return make_definition(
        """
        - id: live-here
          fields: [{id: lives_here, type: yesno, label: {en: "Do you live here?"}}]
          next: [{when: "answers.lives_here == false", goto: not-eligible}]
        - id: benefits
          fields:
            - id: benefit
              type: radios
              label: {en: "Which benefit?"}
              options: [{value: pip, label: {en: PIP}}, {value: none, label: {en: None}}]
          next:
            - {when: "answers.benefit == 'pip'", goto: pip-score}
            - {goto: contact}
        - id: pip-score
          fields: [{id: score, type: number, label: {en: Your score}}]
        - id: contact
          fields: [{id: email, type: email, label: {en: Email}, required: false}]
          next: [{goto: check-answers}]
        - id: not-eligible
          kind: exit
          title: {en: You cannot use this service}
          body: {en: You must live here.}
        """
    )


# --- branching ---------------------------------------------------------------------------


def test_route_before_any_answer_follows_pages_whose_rules_do_not_match() -> None:
    definition = eligibility()
    assert route_ids(definition, State()) == ["live-here", "benefits", "contact"]


def test_next_rule_whose_condition_holds_chooses_the_next_page() -> None:
    definition = eligibility()
    state = answered(
        definition, ("live-here", {"lives_here": True}), ("benefits", {"benefit": "pip"})
    )
    assert route_ids(definition, state) == ["live-here", "benefits", "pip-score", "contact"]


def test_unconditional_next_rule_applies_when_no_earlier_rule_matches() -> None:
    definition = eligibility()
    state = answered(
        definition, ("live-here", {"lives_here": True}), ("benefits", {"benefit": "none"})
    )
    assert route_ids(definition, state) == ["live-here", "benefits", "contact"]


def test_first_matching_next_rule_wins() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: n, type: number, label: {en: N}}]
          next:
            - {when: "answers.n > 10", goto: c}
            - {when: "answers.n > 5", goto: b}
            - {when: "answers.n > 0", goto: check-answers}
        - id: b
          fields: [{id: x, type: text, label: {en: X}}]
        - id: c
          fields: [{id: y, type: text, label: {en: Y}}]
        """
    )
    assert route_ids(definition, answered(definition, ("a", {"n": 20}))) == ["a", "c"]
    assert route_ids(definition, answered(definition, ("a", {"n": 7}))) == ["a", "b", "c"]
    assert route_ids(definition, answered(definition, ("a", {"n": 1}))) == ["a"]


def test_page_whose_when_is_false_is_skipped() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: has_car, type: yesno, label: {en: "Car?"}}]
        - id: car
          when: "answers.has_car"
          fields: [{id: plate, type: text, label: {en: Plate}}]
        - id: c
          fields: [{id: name, type: text, label: {en: Name}}]
        """
    )
    assert route_ids(definition, answered(definition, ("a", {"has_car": False}))) == ["a", "c"]
    assert route_ids(definition, answered(definition, ("a", {"has_car": True}))) == [
        "a",
        "car",
        "c",
    ]


def test_page_when_reading_an_unanswered_question_counts_as_false() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: has_car, type: yesno, label: {en: "Car?"}}]
        - id: car
          when: "answers.has_car"
          fields: [{id: plate, type: text, label: {en: Plate}}]
        """
    )
    assert route_ids(definition, State()) == ["a"]
    assert next_page(definition, State(), TODAY) == "a"


def test_blank_optional_answer_is_absent_for_conditions() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: nickname, type: text, label: {en: Nickname}, required: false}]
        - id: b
          when: "!has(answers.nickname)"
          fields: [{id: reason, type: text, label: {en: "Why not?"}}]
        """
    )
    state = answered(definition, ("a", {"nickname": None}))
    assert "nickname" in state.answers
    assert route_ids(definition, state) == ["a", "b"]


# --- exits -------------------------------------------------------------------------------


def test_exit_page_ends_the_route_and_the_journey_cannot_be_completed() -> None:
    definition = eligibility()
    state = answered(definition, ("live-here", {"lives_here": False}))
    current = route(definition, state, TODAY)
    assert current.ids == ["live-here", "not-eligible"]
    assert current.exit
    assert next_page(definition, state, TODAY) == "not-eligible"
    assert not is_complete(definition, state, TODAY)
    assert not reachable(definition, state, CHECK_ANSWERS, TODAY)


def test_finishing_an_exit_page_does_not_complete_the_journey() -> None:
    definition = eligibility()
    state = answered(definition, ("live-here", {"lives_here": False}), ("not-eligible", {}))
    assert not is_complete(definition, state, TODAY)
    assert next_page(definition, state, TODAY) == CHECK_ANSWERS  # nothing left to ask…
    assert not reachable(definition, state, CHECK_ANSWERS, TODAY)  # …but no way through


def test_changing_the_answer_that_led_to_an_exit_reopens_the_journey() -> None:
    definition = eligibility()
    state = answered(definition, ("live-here", {"lives_here": False}))
    state = complete(definition, state, "live-here", {"lives_here": True}, TODAY)
    assert not route(definition, state, TODAY).exit
    assert next_page(definition, state, TODAY) == "benefits"


# --- navigation --------------------------------------------------------------------------


def test_next_page_is_the_first_unfinished_page_on_the_route() -> None:
    definition = eligibility()
    assert next_page(definition, State(), TODAY) == "live-here"
    state = answered(definition, ("live-here", {"lives_here": True}))
    assert next_page(definition, state, TODAY) == "benefits"


def test_next_page_is_check_answers_when_every_page_on_the_route_is_finished() -> None:
    definition = eligibility()
    state = answered(
        definition,
        ("live-here", {"lives_here": True}),
        ("benefits", {"benefit": "none"}),
        ("contact", {"email": None}),
    )
    assert next_page(definition, state, TODAY) == CHECK_ANSWERS
    assert is_complete(definition, state, TODAY)
    assert reachable(definition, state, CHECK_ANSWERS, TODAY)


def test_reachable_refuses_jumping_ahead_by_url() -> None:
    definition = eligibility()
    state = answered(definition, ("live-here", {"lives_here": True}))
    assert reachable(definition, state, "live-here", TODAY)  # going back
    assert reachable(definition, state, "benefits", TODAY)  # where they are
    assert not reachable(definition, state, "contact", TODAY)  # further on
    assert not reachable(definition, state, CHECK_ANSWERS, TODAY)


def test_reachable_refuses_a_page_off_the_route() -> None:
    definition = eligibility()
    state = answered(
        definition, ("live-here", {"lives_here": True}), ("benefits", {"benefit": "none"})
    )
    assert not reachable(definition, state, "pip-score", TODAY)
    assert not reachable(definition, state, "not-eligible", TODAY)
    assert not reachable(definition, state, "no-such-page", TODAY)


def test_previous_page_follows_the_route_not_the_file() -> None:
    definition = eligibility()
    state = answered(
        definition,
        ("live-here", {"lives_here": True}),
        ("benefits", {"benefit": "none"}),
        ("contact", {"email": None}),
    )
    assert previous_page(definition, state, "live-here", TODAY) is None
    assert previous_page(definition, state, "benefits", TODAY) == "live-here"
    assert previous_page(definition, state, "contact", TODAY) == "benefits"  # not pip-score
    assert previous_page(definition, state, CHECK_ANSWERS, TODAY) == "contact"


def test_previous_page_skips_a_page_whose_when_is_false() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: has_car, type: yesno, label: {en: "Car?"}}]
        - id: car
          when: "answers.has_car"
          fields: [{id: plate, type: text, label: {en: Plate}}]
        - id: c
          fields: [{id: name, type: text, label: {en: Name}}]
        """
    )
    state = answered(definition, ("a", {"has_car": False}))
    assert previous_page(definition, state, "c", TODAY) == "a"


# --- pruning -----------------------------------------------------------------------------


def test_changing_route_drops_answers_of_pages_no_longer_on_it() -> None:
    definition = eligibility()
    state = answered(
        definition,
        ("live-here", {"lives_here": True}),
        ("benefits", {"benefit": "pip"}),
        ("pip-score", {"score": 8}),
        ("contact", {"email": "a@example.com"}),
    )
    assert state.answers["score"] == 8
    state = complete(definition, state, "benefits", {"benefit": "none"}, TODAY)
    assert "score" not in state.answers
    assert "pip-score" not in state.done
    assert is_complete(definition, state, TODAY)
    assert submitted_answers(definition, state, TODAY) == {
        "lives_here": True,
        "benefit": "none",
        "email": "a@example.com",
    }


def test_going_to_an_exit_drops_every_answer_after_it() -> None:
    definition = eligibility()
    state = answered(
        definition,
        ("live-here", {"lives_here": True}),
        ("benefits", {"benefit": "none"}),
        ("contact", {"email": "a@example.com"}),
    )
    state = complete(definition, state, "live-here", {"lives_here": False}, TODAY)
    assert dict(state.answers) == {"lives_here": False}
    assert state.done == {"live-here"}


def test_pruning_repeats_when_a_dropped_answer_changes_the_route_again() -> None:
    # c is shown only when b's answer says so; b is shown only when a's does.
    definition = make_definition(
        """
        - id: a
          fields: [{id: x, type: yesno, label: {en: X}}]
        - id: b
          when: "answers.x"
          fields: [{id: y, type: yesno, label: {en: Y}}]
        - id: c
          when: "answers.y"
          fields: [{id: z, type: text, label: {en: Z}}]
        - id: d
          fields: [{id: w, type: text, label: {en: W}}]
        """
    )
    state = answered(
        definition, ("a", {"x": True}), ("b", {"y": True}), ("c", {"z": "zed"}), ("d", {"w": "w"})
    )
    state = complete(definition, state, "a", {"x": False}, TODAY)
    assert dict(state.answers) == {"x": False, "w": "w"}
    assert route_ids(definition, state) == ["a", "d"]


def test_completing_a_page_off_the_route_keeps_nothing_of_it() -> None:
    definition = eligibility()
    state = answered(
        definition, ("live-here", {"lives_here": True}), ("benefits", {"benefit": "none"})
    )
    state = complete(definition, state, "pip-score", {"score": 3}, TODAY)
    assert "score" not in state.answers
    assert "pip-score" not in state.done


def test_state_survives_a_round_trip_through_json() -> None:
    definition = eligibility()
    state = answered(
        definition, ("live-here", {"lives_here": True}), ("benefits", {"benefit": "pip"})
    )
    assert State.from_json(state.to_json()) == state


# --- summary -----------------------------------------------------------------------------


def test_summary_lists_answers_in_route_order() -> None:
    # The route jumps about the file: a → c → b.
    definition = make_definition(
        """
        - id: a
          fields: [{id: first, type: text, label: {en: First}}]
          next: [{goto: c}]
        - id: b
          fields: [{id: third, type: text, label: {en: Third}}]
          next: [{goto: check-answers}]
        - id: c
          title: {en: Second page}
          fields:
            - {id: second, type: text, label: {en: Second}}
            - {id: second_too, type: text, label: {en: Second too}}
          next: [{goto: b}]
        """
    )
    state = answered(
        definition,
        ("a", {"first": "1"}),
        ("c", {"second": "2", "second_too": "2b"}),
        ("b", {"third": "3"}),
    )
    rows = summary(definition, state, TODAY)
    assert [(row.page.id, row.question.id, row.value) for row in rows] == [
        ("a", "first", "1"),
        ("c", "second", "2"),
        ("c", "second_too", "2b"),
        ("b", "third", "3"),
    ]
    assert list(submitted_answers(definition, state, TODAY)) == [
        "first",
        "second",
        "second_too",
        "third",
    ]


def test_summary_leaves_out_pages_not_yet_finished() -> None:
    definition = eligibility()
    state = answered(definition, ("live-here", {"lives_here": True}))
    assert [row.question.id for row in summary(definition, state, TODAY)] == ["lives_here"]


# --- validation --------------------------------------------------------------------------


def validate(
    definition: Definition,
    page_id: str,
    form: Mapping[str, Any],
    state: State | None = None,
    today: date = TODAY,
) -> PageResult:
    return validate_page(definition, definition.page(page_id), form, state or State(), today)


def test_required_question_left_blank_is_refused() -> None:
    definition = make_definition("- {id: a, fields: [{id: name, type: text, label: {en: Name}}]}")
    result = validate(definition, "a", {"name": "   "})
    assert not result.ok
    [error] = result.errors
    assert (error.question.id, error.invalid.code) == ("name", "required")
    assert result.raw == {"name": ""}


def test_required_question_uses_the_definitions_own_words() -> None:
    definition = make_definition(
        """
        - id: a
          fields:
            - id: name
              type: text
              label: {en: Name}
              messages: {required: {en: Tell us your name}}
        """
    )
    [error] = validate(definition, "a", {}).errors
    assert error.invalid.message is not None and error.invalid.message.en == "Tell us your name"


def test_optional_question_left_blank_is_kept_as_none() -> None:
    definition = make_definition(
        "- {id: a, fields: [{id: name, type: text, label: {en: Name}, required: false}]}"
    )
    result = validate(definition, "a", {"name": ""})
    assert result.ok
    assert result.values == {"name": None}


def test_answers_are_parsed_to_their_type() -> None:
    definition = make_definition(
        """
        - id: a
          title: {en: About you}
          fields:
            - {id: count, type: number, label: {en: Count}}
            - {id: agree, type: yesno, label: {en: "Agree?"}}
        """
    )
    result = validate(definition, "a", {"count": "1,200", "agree": "no"})
    assert result.ok
    assert result.values == {"count": 1200, "agree": False}


def test_every_question_on_a_page_is_checked() -> None:
    definition = make_definition(
        """
        - id: a
          title: {en: About you}
          fields:
            - {id: count, type: number, label: {en: Count}}
            - {id: agree, type: yesno, label: {en: "Agree?"}}
        """
    )
    result = validate(definition, "a", {"count": "lots"})
    assert [(e.question.id, e.invalid.code) for e in result.errors] == [
        ("count", "not_number"),
        ("agree", "required"),
    ]


def test_number_outside_its_bounds_is_refused() -> None:
    definition = make_definition(
        "- {id: a, fields: [{id: n, type: number, label: {en: N}, rules: [{min: 1}, {max: 10}]}]}"
    )
    assert validate(definition, "a", {"n": "0"}).errors[0].invalid.code == "too_small"
    assert validate(definition, "a", {"n": "11"}).errors[0].invalid.code == "too_big"
    assert validate(definition, "a", {"n": "10"}).values == {"n": 10}


def test_custom_rule_sees_answers_from_earlier_pages() -> None:
    definition = make_definition(
        """
        - id: household
          fields: [{id: adults, type: number, label: {en: Adults}}]
        - id: working
          fields:
            - id: workers
              type: number
              label: {en: Adults who work}
              rules:
                - when: "answers.workers > answers.adults"
                  message: {en: More people work than live with you}
        """
    )
    state = answered(definition, ("household", {"adults": 2}))
    refused = validate(definition, "working", {"workers": "3"}, state)
    [error] = refused.errors
    assert error.invalid.code == "custom"
    assert error.invalid.message is not None
    assert error.invalid.message.en == "More people work than live with you"
    assert "workers" not in refused.values
    assert validate(definition, "working", {"workers": "2"}, state).values == {"workers": 2}


def test_custom_rule_sees_other_answers_on_the_same_page() -> None:
    definition = make_definition(
        """
        - id: a
          title: {en: Dates}
          fields:
            - {id: starts, type: number, label: {en: Start}}
            - id: ends
              type: number
              label: {en: End}
              rules: [{when: "answers.ends < answers.starts", message: {en: End after start}}]
        """
    )
    assert not validate(definition, "a", {"starts": "5", "ends": "4"}).ok
    assert validate(definition, "a", {"starts": "5", "ends": "6"}).ok


def test_custom_rule_is_not_applied_to_a_blank_optional_answer() -> None:
    definition = make_definition(
        """
        - id: a
          fields:
            - id: n
              type: number
              label: {en: N}
              required: false
              rules: [{when: "true", message: {en: Never}}]
        """
    )
    assert validate(definition, "a", {"n": ""}).ok
    assert not validate(definition, "a", {"n": "1"}).ok


def dated(rule: str) -> Definition:
    return make_definition(
        f"""
        - id: a
          fields: [{{id: day, type: date, label: {{en: Day}}, rules: [{rule}]}}]
        """
    )


def date_form(value: date) -> dict[str, str]:
    return {"day-day": str(value.day), "day-month": str(value.month), "day-year": str(value.year)}


def test_date_before_today_refuses_today_and_later() -> None:
    definition = dated("{before: today}")
    today = date(2024, 6, 15)
    [error] = validate(definition, "a", date_form(today), today=today).errors
    assert error.invalid.code == "date_before_today"
    assert not validate(definition, "a", date_form(date(2024, 6, 16)), today=today).ok
    accepted = validate(definition, "a", date_form(date(2024, 6, 14)), today=today)
    assert accepted.values == {"day": "2024-06-14"}


def test_relative_bound_counts_back_from_today() -> None:
    # At least 18 years old: born before today 18 years ago.
    definition = dated("{before: -P18Y}")
    today = date(2024, 6, 15)
    [error] = validate(definition, "a", date_form(date(2006, 6, 15)), today=today).errors
    assert error.invalid.code == "date_before"
    assert error.invalid.params["date"] == date(2006, 6, 15)
    assert validate(definition, "a", date_form(date(2006, 6, 14)), today=today).ok


def test_relative_bound_from_a_leap_day_falls_on_the_last_day_of_february() -> None:
    definition = dated("{before: -P1Y}")
    leap_day = date(2024, 2, 29)
    [error] = validate(definition, "a", date_form(date(2023, 2, 28)), today=leap_day).errors
    assert error.invalid.params["date"] == date(2023, 2, 28)
    assert validate(definition, "a", date_form(date(2023, 2, 27)), today=leap_day).ok


def test_relative_bound_forward_in_months_and_days() -> None:
    # An appointment more than a month and ten days from now.
    definition = dated("{after: +P1M10D}")
    today = date(2024, 12, 25)
    bound = date(2025, 2, 4)
    assert not validate(definition, "a", date_form(bound), today=today).ok
    assert validate(definition, "a", date_form(date(2025, 2, 5)), today=today).ok


def test_fixed_date_bound() -> None:
    definition = dated("{after: '2020-01-01'}")
    assert not validate(definition, "a", date_form(date(2020, 1, 1))).ok
    assert validate(definition, "a", date_form(date(2020, 1, 2))).ok


def test_date_conditions_compare_with_today() -> None:
    definition = make_definition(
        """
        - id: a
          fields: [{id: born, type: date, label: {en: Born}}]
        - id: adult
          when: "age(answers.born) >= 18"
          fields: [{id: job, type: text, label: {en: Job}}]
        """
    )
    state = State({"born": "2006-06-15"}, frozenset({"a"}))
    assert route(definition, state, date(2024, 6, 15)).ids == ["a", "adult"]
    assert route(definition, state, date(2024, 6, 14)).ids == ["a"]
