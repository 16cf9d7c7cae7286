"""Made-up performance events for `bench.dashboard`: a year of journeys through a service with
branches, as the recorder writes them (porth.analytics.receivers), streamed in time order.

The bench service asks where the citizen lives (elsewhere ends at an exit page; living away
adds a content page), then name (under an experiment), date of birth, whether they have a
badge now (no skips the badge number), contact details and how they walk. Journeys: most
online and on phones, busiest on weekday mornings, some leaving on every page, errors with
the messages shown, back and change, save and resume, submissions with their time taken,
ratings, and a case opened for each submission and decided days later. Seeded: every run
writes the same events.

Never more than a few days of events are held: each journey's events go into a heap as the
day it starts is reached, and come out in time order once that day is over.
"""

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

SLUG = "bench-service"
ORGANISATION = "bench-council"
QUEUE = "applications"
SERVICE = f"""
porth: 1
slug: {SLUG}
name: {{en: Apply for a bench permit, cy: Gwneud cais am drwydded fainc}}
summary: {{en: For the bench, cy: Ar gyfer y fainc}}
organisation: {{id: {ORGANISATION}, name: {{en: Bench Council, cy: Cyngor Mainc}}}}
start: {{body: {{en: Start., cy: Dechrau.}}}}
declaration: {{body: {{en: True., cy: Gwir.}}}}
confirmation: {{body: {{en: Done., cy: Wedi gorffen.}}}}
costs: {{online: '0.35', assisted: '4.10', phone: '6.20', paper: '8.90'}}
pages:
  - id: where-you-live
    fields:
      - id: where
        type: radios
        label: {{en: 'Where do you live?', cy: "Ble rydych chi'n byw?"}}
        options:
          - {{value: here, label: {{en: In the council area, cy: Yn ardal y cyngor}}}}
          - {{value: away, label: {{en: Away for now, cy: I ffwrdd am y tro}}}}
          - {{value: stop, label: {{en: Elsewhere, cy: Rhywle arall}}}}
    next:
      - {{when: 'answers.where == "away"', goto: living-away}}
      - {{when: 'answers.where == "stop"', goto: not-eligible}}
      - {{goto: your-name}}
  - id: living-away
    kind: content
    title: {{en: Living away, cy: Byw i ffwrdd}}
    body: {{en: Read this., cy: Darllenwch hwn.}}
    next: [{{goto: your-name}}]
  - id: not-eligible
    kind: exit
    title: {{en: You cannot apply, cy: Ni allwch wneud cais}}
    body: {{en: Sorry., cy: "Mae'n ddrwg gennym."}}
  - id: your-name
    fields:
      - {{id: full_name, type: text, label: {{en: 'What is your name?', cy: 'Beth yw eich enw?'}}}}
  - id: date-of-birth
    fields:
      - id: date_of_birth
        type: date
        label: {{en: 'What is your date of birth?', cy: 'Beth yw eich dyddiad geni?'}}
  - id: have-badge
    fields:
      - {{id: has_badge, type: yesno, label: {{en: 'Do you have a badge now?', cy: 'Oes gennych fathodyn?'}}}}
    next:
      - {{when: answers.has_badge, goto: badge-number}}
      - {{goto: contact}}
  - id: badge-number
    fields:
      - {{id: badge_number, type: text, label: {{en: Badge number, cy: Rhif y bathodyn}}}}
  - id: contact
    title: {{en: Contact details, cy: Manylion cyswllt}}
    fields:
      - {{id: email, type: email, label: {{en: Email address, cy: Cyfeiriad e-bost}}}}
      - {{id: phone, type: phone, label: {{en: Phone number, cy: Rhif ffôn}}}}
  - id: walking
    fields:
      - id: walking
        type: textarea
        label: {{en: 'How does your condition affect your walking?', cy: "Sut mae'ch cyflwr yn effeithio ar eich cerdded?"}}
experiments:
  - id: name-wording
    page: your-name
    split: 50
    b:
      fields:
        full_name:
          label: {{en: Your full name, cy: Eich enw llawn}}
"""
# Page, its fields and the messages a citizen may be shown on each (English, as recorded).
MESSAGES = {
    "where-you-live": [("where", "Select where you live")],
    "your-name": [("full_name", "Enter your full name")],
    "date-of-birth": [
        ("date_of_birth", "Enter your date of birth"),
        ("date_of_birth", "Date of birth must be a real date"),
        ("date_of_birth", "Date of birth must be in the past"),
    ],
    "have-badge": [("has_badge", "Select yes if you have a badge now")],
    "badge-number": [
        ("badge_number", "Enter your badge number"),
        ("badge_number", "Badge number must be 6 characters or fewer"),
    ],
    "contact": [
        ("email", "Enter an email address"),
        ("email", "Enter an email address in the correct format, like name@example.com"),
        ("phone", "Enter a telephone number, like 01632 960 001 or 07700 900 982"),
    ],
    "walking": [("walking", "Describe how your condition affects your walking")],
}
EXPERIMENT_PAGE = "your-name"
CHANNELS = (["online", "assisted", "phone", "paper"], [80, 5, 10, 5])
DEVICES = (["mobile", "desktop", "tablet", "other"], [55, 35, 8, 2])
HOURS = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 11, 10, 9, 8, 8, 8, 7, 5, 3, 2]
WEEKDAYS = [10, 10, 9, 9, 8, 5, 4]  # Monday first
RATINGS = ([1, 2, 3, 4, 5], [4, 5, 10, 35, 46])
COMMENTS = [
    "Easy to use.",
    "The date question was confusing.",
    "Took longer than I expected.",
    "My email is [email address removed], please reply.",
    "Could not find where to upload the photo.",
]
DAY = 86400

