"""The results of a service's experiments (A/B tests of a page's wording), from the rollups.

For each variant: the journeys that reached the page (`reached`, by page and variant), how
many of them were submitted (`completed_variant`) and how many were shown an error on the page
(`errored`, by page and variant). Each rate has a 95% Wilson score interval, which stays
within 0..1 and is honest with few journeys or rates near 0 or 1 (unlike the textbook
p ± 1.96·se). The difference b - a has a 95% interval by Newcombe's hybrid score method
(Newcombe 1998, "Interval estimation for the difference between independent proportions",
method 10), built from the two Wilson intervals, and a two-proportion z-test (pooled).

The verdict is about completion, the measure a change of wording is meant to move, and is
given in plain words. A difference is called only when both the test (p < 0.05) and the
interval (excluding 0) say so, and only once each variant has MIN_JOURNEYS journeys and the
counts the test assumes (expected successes and failures of at least 5 in each variant).
Looking again and again and stopping at the first significant result overstates the
evidence; docs/experiments.md says to decide the length of a test before starting it.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from porth.services.service import Definition

from .models import Count, MonthCount

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
MIN_JOURNEYS = 100  # per variant, before any verdict
MIN_EXPECTED = 5  # expected successes and failures per variant, for the z-test

NOT_ENOUGH = "Not enough data yet"
NO_DIFFERENCE = "No clear difference yet"
B_BETTER = "Variant B completes more often — keep it if errors are not worse"
A_BETTER = "Variant A does better — keep the current wording"


@dataclass(frozen=True)
class Rate:
    """A share with its parts and its 95% Wilson interval (None when nothing to divide)."""

    numerator: int
    denominator: int
    low: float | None
    high: float | None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Difference:
    """b - a of two rates: the estimate, its 95% interval, and the z-test."""

    estimate: float | None
    low: float | None
    high: float | None
    z: float | None
    p_value: float | None

    @property
    def significant(self) -> bool:
        """At the 5% level by the test, with an interval that excludes no difference."""
        return (
            self.p_value is not None
            and self.p_value < 0.05
            and self.low is not None
            and self.high is not None
            and (self.low > 0 or self.high < 0)
        )


@dataclass(frozen=True)
class Variant:
    name: str  # "a" or "b"
    variant: str  # as in performance data: "<experiment>:a"
    journeys: int  # reached the page
    completion: Rate  # submitted / journeys
    errors: Rate  # shown an error on the page / journeys


@dataclass(frozen=True)
class ExperimentResult:
    id: str
    page: str
    page_title: str
    split: int
    ends: date | None
    running: bool
    a: Variant
    b: Variant
    completion: Difference  # b - a
    errors: Difference  # b - a
    verdict: str
    # About errors, when they differ clearly ("" otherwise): a verdict for B is to be kept
    # only if errors are not worse.
    errors_note: str


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for successes / trials (Wilson 1927), None for no trials."""
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(
    x1: int, n1: int, x2: int, n2: int, z: float = Z95
) -> tuple[float, float, float] | None:
    """x1/n1 - x2/n2 and its interval by Newcombe's hybrid score method (no continuity
    correction), None unless both have trials."""
    first, second = wilson(x1, n1, z), wilson(x2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = first, second
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, low, high


def z_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float] | None:
    """The pooled two-proportion z-test of x1/n1 against x2/n2: (z, two-sided p-value), None
    when it cannot be worked out (no trials, or every trial the same)."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return None
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def rate(successes: int, trials: int) -> Rate:
    interval = wilson(successes, trials)
    low, high = interval if interval else (None, None)
    return Rate(successes, trials, low, high)


def difference(b: Rate, a: Rate) -> Difference:
    """b - a."""
    interval = newcombe(b.numerator, b.denominator, a.numerator, a.denominator)
    test = z_test(b.numerator, b.denominator, a.numerator, a.denominator)
    estimate, low, high = interval if interval else (None, None, None)
    z, p_value = test if test else (None, None)
    return Difference(estimate, low, high, z, p_value)


def enough(a: Rate, b: Rate) -> bool:
    """Enough journeys in each variant for a verdict, and the counts the z-test assumes."""
    if min(a.denominator, b.denominator) < MIN_JOURNEYS:
        return False
    pooled = (a.numerator + b.numerator) / (a.denominator + b.denominator)
    return all(
        n * pooled >= MIN_EXPECTED and n * (1 - pooled) >= MIN_EXPECTED
        for n in (a.denominator, b.denominator)
    )


def verdict(a: Rate, b: Rate, completion: Difference) -> str:
    """What to do, in plain words, from the completion of each variant."""
    if not enough(a, b):
        return NOT_ENOUGH
    if not completion.significant or completion.estimate is None:
        return NO_DIFFERENCE
    return B_BETTER if completion.estimate > 0 else A_BETTER


def errors_note(a: Rate, b: Rate, errors: Difference) -> str:
    if not enough(a, b) or not errors.significant or errors.estimate is None:
        return ""
    if errors.estimate > 0:
        return "Errors are more common with variant B."
    return "Errors are less common with variant B."


def _counts(service: str, since: date | None) -> dict[tuple[str, str, str], int]:
    """(metric, page, variant) -> total, for the metrics experiments read. Whole months from
    MonthCount (the same counts, a thirtieth of the rows: a year of a busy service's Count
    rows took most of a dashboard's database time), the days before the first from Count."""
    where = {"service": service, "metric__in": ("reached", "errored", "completed_variant")}
    found: list[QuerySet[Count] | QuerySet[MonthCount]] = []
    if since is None:
        found.append(MonthCount.objects.filter(**where))
    else:
        month = since.replace(day=1)
        if month < since:  # from the next whole month
            month = (month + timedelta(days=31)).replace(day=1)
        found.append(MonthCount.objects.filter(month__gte=month, **where))
        found.append(Count.objects.filter(day__gte=since, day__lt=month, **where))
    totals: dict[tuple[str, str, str], int] = {}
    for rows in found:
        grouped = rows.exclude(variant="").values_list("metric", "page", "variant")
        for metric, page, variant, total in grouped.annotate(total=Sum("value")).order_by():
            key = (metric, page, variant)
            totals[key] = totals.get(key, 0) + int(total)
    return totals


def results(
    definition: Definition, *, since: date | None = None, today: date | None = None
) -> list[ExperimentResult]:
    """Every experiment of the definition, in its order, over all days (or from `since`)."""
    if not definition.experiments:
        return []
    today = today or date.today()
    counts = _counts(definition.slug, since)
    out = []
    for experiment in definition.experiments:
        variants = []
        for name in ("a", "b"):
            label = f"{experiment.id}:{name}"
            journeys = counts.get(("reached", experiment.page, label), 0)
            variants.append(
                Variant(
                    name=name,
                    variant=label,
                    journeys=journeys,
                    completion=rate(counts.get(("completed_variant", "", label), 0), journeys),
                    errors=rate(counts.get(("errored", experiment.page, label), 0), journeys),
                )
            )
        a, b = variants
        completion = difference(b.completion, a.completion)
        errors = difference(b.errors, a.errors)
        page = definition.page(experiment.page) if definition.has_page(experiment.page) else None
        out.append(
            ExperimentResult(
                id=experiment.id,
                page=experiment.page,
                page_title=page.heading("en") if page is not None else experiment.page,
                split=experiment.split,
                ends=experiment.ends,
                running=experiment.running(today),
                a=a,
                b=b,
                completion=completion,
                errors=errors,
                verdict=verdict(a.completion, b.completion, completion),
                errors_note=errors_note(a.errors, b.errors, errors),
            )
        )
    return out
