"""Experiments' results: rates with Wilson intervals, the difference with Newcombe's
interval and a z-test, against published worked examples, and the verdict in plain words."""

import math
import textwrap
from datetime import date

import pytest
from django.template.loader import render_to_string

from porth.analytics import experiments as stats
from porth.analytics.models import Count, MonthCount
from porth.analytics.service import results
from porth.conftest import MINIMAL
from porth.services.definition import Definition, parse

DAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    # Statistics in Medicine 17: 857-872, Table I, method 3 (score, no continuity correction).
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    found = stats.wilson(successes, trials)
    assert found is not None
    assert found == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    # Newcombe (1998), "Interval estimation for the difference between independent
    # proportions", Statistics in Medicine 17: 873-890, Table II, method 10.
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
    ],
)
def test_newcombe_interval_matches_published_values(
    x1: int, n1: int, x2: int, n2: int, low: float, high: float
) -> None:
    found = stats.newcombe(x1, n1, x2, n2)
    assert found is not None
    assert found == pytest.approx((x1 / n1 - x2 / n2, low, high), abs=5e-5)


def test_z_test_agrees_with_the_chi_square_of_the_two_by_two_table() -> None:
    # 56/70 against 48/80: chi-square (no correction) = N(ad - bc)² / (r1 r2 c1 c2) = z².
    a, b, c, d = 56, 14, 48, 32
    chi2 = 150 * (a * d - b * c) ** 2 / (70 * 80 * 104 * 46)
    found = stats.z_test(56, 70, 48, 80)
    assert found is not None
    z, p_value = found
    assert z == pytest.approx(math.sqrt(chi2)) and z == pytest.approx(2.6502, abs=5e-5)
    assert p_value == pytest.approx(0.00805, abs=5e-5)


def test_nothing_to_work_out_without_journeys() -> None:
    assert stats.wilson(0, 0) is None
    assert stats.newcombe(1, 10, 0, 0) is None
    assert stats.z_test(0, 10, 0, 10) is None  # nobody completed: no variance


# --- verdicts -----------------------------------------------------------------------------


def verdict(a: tuple[int, int], b: tuple[int, int]) -> str:
    rate_a, rate_b = stats.rate(*a), stats.rate(*b)
    return stats.verdict(rate_a, rate_b, stats.difference(rate_b, rate_a))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((60, 99), (90, 99), stats.NOT_ENOUGH),  # fewer than 100 journeys in each
        ((2, 500), (3, 500), stats.NOT_ENOUGH),  # about 2.5 completions expected per variant
        ((300, 500), (310, 500), stats.NO_DIFFERENCE),
        ((300, 500), (350, 500), stats.B_BETTER),
        ((350, 500), (300, 500), stats.A_BETTER),
        ((600, 1000), (640, 1000), stats.NO_DIFFERENCE),  # p ≈ 0.066
    ],
)
def test_verdicts(a: tuple[int, int], b: tuple[int, int], expected: str) -> None:
    assert verdict(a, b) == expected


def test_more_errors_with_b_is_said() -> None:
    a, b = stats.rate(20, 500), stats.rate(60, 500)
    assert (
        stats.errors_note(a, b, stats.difference(b, a)) == "Errors are more common with variant B."
    )


# --- from the rollups ---------------------------------------------------------------------


def definition() -> Definition:
    pages = textwrap.indent(
        textwrap.dedent(
            """
            - id: name
              title: {en: Your name, cy: Eich enw}
              fields: [{id: full_name, type: text, label: {en: Full name, cy: Enw llawn}}]
            """
        ).strip("\n"),
        "  ",
    )
    experiments = """
experiments:
  - id: shorter
    page: name
    split: 50
    ends: 2026-12-31
    b: {title: {en: Name, cy: Enw}}
"""
    return parse(MINIMAL.format(slug="test-service", pages=pages) + experiments, "test.yaml")


def count(metric: str, variant: str, value: int, *, page: str = "name", day: date = DAY) -> None:
    """A day's count, and its month's, as the roll-up writes them."""
    Count.objects.create(
        service="test-service", day=day, metric=metric, page=page, variant=variant, value=value
    )
    month, _ = MonthCount.objects.get_or_create(
        service="test-service", month=day.replace(day=1), metric=metric, page=page,
        variant=variant,
    )  # fmt: skip
    month.value += value
    month.save()


@pytest.mark.django_db
def test_results_read_the_rollups_over_all_days() -> None:
    for day, share in ((DAY, 1), (date(2026, 11, 3), 2)):
        count("reached", "shorter:a", 100 * share, day=day)
        count("reached", "shorter:b", 100 * share, day=day)
        count("completed_variant", "shorter:a", 60 * share, page="", day=day)
        count("completed_variant", "shorter:b", 75 * share, page="", day=day)
        count("errored", "shorter:a", 10 * share, day=day)
        count("errored", "shorter:b", 12 * share, day=day)
    count("reached", "", 999)  # the page's journeys outside any test
    Count.objects.create(
        service="other", day=DAY, metric="reached", page="name", variant="shorter:a", value=7
    )
    MonthCount.objects.create(
        service="other", month=DAY.replace(day=1), metric="reached", page="name",
        variant="shorter:a", value=7,
    )  # fmt: skip

    [result] = results(definition(), today=DAY)

    assert (result.id, result.page_title, result.split, result.running) == (
        "shorter",
        "Your name",
        50,
        True,
    )
    assert (result.a.journeys, result.a.completion.numerator, result.a.errors.numerator) == (
        300,
        180,
        30,
    )
    assert (result.b.journeys, result.b.completion.numerator, result.b.errors.numerator) == (
        300,
        225,
        36,
    )
    assert result.completion.estimate == pytest.approx(0.15)
    assert result.verdict == stats.B_BETTER and result.errors_note == ""
    assert results(definition(), today=date(2027, 1, 1))[0].running is False

    [since] = results(definition(), since=date(2026, 11, 3), today=DAY)
    assert since.a.journeys == 200
    [whole_month] = results(definition(), since=date(2026, 11, 1), today=DAY)
    assert whole_month.a.journeys == 300


@pytest.mark.django_db
def test_no_data_yet_says_so() -> None:
    [result] = results(definition(), today=DAY)
    assert result.a.journeys == 0 and result.a.completion.value is None
    assert result.verdict == stats.NOT_ENOUGH


@pytest.mark.django_db
def test_the_partial_shows_each_variant_in_a_table() -> None:
    count("reached", "shorter:a", 400)
    count("reached", "shorter:b", 400)
    count("completed_variant", "shorter:a", 200, page="")
    count("completed_variant", "shorter:b", 260, page="")

    html = render_to_string(
        "analytics/_experiments.html", {"experiments": results(definition(), today=DAY)}
    )

    assert stats.B_BETTER in html
    assert "A (current wording)" in html and "B (new wording)" in html
    assert "50.0%" in html and "65.0%" in html and "+15.0" in html
    assert "until 31 December 2026" in html
    assert "<caption" in html and 'scope="row"' in html
