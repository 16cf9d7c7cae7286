"""Usage patterns from a period's sums: the funnel of pages (drop-off counted only among the
journeys whose route reached each page), the validation errors shown most, and casework
throughput per queue."""

from collections import Counter, defaultdict

from porth.services import service as services

from .buckets import quantile
from .figures import ErrorRow, FunnelStep, QueueThroughput, Ratio, Sums

CHECK_ANSWERS = services.CHECK_ANSWERS
TOP_ERRORS = 20


def funnel(service: str, sums: Sums, completed: int) -> list[FunnelStep]:
    """The pages in the definition's order, then check answers; those reached or visited.
    Each page's drop-off counts only the journeys that reached it, so a page a branch skips
    is not made to look abandoned. Pages no longer in the definition follow, most reached
    first."""
    reached = sums.by_one("reached", "page")
    answered = sums.by_one("answered", "page")
    visits = sums.by_one("visits", "page")
    exits = sums.by_one("exits", "page")
    definition = services.get(service)
    known: list[tuple[str, str, str]] = []
    if definition is not None:
        known = [(p.id, p.heading("en"), p.kind) for p in definition.pages]
    known.append((CHECK_ANSWERS, "Check your answers", "check"))
    listed = {page for page, _, _ in known}
    others = sorted(
        (p for p in set(reached) | set(visits) if p not in listed),
        key=lambda p: (-reached.get(p, 0), str(p)),
    )
    known += [(str(p), str(p), "exit" if exits.get(p) else "question") for p in others]
    steps = []
    for page, title, kind in known:
        r, v = reached.get(page, 0), visits.get(page, 0)
        if not r and not v:
            continue
        a = answered.get(page, 0)
        if kind == "exit":
            left = exits.get(page, 0)
        elif kind == "check":
            left = max(r - completed, 0)
            a = r - left  # "went on" from check your answers: sent
        else:
            left = max(r - a, 0)
        steps.append(FunnelStep(page, title, kind, v, r, a, left, Ratio(left, r)))
    return steps


def errors(service: str, sums: Sums) -> list[ErrorRow]:
    """The validation errors shown most, with the question and the message."""
    definition = services.get(service)
    reached = sums.by_one("reached", "page")
    rows = []
    for (page, field, detail), n in sums.by("errors", "page", "field", "detail").items():
        label = str(field)
        if definition is not None and field in definition.questions:
            label = definition.questions[str(field)][1].label.get("en")
        rows.append(ErrorRow(str(page), str(field), label, str(detail), n, reached.get(page, 0)))
    rows.sort(key=lambda e: (-e.count, e.page, e.field, e.message))
    return rows[:TOP_ERRORS]


def throughput(sums: Sums, overdue: dict[str, int]) -> list[QueueThroughput]:
    opened = sums.by_one("case_opened", "detail")
    decided = sums.by("case_decided", "detail", "bucket")
    times: dict[str, Counter[int]] = defaultdict(Counter)
    for (queue, bucket), n in decided.items():
        times[str(queue)][int(bucket)] += n
    queues = sorted({str(q) for q in opened} | set(times) | set(overdue))
    return [
        QueueThroughput(
            queue=q,
            opened=opened.get(q, 0),
            decided=sum(times[q].values()),
            overdue=overdue.get(q, 0),
            median_to_decision=quantile(times[q], 0.5),
        )
        for q in queues
    ]
