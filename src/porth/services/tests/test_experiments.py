"""Experiments in a definition: checked as they load, and journeys split between the
variants as the split says, always the same way for the same journey."""

import secrets
import textwrap
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from porth.conftest import MINIMAL
from porth.services import experiments
from porth.services.definition import Definition, DefinitionError, parse
from porth.services.service import new_journey_id, variant_page

PAGES = """
- id: name
  title: {en: Your name, cy: Eich enw}
  fields:
    - {id: full_name, type: text, label: {en: Full name, cy: Enw llawn}, hint: {en: As written}}
    - {id: known_as, type: text, label: {en: Known as, cy: Enw arall}, required: false}
- id: about
  kind: content
  title: {en: About you, cy: Amdanoch chi}
  body: {en: Tell us about you., cy: Dywedwch wrthym amdanoch chi.}
"""
KEY = b"k" * 32
TODAY = date(2026, 11, 2)


def with_experiments(experiments_yaml: str) -> str:
    pages = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    return MINIMAL.format(slug="test-service", pages=pages) + textwrap.dedent(experiments_yaml)


def load(experiments_yaml: str) -> Definition:
    return parse(with_experiments(experiments_yaml), "test.yaml")


def problems(experiments_yaml: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load(experiments_yaml)
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


SHORTER = """
experiments:
  - id: shorter-name
    page: name
    split: 30
    b:
      title: {en: "What is your name?", cy: "Beth yw eich enw?"}
      fields:
        full_name:
          label: {en: Your full name, cy: Eich enw llawn}
          hint: {en: As on your passport, cy: Fel ar eich pasbort}
"""


def test_an_experiment_loads_with_its_wording() -> None:
    definition = load(SHORTER)

    [experiment] = definition.experiments
    assert (experiment.id, experiment.page, experiment.split) == ("shorter-name", "name", 30)
    assert experiment.b.fields["full_name"].label is not None
    assert not definition.warnings


def test_unknown_page_is_named_with_its_line() -> None:
    text = """
    experiments:
      - {id: t, page: your-name, split: 50, b: {title: {en: T, cy: T}}}
    """
    [problem] = problems(text)
    line = line_of(with_experiments(text), "your-name")
    assert problem == f"test.yaml:{line}: experiments[0].page: there is no page 'your-name'"


def test_unknown_field_of_the_page_is_named() -> None:
    text = """
    experiments:
      - id: t
        page: about
        split: 50
        b:
          fields:
            full_name: {label: {en: Name, cy: Enw}}
    """
    [problem] = problems(text)
    line = line_of(with_experiments(text), "full_name: {label")
    assert problem == (
        f"test.yaml:{line}: experiments[0].b.fields.full_name: page 'about' has no field 'full_name'"
    )


@pytest.mark.parametrize(
    ("wording", "named"),
    [
        ("{fields: {full_name: {required: false}}}", "`required` is not wording"),
        ("{fields: {full_name: {type: textarea}}}", "`type` is not wording"),
        ("{next: [{goto: about}]}", "`next` is not wording"),
        ("{kind: exit}", "`kind` is not wording"),
    ],
)
def test_only_wording_can_change(wording: str, named: str) -> None:
    [problem] = problems(f"experiments: [{{id: t, page: name, split: 50, b: {wording}}}]")
    assert named in problem and "variant b can change only" in problem


@pytest.mark.parametrize("split", [0, 100, -5])
def test_split_is_a_percentage_from_1_to_99(split: int) -> None:
    [problem] = problems(
        f"experiments: [{{id: t, page: name, split: {split}, b: {{title: {{en: T}}}}}}]"
    )
    assert problem.endswith(
        f"experiments[0].split: is {split}: give the percentage of journeys shown "
        "variant b, from 1 to 99"
    )


def test_experiment_ids_are_unique() -> None:
    text = """
    experiments:
      - {id: t, page: name, split: 50, ends: 2020-01-31, b: {title: {en: A, cy: A}}}
      - {id: t, page: about, split: 50, b: {title: {en: B, cy: B}}}
    """
    line = line_of(with_experiments(text), "page: about")
    assert problems(text) == [
        f"test.yaml:{line}: experiments[1].id: experiment id 't' is used twice"
    ]


def test_one_running_experiment_per_page() -> None:
    found = problems(
        """
        experiments:
          - {id: one, page: name, split: 50, b: {title: {en: A, cy: A}}}
          - {id: two, page: name, split: 50, b: {title: {en: B, cy: B}}}
        """
    )
    assert len(found) == 1 and "experiments[1].page: page 'name' is already tested by" in found[0]


def test_an_ended_experiment_may_stay_beside_a_new_one_on_its_page() -> None:
    ended = (date.today() - timedelta(days=1)).isoformat()
    definition = load(
        f"""
        experiments:
          - {{id: one, page: name, split: 50, ends: {ended}, b: {{title: {{en: A, cy: A}}}}}}
          - {{id: two, page: name, split: 50, b: {{title: {{en: B, cy: B}}}}}}
        """
    )
    assert experiments.running(definition, "name", date.today()).id == "two"  # type: ignore[union-attr]


def test_variant_b_that_changes_nothing_is_refused() -> None:
    [problem] = problems("experiments: [{id: t, page: name, split: 50, b: {}}]")
    assert problem.endswith(
        "experiments[0].b: variant b changes nothing: give the words that differ"
    )


def test_missing_welsh_is_a_warning_with_its_line() -> None:
    text = """
    experiments:
      - id: t
        page: name
        split: 50
        b:
          title: {en: "What is your name?"}
    """
    definition = load(text)
    line = line_of(with_experiments(text), "What is your name?")
    assert [str(w) for w in definition.warnings] == [
        f"test.yaml:{line}: experiments[0].b.title: has no Welsh (cy): Welsh journeys see variant a"
    ]


# --- the pages the variants show ----------------------------------------------------------


def test_variant_b_has_the_new_words_and_everything_else_as_it_is() -> None:
    definition = load(SHORTER)
    page = definition.page("name")
    b = experiments.variant_b(definition, definition.experiments[0])

    assert b.variant == "shorter-name:b" and page.variant == ""
    assert b.heading("en") == "What is your name?"
    full_name, known_as = b.fields
    assert full_name.label.en == "Your full name" and full_name.hint.en == "As on your passport"  # type: ignore[union-attr]
    assert (full_name.type, full_name.required, full_name.id) == ("text", True, "full_name")
    assert known_as is page.fields[1]
    assert page.heading("en") == "Your name"  # the definition's page is left as it was
    assert experiments.variant_b(definition, definition.experiments[0]) is b  # made once


def _journey_in(definition: Definition, arm: str) -> str:
    experiment = definition.experiments[0]
    while True:
        journey_id = secrets.token_urlsafe(32)
        if experiments.arm(KEY, experiment, journey_id) == arm:
            return journey_id


def test_each_journey_sees_its_variant_and_other_pages_as_they_are() -> None:
    definition = load(SHORTER)
    in_a, in_b = _journey_in(definition, "a"), _journey_in(definition, "b")

    def page_for(page_id: str, journey_id: str, language: str = "en") -> tuple[str, str]:
        page, variant = experiments.page_for(
            definition, page_id, journey_id, key=KEY, language=language, today=TODAY
        )
        return page.heading(language), variant

    assert page_for("name", in_a) == ("Your name", "shorter-name:a")
    assert page_for("name", in_b) == ("What is your name?", "shorter-name:b")
    assert page_for("about", in_b) == ("About you", "")
    assert page_for("name", in_b, "cy") == ("Beth yw eich enw?", "shorter-name:b")


def test_welsh_journeys_are_left_out_of_a_test_with_no_welsh() -> None:
    definition = load(
        "experiments: [{id: t, page: name, split: 99, b: {title: {en: 'What is your name?'}}}]"
    )
    in_b = _journey_in(definition, "b")
    page, variant = experiments.page_for(
        definition, "name", in_b, key=KEY, language="cy", today=TODAY
    )
    assert (page.heading("cy"), variant) == ("Eich enw", "")
    page, variant = experiments.page_for(
        definition, "name", in_b, key=KEY, language="en", today=TODAY
    )
    assert (page.heading("en"), variant) == ("What is your name?", "t:b")


def test_after_it_ends_everyone_sees_the_page_as_it_is() -> None:
    definition = load(SHORTER.replace("split: 30", "split: 30\n    ends: 2026-11-01"))
    in_b = _journey_in(definition, "b")
    page, variant = experiments.page_for(
        definition, "name", in_b, key=KEY, language="en", today=TODAY
    )
    assert (page.heading("en"), variant) == ("Your name", "")


# --- assignment ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=64), st.sampled_from(["a-test", "another"]))
def test_the_same_journey_always_gets_the_same_bucket(journey_id: str, experiment: str) -> None:
    first = experiments.bucket(KEY, experiment, journey_id)
    assert 0 <= first < 100
    assert experiments.bucket(KEY, experiment, journey_id) == first


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=99), st.integers(min_value=0, max_value=2**32))
def test_the_share_of_journeys_in_b_is_near_the_split(split: int, salt: int) -> None:
    definition = load(SHORTER.replace("split: 30", f"split: {split}"))
    experiment = definition.experiments[0]
    n = 4000
    in_b = sum(experiments.arm(KEY, experiment, f"{salt}-{i}") == "b" for i in range(n))
    # Within 5 standard deviations of the split (binomial): fails by chance about once in
    # 3.5 million runs.
    spread = 5 * (n * split / 100 * (1 - split / 100)) ** 0.5
    assert abs(in_b - n * split / 100) <= spread


