"""How figures are worded on the page and given to exports, and how the pickers read the
query string."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import QueryDict

from porth.analytics.display import Cell, duration, raw, show
from porth.analytics.figures import Ratio
from porth.analytics.params import choose
from porth.analytics.periods import Period

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("cell", "page", "export"),
    [
        (Cell(12345), "12,345", 12345),
        (Cell(Ratio(1, 3), "share"), "33.3%", 0.3333),
        (Cell(Ratio(0, 0), "share"), "No data", None),
        (Cell(None, "money"), "No data", None),
        (Cell(Decimal("1234.5"), "money"), "£1,234.50", "1234.50"),
        (Cell(0.771, "score"), "77 out of 100", 0.771),
        (Cell(412.4, "seconds"), "6 min 52 s", 412),
        (Cell("Phone", "text"), "Phone", "Phone"),
    ],
)
def test_a_figure_reads_well_on_the_page_and_stays_a_number_in_exports(
    cell: Cell, page: str, export: object
) -> None:
    assert show(cell) == page
    assert raw(cell) == export


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "0 s"), (59, "59 s"), (61, "1 min 1 s"), (3600, "1 h 0 min"), (90061, "1 days 1 h")],
)
def test_durations_are_worded(seconds: float, words: str) -> None:
    assert duration(seconds) == words


def test_with_no_choice_the_dashboard_shows_this_month_for_every_channel() -> None:
    choice = choose(QueryDict(""), TODAY)
    assert (choice.period, choice.channel, choice.errors) == (
        Period.containing("month", TODAY),
        None,
        {},
    )


def test_any_day_of_a_period_chooses_that_period() -> None:
    choice = choose(QueryDict("period=quarter&start=2026-08-19&channel=paper"), TODAY)
    assert choice.period == Period.containing("quarter", date(2026, 7, 1))
    assert choice.channel == "paper"
    assert choice.query() == {"period": "quarter", "start": "2026-07-01", "channel": "paper"}


def test_a_period_alone_means_the_one_containing_today() -> None:
    assert choose(QueryDict("period=week"), TODAY).period == Period("week", date(2026, 11, 16))


def test_every_bad_parameter_is_reported_at_once() -> None:
    choice = choose(QueryDict("period=year&channel=fax"), TODAY)
    assert set(choice.errors) == {"period", "channel"}
    assert choice.given == {"period": "year", "start": "", "channel": "fax"}
