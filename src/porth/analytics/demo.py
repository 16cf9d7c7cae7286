"""Performance data for the demo (`porth run`): a few hundred made-up journeys through each
example service over the last 100 days, recorded through the real recorder and rolled up by
the real roll-up, so the dashboards have figures to show. Never in production.

Made-up but plausible: most journeys online and on phones, busiest on weekday mornings,
some leaving on each page, some errors, a few saved and resumed, some skipping pages (as
branching routes do), cases decided days later, ratings with a few (screened) comments, and
each journey shown its variant of a page under test (experiments in the definition). Seeded, so each demo looks the same. A
service with any rolled-up figures already is left alone, so running it again adds nothing.
"""

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone, translation

from porth.services import service as services

from . import recorder
from .models import Count, Event, Feedback
from .rollups import roll_up
from .screening import screen

DAYS = 100
JOURNEYS = 300
CHANNELS = [("online", 80), ("assisted", 5), ("phone", 10), ("paper", 5)]
DEVICES = [("mobile", 55), ("desktop", 35), ("tablet", 8), ("other", 2)]
HOURS = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 11, 10, 9, 8, 8, 8, 7, 5, 3, 2]
WEEKDAYS = [10, 10, 9, 9, 8, 5, 4]  # Monday first
# Comments left with a rating, by rating; screened as real ones are (one shows it).
COMMENTS = {
    1: ["The page kept saying my answer was wrong and did not say why."],
    2: ["I could not find the badge number. Ring me on 07700 900123 please."],
    3: ["Fine, but I had to look up my National Insurance number."],
    4: [
        "Quicker than the paper form.",
        "Clear questions, thank you.",
        "Easy, but I would have liked a call back on 07700 900456 about my badge.",
    ],
    5: ["Very easy to do on my phone.", "Done in ten minutes. Diolch!"],
}


def _required_message(field: Any) -> str:
    with translation.override("en"):
        return str(services.message(field, services.questions.Invalid("required")))


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _start(rng: random.Random, now: datetime) -> datetime:
    """A time in the last DAYS days, weighted by weekday and hour of day."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    while True:
        day = today - timedelta(days=rng.randrange(DAYS))
        if rng.random() * max(WEEKDAYS) < WEEKDAYS[day.weekday()]:
            break
    hour = rng.choices(range(24), HOURS)[0]
    at = day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
    return min(at, now - timedelta(hours=1))


def _journey(
    rng: random.Random, definition: Any, n: int, now: datetime
) -> Iterator[dict[str, Any]]:
    """The events of one journey, in order, as recorder.record's keyword arguments."""
    slug = definition.slug
    journey_id = f"demo-{slug}-{n}"
    channel = _pick(rng, CHANNELS)
    device = _pick(rng, DEVICES) if channel == "online" else "desktop"
    at = begun = _start(rng, now)
    pages = [p for p in definition.pages if p.kind != "exit"]
    exits = [p for p in definition.pages if p.kind == "exit"]
    base = {"channel": channel}

    def step(kind: str, seconds: float, **data: Any) -> dict[str, Any]:
        nonlocal at
        at += timedelta(seconds=seconds)
        return {"kind": kind, "service": slug, "at": at, **base, **data}

    yield step("page_viewed", 0, page=pages[0].id, device=device)
    for index, page in enumerate(pages):
        if index and rng.random() < 0.15:
            continue  # a route that does not pass this page
        # A page under test: the variant this journey is shown, and variant b's wording
        # helping a little (fewer errors), as a team would hope.
        _, variant = services.variant_page(definition, page.id, journey_id, language="en")
        seen = {"journey_id": journey_id, "page": page.id, "variant": variant}
        if index:
            yield step("page_viewed", rng.uniform(3, 20), **seen)
        if page.fields and rng.random() < (0.06 if variant.endswith(":b") else 0.12):
            field = rng.choice(page.fields)
            # The message a citizen sees when they leave the question out. Before the first
            # page is saved there is no journey yet, as with real errors on it.
            where = seen if index else {"page": page.id}
            yield step(
                "validation_error",
                rng.uniform(10, 60),
                **where,
                field=field.id,
                detail=_required_message(field),
            )
        if rng.random() < 0.025 + 0.05 * (index == 0):
            if exits and rng.random() < 0.4:  # not eligible
                yield step("exit_reached", 5, journey_id=journey_id, page=exits[0].id)
            return  # left here
        first = {"device": device} if index == 0 else {}
        yield step("page_answered", rng.uniform(10, 90), **seen, **first)
        if index and rng.random() < 0.04:
            yield step("back_used", 4, journey_id=journey_id, page=pages[index - 1].id)
        if rng.random() < 0.015:
            yield step("saved", 5, journey_id=journey_id)
            if rng.random() < 0.6:
                yield step("resumed", rng.uniform(3600, 3 * 86400), journey_id=journey_id)
            else:
                return
    check = {"journey_id": journey_id, "page": "check-answers"}
    yield step("page_viewed", 5, **check)
    if rng.random() < 0.1:
        yield step("change_used", 20, journey_id=journey_id, page=rng.choice(pages).id)
    if rng.random() < 0.04:
        return
    took = int((at - begun).total_seconds()) + 30
    yield step("submitted", 30, journey_id=journey_id, device=device, value=took)
    if channel == "online" and rng.random() < 0.45:
        rating = rng.choices([1, 2, 3, 4, 5], [4, 5, 10, 35, 46])[0]
        yield step("rated", 40, journey_id=journey_id, value=rating)
        if rng.random() < 0.3:
            yield step(
                "comment",
                0,
                journey_id=journey_id,
                value=rating,
                detail=rng.choice(COMMENTS[rating]),
            )
    for action in definition.on_submit:
        queue = action.case.queue
        yield step("case_opened", 1, detail=queue)
        decided_after = rng.uniform(2, 15) * 86400
        if at + timedelta(seconds=decided_after) < now:
            outcome = rng.choices(["approved", "rejected", "closed"], [7, 2, 1])[0]
            yield step(
                "case_decided", decided_after, detail=queue, field=outcome, value=int(decided_after)
            )


def _comment(event: dict[str, Any]) -> None:
    Feedback.objects.create(
        service=event["service"],
        at=event["at"],
        journey=recorder.journey_key(event["journey_id"]),
        rating=event["value"],
        comment=screen(event["detail"]),
        channel=event["channel"],
    )


def seed(*, journeys: int = JOURNEYS, now: datetime | None = None) -> dict[str, int]:
    """Record demo journeys for each live service with no figures yet, then roll them up;
    the events recorded, by service."""
    now = now or timezone.now()
    recorded: dict[str, int] = {}
    for slug, definition in sorted(services.definitions().items()):
        if (
            Count.objects.filter(service=slug).exists()
            or Event.objects.filter(service=slug).exists()
        ):
            continue
        rng = random.Random(slug)
        # Only what has happened by now (a journey begun an hour ago may resume tomorrow),
        # in the order it happened, as the roll-up reads events in the order they were written.
        latest = now - timedelta(minutes=10)
        events = sorted(
            (
                event
                for n in range(journeys)
                for event in _journey(rng, definition, n, now)
                if event["at"] <= latest
            ),
            key=lambda event: event["at"],
        )
        written = 0
        for event in events:
            event = {**event}
            if event["kind"] == "comment":  # not an event: the rating's Feedback row
                _comment(event)
                continue
            recorder.record(event.pop("kind"), event.pop("service"), **event)
            written += 1
        recorder.flush()
        recorded[slug] = written
    if recorded:
        while roll_up(limit=10_000):
            pass
    return recorded
