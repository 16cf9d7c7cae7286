"""Distributions kept as histograms: times to complete and to decide, in log-scale buckets.

A median cannot be added up day by day, but a histogram can: each roll-up adds to the day's
buckets, and a quarter's histogram is the sum of its days'. Bucket b > 0 holds the seconds in
[1.1 ** (b - 1), 1.1 ** b), so a quantile read back is within 10% of the true one (and
interpolated within its bucket, usually much closer); bucket 0 holds anything under a second.
A month of seconds needs about 160 buckets.
"""

import math
from collections.abc import Mapping

GROWTH = 1.1
_LOG = math.log(GROWTH)


def bucket_of(seconds: float) -> int:
    """The bucket that `seconds` falls in."""
    if seconds < 1:
        return 0
    b = int(math.log(seconds) / _LOG) + 1
    # Floating point can put a value on a boundary one bucket out: settle it on the bounds.
    lo, hi = bounds(b)
    if seconds < lo:
        return b - 1
    if seconds >= hi:
        return b + 1
    return b


def bounds(b: int) -> tuple[float, float]:
    """The seconds bucket `b` covers: from the first (inclusive) to the second (exclusive)."""
    if b <= 0:
        return 0.0, 1.0
    return GROWTH ** (b - 1), GROWTH**b


def quantile(hist: Mapping[int, int], q: float) -> float | None:
    """The `q` quantile (0..1) of the seconds counted in `hist` (bucket -> how many), spread
    evenly across each bucket; None when nothing is counted."""
    total = sum(n for n in hist.values() if n > 0)
    if total == 0:
        return None
    target = min(max(q, 0.0), 1.0) * total
    seen = 0
    for b in sorted(hist):
        n = hist[b]
        if n <= 0:
            continue
        if seen + n >= target:
            lo, hi = bounds(b)
            return lo + (hi - lo) * (target - seen) / n
        seen += n
    return bounds(max(hist))[1]  # not reached: the last bucket ends at `total`
