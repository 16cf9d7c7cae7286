"""The rules that withhold small numbers from the performance datasets (disclosure.py): no
count under the threshold is published, and none can be worked out from what is."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from porth.opendata.disclosure import CHANNELS, MonthFigures, row, share

T = 10


def month(
    online: int = 50,
    assisted: int = 20,
    phone: int = 20,
    paper: int = 10,
    *,
    started: int | None = None,
    satisfied: int = 30,
    responses: int = 40,
    cost: Decimal | None = Decimal("3.10"),
) -> MonthFigures:
    transactions = {"online": online, "assisted": assisted, "phone": phone, "paper": paper}
    total = sum(transactions.values())
    return MonthFigures(
        transactions=transactions,
        completed=total,
        started=total + 20 if started is None else started,
        satisfied=satisfied,
        responses=responses,
        cost_per_transaction=cost,
    )


def test_with_no_small_numbers_everything_is_published() -> None:
    assert row(month(), T) == {
        "transactions_online": "50",
        "transactions_assisted": "20",
        "transactions_phone": "20",
        "transactions_paper": "10",
        "transactions_total": "100",
        "completion_rate": "0.8333",
        "digital_take_up": "0.7000",
        "user_satisfaction": "0.7500",
        "satisfaction_responses": "40",
        "cost_per_transaction": "3.10",
    }


def test_one_small_channel_takes_the_next_smallest_with_it_and_hides_take_up() -> None:
    found = row(month(online=50, assisted=3, phone=20, paper=12), T)
    assert found["transactions_assisted"] == "[c]"
    assert found["transactions_paper"] == "[c]"  # else assisted = 85 - 50 - 20
    assert (found["transactions_online"], found["transactions_phone"]) == ("50", "20")
    assert found["transactions_total"] == "85"
    # Take-up x 85 - 50 would be assisted; cost could be solved for the two.
    assert (found["digital_take_up"], found["cost_per_transaction"]) == ("[c]", "[c]")
    assert found["completion_rate"] == "0.8095"


def test_a_month_under_the_threshold_publishes_no_count_and_no_rate() -> None:
    found = row(month(3, 2, 1, 0, started=40, responses=5, satisfied=5), T)
    assert set(found.values()) == {"[c]"}


def test_small_channels_adding_up_to_the_threshold_keep_the_total() -> None:
    found = row(month(4, 3, 2, 5), T)
    assert [found[f"transactions_{ch}"] for ch in CHANNELS] == ["[c]"] * 4
    assert found["transactions_total"] == "14"
    assert found["digital_take_up"] == "[c]"  # online + assisted would be 7


def test_a_rate_needs_both_its_numbers_at_the_threshold() -> None:
    assert row(month(satisfied=9, responses=10), T)["user_satisfaction"] == "[c]"
    assert row(month(satisfied=10, responses=10), T)["user_satisfaction"] == "1.0000"
    assert row(month(satisfied=9, responses=9), T)["satisfaction_responses"] == "[c]"
    assert row(month(started=9), T)["completion_rate"] == "[c]"
    assert row(month(started=10), T)["completion_rate"] == "10.0000"


def test_an_unknown_cost_is_not_available_rather_than_withheld() -> None:
    assert row(month(cost=None), T)["cost_per_transaction"] == "[x]"
    assert row(month(paper=2, cost=None), T)["cost_per_transaction"] == "[c]"


def test_shares_are_rounded_half_up_to_four_places() -> None:
    assert [share(1, 32), share(2, 3), share(1, 8), share(0, 5)] == [
        "0.0313",
        "0.6667",
        "0.1250",
        "0.0000",
    ]


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None)  # not a timed test
@given(counts, counts, counts, counts, st.integers(min_value=1, max_value=15))
def test_no_withheld_count_can_be_worked_out(
    online: int, assisted: int, phone: int, paper: int, threshold: int
) -> None:
    figures = month(online, assisted, phone, paper)
    found = row(figures, threshold)
    values = figures.transactions
    hidden = {ch for ch in CHANNELS if found[f"transactions_{ch}"] == "[c]"}
    assert all(ch in hidden for ch in CHANNELS if values[ch] < threshold)
    if found["transactions_total"] != "[c]" and hidden:
        # The total less the published channels gives the sum of the hidden ones only.
        assert len(hidden) >= 2 and sum(values[ch] for ch in hidden) >= threshold
    if found["digital_take_up"] != "[c]":
        # Take-up gives the sum of each group; within a group the hidden ones stay hidden.
        for group in (("online", "assisted"), ("phone", "paper")):
            inside = [ch for ch in group if ch in hidden]
            assert not inside or (
                len(inside) == 2 and sum(values[ch] for ch in inside) >= threshold
            )
    if hidden:
        assert found["cost_per_transaction"] == "[c]"