# An event as a row of analytics_event, without its id:
# (at: epoch seconds, service, kind, journey, page, field, detail, channel, device, variant, value)
Row = tuple[int, str, str, int | None, str, str, str, str, str, str, int | None]
COLUMNS = "at, service, kind, journey, page, field, detail, channel, device, variant, value"


@dataclass
class Feedback:
    """The satisfaction answers (Feedback rows) that go with the `rated` events."""

    rows: list[tuple[int, int, int, str, str]] = field(default_factory=list)  # at, journey, …


class _Journey:
    """One journey's events, made as it goes; stops at `now` (what has not happened yet)."""

    def __init__(self, rng: random.Random, at: int, now: int) -> None:
        self.rng, self.at, self.now = rng, at, now
        self.events: list[Row] = []
        self.key = rng.getrandbits(64) - 2**63
        self.channel = rng.choices(*CHANNELS)[0]
        self.device = rng.choices(*DEVICES)[0] if self.channel == "online" else "desktop"
        self.variant = f"name-wording:{rng.choice('ab')}"

    def add(
        self,
        gap: float,
        kind: str,
        page: str = "",
        *,
        anonymous: bool = False,  # before the journey is stored, and a case's events
        field: str = "",
        detail: str = "",
        device: str = "",
        value: int | None = None,
    ) -> bool:
        """Records `kind` `gap` seconds on; False once the journey runs past now."""
        self.at += int(gap)
        if self.at > self.now:
            return False
        journey = None if anonymous else self.key
        variant = self.variant if page == EXPERIMENT_PAGE and kind != "back_used" else ""
        self.events.append(
            (self.at, SLUG, kind, journey, page, field, detail, self.channel, device, variant,
             value)
        )  # fmt: skip
        return True

    def page(self, page: str, *, first: bool = False, saved: bool = True) -> bool:
        """Views `page`, maybe makes mistakes on it, maybe leaves; whether it was answered."""
        rng = self.rng
        view: dict[str, Any] = (
            {"anonymous": True, "device": self.device} if first and not saved else {}
        )
        if not self.add(rng.uniform(3, 25), "page_viewed", page, **view):
            return False
        for field_id, message in MESSAGES.get(page, []):
            if rng.random() < 0.07:
                where: dict[str, Any] = {"anonymous": not saved}
                if not self.add(rng.uniform(10, 60), "validation_error", page,
                                field=field_id, detail=message, **where):  # fmt: skip
                    return False
        if rng.random() < (0.06 if first else 0.025):
            return False  # left here
        answered: dict[str, Any] = {"device": self.device} if first else {}
        return self.add(rng.uniform(8, 90), "page_answered", page, **answered)


