"""Charts drawn on the server as accessible SVG: no chart library and no JavaScript.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (a
sentence or two that says what the chart shows, for people who cannot see it), and the page
puts a table of the same figures beside it. Bars are GOV.UK blue on white (5.2:1) and text
is GOV.UK black, so both pass WCAG's contrast for graphics and text. Sizes are in the
viewBox, so a chart scales to its column.
"""

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

BAR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT = "#0b0c0c"  # GOV.UK black
AXIS = "#505a5f"  # GOV.UK dark grey: 7:1 against white
FONT = 'font-family="GDS Transport, arial, sans-serif"'

_ids = count(1)


def _frame(title: str, desc: str, width: int, height: int, body: str) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="porth-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" {FONT}>'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def describe(what: str, labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    """A sentence for the chart's <desc>: what it shows, its total and where it peaks."""
    if not values or not any(values):
        return f"{what}: none in this period."
    top = max(range(len(values)), key=lambda i: values[i])
    total = _number(sum(values))
    return (
        f"{what}, {len(values)} bars. Total {total}{unit}. "
        f"Highest: {labels[top]}, {_number(values[top])}{unit}."
    )


def columns(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    desc: str | None = None,
    unit: str = "",
    label_every: int = 1,
) -> Markup:
    """Vertical bars, one per label (hours, days of the week, days of a period). With many
    bars, `label_every` labels only every n-th, so the labels do not overlap."""
    width, height, top, bottom, left = 480, 204, 22, 30, 8
    plot = height - top - bottom
    slot = (width - 2 * left) / max(len(values), 1)
    peak = max(values, default=0) or 1
    parts = [
        f'<line x1="{left}" y1="{top + plot}" x2="{width - left}" y2="{top + plot}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = plot * value / peak
        x = left + i * slot
        parts.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{top + plot - bar:.1f}" '
            f'width="{slot * 0.8:.1f}" height="{bar:.1f}" fill="{BAR}"/>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 10}" font-size="13" '
                f'text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
            )
    parts.append(
        f'<text x="{width - left}" y="{top - 4}" font-size="13" text-anchor="end" '
        f'fill="{TEXT}">Highest: {_number(max(values, default=0))}{escape(unit)}</text>'
    )
    return _frame(
        title, desc or describe(title, labels, values, unit), width, height, "".join(parts)
    )


def bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    desc: str | None = None,
    unit: str = "",
) -> Markup:
    """Horizontal bars with their labels and values written out: a funnel, channels,
    devices, ratings. Each bar's value is printed at its end, so nobody has to read a scale."""
    row, left, right, gap = 26, 200, 56, 5
    width = 480
    height = row * len(values) + gap
    plot = width - left - right
    peak = max(values, default=0) or 1
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * row
        bar = plot * value / peak
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + row / 2 + 2:.1f}" font-size="13" text-anchor="end" '
            f'fill="{TEXT}">{escape(short)}</text>'
            f'<rect x="{left}" y="{y}" width="{bar:.1f}" height="{row - gap}" fill="{BAR}"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + row / 2 + 2:.1f}" font-size="14" '
            f'fill="{TEXT}">{_number(value)}{escape(unit)}</text>'
        )
    return _frame(
        title,
        desc or describe(title, labels, values, unit),
        width,
        max(height, row),
        "".join(parts),
    )
