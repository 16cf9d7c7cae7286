"""Histograms of seconds: each bucket about 10% wide, quantiles read back close."""

import math

from hypothesis import given
from hypothesis import strategies as st

from porth.analytics.buckets import bounds, bucket_of, quantile


@given(st.floats(min_value=0, max_value=10**8, allow_nan=False))
def test_every_time_falls_in_its_buckets_bounds(seconds: float) -> None:
    lo, hi = bounds(bucket_of(seconds))
    assert lo <= seconds < hi


def test_buckets_are_about_a_tenth_wide_and_a_month_needs_under_200() -> None:
    for b in range(1, 200):
        lo, hi = bounds(b)
        assert math.isclose(hi / lo, 1.1)
    assert bucket_of(31 * 24 * 3600) < 200
    assert bucket_of(0.4) == 0
    assert bucket_of(-5) == 0


def test_nothing_counted_has_no_median() -> None:
    assert quantile({}, 0.5) is None
    assert quantile({3: 0}, 0.5) is None


@given(st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=200))
def test_the_median_and_p90_are_within_a_bucket_of_the_true_ones(times: list[int]) -> None:
    hist: dict[int, int] = {}
    for t in times:
        hist[bucket_of(t)] = hist.get(bucket_of(t), 0) + 1
    ordered = sorted(times)
    for q in (0.5, 0.9):
        estimate = quantile(hist, q)
        assert estimate is not None
        true = ordered[max(math.ceil(q * len(ordered)) - 1, 0)]
        # The estimate lies in the same bucket as the true value or at its edge.
        lo, hi = bounds(bucket_of(true))
        assert lo <= estimate <= hi


def test_the_median_of_a_bucket_alone_is_its_middle() -> None:
    lo, hi = bounds(bucket_of(300))
    assert quantile({bucket_of(300): 2}, 0.5) == lo + (hi - lo) / 2