def journey(rng: random.Random, start: int, now: int, feedback: Feedback) -> list[Row]:
    """The events of one journey started at `start`, and of its case."""
    j = _Journey(rng, start, now)
    for _ in range(rng.choices([0, 1, 2], [70, 25, 5])[0]):  # looked, came back later
        j.add(rng.uniform(0, 600), "page_viewed", "where-you-live", anonymous=True)
    if not j.page("where-you-live", first=True, saved=False):
        return j.events
    where = rng.choices(["here", "away", "stop"], [75, 17, 8])[0]
    if where == "stop":
        j.add(4, "page_viewed", "not-eligible")
        j.add(0, "exit_reached", "not-eligible")
        return j.events
    route = (["living-away"] if where == "away" else []) + ["your-name", "date-of-birth"]
    route += ["have-badge"] + (["badge-number"] if rng.random() < 0.4 else [])
    route += ["contact", "walking"]
    before = "where-you-live"
    for page in route:
        if page == "living-away":  # content: viewed and continued
            if not j.add(rng.uniform(3, 20), "page_viewed", page) or rng.random() < 0.03:
                return j.events
            if not j.add(rng.uniform(10, 60), "page_answered", page):
                return j.events
        elif not j.page(page):
            return j.events
        if rng.random() < 0.04 and not j.add(4, "back_used", before):
            return j.events
        if rng.random() < 0.015:
            if not j.add(5, "saved") or rng.random() < 0.4:
                return j.events
            if not j.add(rng.uniform(3600, 3 * DAY), "resumed"):
                return j.events
        before = page
    if not j.add(5, "page_viewed", "check-answers"):
        return j.events
    if rng.random() < 0.1:
        changed = rng.choice(route)
        if not (j.add(20, "change_used", changed) and j.page(changed)):
            return j.events
        if not j.add(5, "page_viewed", "check-answers"):
            return j.events
    if rng.random() < 0.04:
        return j.events
    took = j.at + 30 - start
    if not j.add(30, "submitted", device=j.device, value=took):
        return j.events
    if j.channel == "online" and rng.random() < 0.45:
        rating = rng.choices(*RATINGS)[0]
        if j.add(40, "rated", value=rating):
            comment = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
            feedback.rows.append((j.at, j.key, rating, comment, j.channel))
    if not j.add(1, "case_opened", anonymous=True, detail=QUEUE):
        return j.events
    decided_after = int(rng.uniform(0.2, 15) * DAY)
    outcome = rng.choices(["approved", "rejected", "closed"], [7, 2, 1])[0]
    j.add(decided_after, "case_decided", anonymous=True, detail=QUEUE, field=outcome,
          value=decided_after)  # fmt: skip
    return j.events


def _starts(rng: random.Random, day: int, count: int) -> Iterator[int]:
    """`count` start times on the day beginning at `day` (epoch seconds), by hour of day."""
    for hour in rng.choices(range(24), HOURS, k=count):
        yield day + hour * 3600 + rng.randrange(3600)


def per_journey(seed: int = 1) -> float:
    """The mean number of events a journey writes (from a sample of them)."""
    rng = random.Random(seed)
    sample = 4000
    far = 10**12
    return sum(len(journey(rng, 0, far, Feedback())) for _ in range(sample)) / sample


def stream(count: int, now: int, feedback: Feedback, *, days: int = 365) -> Iterator[Row]:
    """About `count` events over the `days` before `now` (epoch seconds), in time order."""
    rng = random.Random(20261207)
    # A little over: journeys begun in the last days are cut short at now.
    journeys = count * 1.006 / per_journey()
    mean_weight = sum(WEEKDAYS) / 7
    first = (now // DAY - days) * DAY  # midnight UTC, `days` ago
    pending: list[tuple[int, int, Row]] = []  # (at, sequence, row): a heap
    sequence = 0
    for n in range(days + 1):
        day = first + n * DAY
        weekday = (day // DAY + 3) % 7  # 1 January 1970 was a Thursday
        # Growing over the year, as a new service's traffic does.
        growth = 0.8 + 0.4 * n / days
        today = round(journeys / days * growth * WEEKDAYS[weekday] / mean_weight)
        for start in _starts(rng, day, today):
            if start > now:
                continue
            for row in journey(rng, start, now, feedback):
                heapq.heappush(pending, (row[0], sequence, row))
                sequence += 1
        end = day + DAY
        while pending and pending[0][0] < end:
            yield heapq.heappop(pending)[2]
    while pending:
        yield heapq.heappop(pending)[2]