def test_experiments_split_journeys_independently() -> None:
    n = 4000
    ids = [f"journey-{i}" for i in range(n)]
    first = {i for i in ids if experiments.bucket(KEY, "one", i) < 50}
    second = {i for i in ids if experiments.bucket(KEY, "two", i) < 50}
    # Independent halves overlap in about a quarter of the journeys.
    assert abs(len(first & second) - n / 4) <= 5 * (n * 0.25 * 0.75) ** 0.5


def test_another_key_gives_other_buckets() -> None:
    ids = [f"journey-{i}" for i in range(200)]
    assert [experiments.bucket(KEY, "t", i) for i in ids] != [
        experiments.bucket(b"o" * 32, "t", i) for i in ids
    ]


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=32, max_size=32))
def test_a_new_journey_id_falls_in_the_variant_of_its_browser(seed: str) -> None:
    definition = load(SHORTER.replace("split: 30", "split: 10"))
    experiment = definition.experiments[0]
    journey_id = experiments.steer(
        definition, "name", seed, lambda: secrets.token_urlsafe(32), key=KEY, today=TODAY
    )
    assert experiments.arm(KEY, experiment, journey_id) == experiments.arm(KEY, experiment, seed)


def test_no_steering_without_an_experiment_on_the_first_page() -> None:
    definition = load("experiments: [{id: t, page: about, split: 50, b: {title: {en: A}}}]")
    drawn = iter(["first", "second"])
    assert new_journey_id(definition, lambda: next(drawn), seed="s" * 32) == "first"


@pytest.mark.django_db
def test_variant_page_is_sticky_and_keyed_by_the_service() -> None:
    definition = load(SHORTER)
    seen = {variant_page(definition, "name", f"journey-{i}", language="en")[1] for i in range(60)}
    assert seen == {"shorter-name:a", "shorter-name:b"}
    journey_id = "journey-7"
    assert len({variant_page(definition, "name", journey_id)[1] for _ in range(5)}) == 1
