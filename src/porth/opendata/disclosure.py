"""Which of a month's performance figures may be published: statistical disclosure control
for the performance datasets (performance.py), so that no figure could single a person out.

The rules (the datasets' descriptions and data dictionaries say the same, in words):

1. A count under the threshold (PORTH_OPENDATA_SUPPRESS_BELOW, 10), 0 included, is withheld.
2. The total of a month is published whenever it is not under the threshold itself; so that
   it cannot be used to work out a withheld channel (total minus the published channels),
   the withheld channels must add up to at least the threshold: while they do not, the
   smallest published channel is withheld too (secondary suppression).
3. A rate is withheld when its numerator or its denominator is under the threshold.
4. Digital take-up gives away the sum of the digital channels (and so of the others): it is
   withheld when that sum, less the published channels in it, would be a withheld count on
   its own (one withheld channel in the group) or a sum under the threshold.
5. Cost per transaction is withheld whenever any channel's count is: the channels cost
   different amounts per transaction (the rates are in the public service definitions), so
   the total cost could be solved for the withheld counts.

Withheld figures are written as `[c]`, the Office for National Statistics' marker for
confidential figures; a figure that does not exist (no cost known) as `[x]`, its marker for
"not available". Both are declared as CSVW `null` (csvw.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WITHHELD = "[c]"
NOT_AVAILABLE = "[x]"

CHANNELS = ("online", "assisted", "phone", "paper")
DIGITAL = ("online", "assisted")
NOT_DIGITAL = ("phone", "paper")
SHARE_PLACES = Decimal("0.0001")  # as the analytics exports give shares


@dataclass(frozen=True)
class MonthFigures:
    """What a month's row is made from (performance.py reads it from porth.analytics)."""

    transactions: Mapping[str, int]  # completed, by channel (all four)
    completed: int  # the completion rate's numerator
    started: int  # its denominator
    satisfied: int  # satisfied or very satisfied
    responses: int  # answers to the satisfaction question
    cost_per_transaction: Decimal | None  # None: no cost known


def share(numerator: float, denominator: float) -> str:
    """A share as a fraction to four places, rounded half up (never through a float)."""
    value = Decimal(str(numerator)) / Decimal(str(denominator))
    return str(value.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP))


def withheld_channels(transactions: Mapping[str, int], threshold: int) -> set[str]:
    """Rules 1 and 2: the channels whose counts are not published."""
    withheld = {ch for ch in CHANNELS if transactions.get(ch, 0) < threshold}
    total = sum(transactions.get(ch, 0) for ch in CHANNELS)
    if total < threshold:
        return withheld  # the total is withheld as well: nothing to work back from
    while withheld and sum(transactions.get(ch, 0) for ch in withheld) < threshold:
        shown = [ch for ch in CHANNELS if ch not in withheld]
        withheld.add(min(shown, key=lambda ch: (transactions.get(ch, 0), CHANNELS.index(ch))))
    return withheld


def _gives_away(
    group: tuple[str, ...], withheld: set[str], counts: Mapping[str, int], t: int
) -> bool:
    hidden = [ch for ch in group if ch in withheld]
    return bool(hidden) and (len(hidden) == 1 or sum(counts.get(ch, 0) for ch in hidden) < t)


def row(figures: MonthFigures, threshold: int) -> dict[str, str]:
    """A month's published values (without the month), by column name (csvw.COLUMNS)."""
    counts = {ch: figures.transactions.get(ch, 0) for ch in CHANNELS}
    total = sum(counts.values())
    withheld = withheld_channels(counts, threshold)
    out: dict[str, str] = {}
    for channel in CHANNELS:
        out[f"transactions_{channel}"] = WITHHELD if channel in withheld else str(counts[channel])
    out["transactions_total"] = WITHHELD if total < threshold else str(total)

    if figures.completed < threshold or figures.started < threshold:
        out["completion_rate"] = WITHHELD
    else:
        out["completion_rate"] = share(figures.completed, figures.started)

    digital = sum(counts[ch] for ch in DIGITAL)
    if (
        total < threshold
        or digital < threshold
        or _gives_away(DIGITAL, withheld, counts, threshold)
        or _gives_away(NOT_DIGITAL, withheld, counts, threshold)
    ):
        out["digital_take_up"] = WITHHELD
    else:
        out["digital_take_up"] = share(digital, total)

    if figures.responses < threshold or figures.satisfied < threshold:
        out["user_satisfaction"] = WITHHELD
    else:
        out["user_satisfaction"] = share(figures.satisfied, figures.responses)
    out["satisfaction_responses"] = (
        WITHHELD if figures.responses < threshold else str(figures.responses)
    )

    if total < threshold or withheld:
        out["cost_per_transaction"] = WITHHELD
    elif figures.cost_per_transaction is None:
        out["cost_per_transaction"] = NOT_AVAILABLE
    else:
        out["cost_per_transaction"] = str(figures.cost_per_transaction)
    return out
