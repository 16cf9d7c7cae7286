"""Charts are well-formed SVG that name and describe themselves, and every chart's figures
are in the table beside it."""

import xml.etree.ElementTree as ET
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from porth.analytics import charts, display
from porth.analytics.periods import Period

from . import sample

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_chart_is_an_image_named_by_its_title_and_described() -> None:
    svg = parse(charts.columns("Completed by hour", ["00:00", "01:00"], [3, 9]))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Completed by hour"
    assert desc is not None and desc.text == (
        "Completed by hour, 2 bars. Total 12. Highest: 01:00, 9."
    )
    # The accessible name and description are those elements, by id.
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_two_charts_on_a_page_have_different_ids() -> None:
    one = parse(charts.bars("A", ["x"], [1])).find(f"{SVG}title")
    two = parse(charts.bars("B", ["x"], [1])).find(f"{SVG}title")
    assert one is not None and two is not None and one.get("id") != two.get("id")


def test_an_empty_chart_says_there_is_nothing_to_show() -> None:
    desc = parse(charts.bars("Devices", ["Mobile"], [0])).find(f"{SVG}desc")
    assert desc is not None and desc.text == "Devices: none in this period."


def test_labels_are_escaped() -> None:
    svg = parse(charts.bars('Pages <&> "quoted"', ["<script>"], [1]))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<script>" in texts


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=120))
def test_bars_stay_inside_the_chart_whatever_the_values(values: list[int]) -> None:
    for chart in (charts.columns, charts.bars):
        svg = parse(chart("T", [str(i) for i in range(len(values))], values))
        width, height = (float(n) for n in (svg.get("viewBox") or "").split()[2:])
        rects = list(svg.iter(f"{SVG}rect"))
        assert len(rects) == len(values)
        for rect in rects:
            x, y = float(rect.get("x") or 0), float(rect.get("y") or 0)
            w, h = float(rect.get("width") or 0), float(rect.get("height") or 0)
            assert x >= 0 and x + w <= width + 0.1 and y >= 0 and y + h <= height + 0.1


def test_the_colours_have_enough_contrast_against_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(colour: str) -> float:
        return 1.05 / (luminance(colour) + 0.05)

    assert contrast(charts.BAR) >= 4.5  # more than the 3:1 graphics need
    assert contrast(charts.TEXT) >= 7 and contrast(charts.AXIS) >= 4.5


def test_every_chart_on_a_dashboard_shows_the_figures_of_its_table() -> None:
    october = Period.containing("month", date(2026, 10, 1))
    figures = sample.figures("s", october)
    previous = sample.figures("s", october.previous())
    trend = [(date(2026, 10, d), d) for d in range(1, 32)]
    sections = display.sections(figures, previous, trend=trend)
    charted = [s for s in sections if s.chart is not None]
    assert {s.key for s in charted} == {
        "channels",
        "trend",
        "funnel",
        "by_hour",
        "by_weekday",
        "devices",
        "ratings",
    }
    for section in charted:
        svg = parse(section.chart or "")
        bars = list(svg.iter(f"{SVG}rect"))
        column = 1  # the table's first figure column is what the chart draws
        assert len(bars) == len(section.table.rows), section.key
        values = [row[column].value for row in section.table.rows]
        peak = max(values)
        heights = [
            float(
                b.get("height" if section.key in {"trend", "by_hour", "by_weekday"} else "width")
                or 0
            )
            for b in bars
        ]
        longest = max(heights)
        for value, size in zip(values, heights, strict=True):
            assert abs(size / longest - value / peak) < 0.01, section.key
