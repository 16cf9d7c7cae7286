"""Random event streams of whole journeys through a service with branches (Hypothesis), and
that service, for the property tests of the roll-up."""

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import strategies as st

from porth.analytics.models import Event
from porth.conftest import MINIMAL
from porth.services import registry

SLUG = "apply-for-a-permit"

# eligible --here--> page-a --> page-c --> check answers
#          --away--> page-b (content) --> page-c
#          --stop--> not-eligible (exit)
PAGES = """
- id: eligible
  fields:
    - id: where
      type: radios
      label: {en: 'Where do you live?', cy: "Ble rydych chi'n byw?"}
      options:
        - {value: here, label: {en: Here, cy: Yma}}
        - {value: away, label: {en: Away, cy: I ffwrdd}}
        - {value: stop, label: {en: Elsewhere, cy: Rhywle arall}}
  next:
    - {when: 'answers.where == "away"', goto: page-b}
    - {when: 'answers.where == "stop"', goto: not-eligible}
    - {goto: page-a}
- id: page-a
  fields:
    - {id: name, type: text, label: {en: 'What is your name?', cy: 'Beth yw eich enw?'}}
  next: [{goto: page-c}]
- id: page-b
  kind: content
  title: {en: Living away, cy: Byw i ffwrdd}
  body: {en: Read this., cy: Darllenwch hwn.}
  next: [{goto: page-c}]
- id: not-eligible
  kind: exit
  title: {en: You cannot apply, cy: Ni allwch wneud cais}
  body: {en: Sorry., cy: "Mae'n ddrwg gennym."}
- id: page-c
  fields:
    - {id: age, type: number, label: {en: 'How old are you?', cy: 'Faint yw eich oed?'}}
"""
COSTS = "costs: {online: '0.35', assisted: '4.10', phone: '6.20'}\n"
QUESTION = {"eligible": "where", "page-a": "name", "page-c": "age"}
MESSAGES = ["Select where you live", "Enter your name", "Enter a whole number"]
CHANNELS = ["online", "online", "online", "assisted", "phone", "paper"]
DEVICES = ["mobile", "tablet", "desktop", "other", ""]
START = datetime(2026, 3, 20, tzinfo=UTC)  # British Summer Time begins on 29 March


def write_service(folder: Path) -> None:
    """The service above, served from `folder` (PORTH_SERVICES_DIR)."""
    body = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    (folder / f"{SLUG}.yaml").write_text(MINIMAL.format(slug=SLUG, pages=body) + COSTS)
    registry.reload()


@dataclass
class Step:
    gap: int  # seconds after the one before
    kind: str
    page: str = ""
    field: str = ""
    detail: str = ""
    device: str = ""
    variant: str = ""
    value: int | None = None
    journey: bool = True


@st.composite
def journey(draw: st.DrawFn) -> tuple[str, list[Step]]:
    """One journey's events: a random route, as far as the citizen got."""
    channel = draw(st.sampled_from(CHANNELS))
    device = draw(st.sampled_from(DEVICES))
    branch = draw(st.sampled_from(["here", "away", "stop"]))
    middle = {"here": "page-a", "away": "page-b", "stop": "not-eligible"}[branch]
    route = ["eligible", middle] + ([] if branch == "stop" else ["page-c", "check-answers"])
    # Some first reach page-a, then go back and take the other branch without answering it.
    if branch == "away" and draw(st.booleans()):
        route.insert(1, "page-a")
    far = draw(st.integers(1, len(route)))
    submit = route[-1] == "check-answers" and far == len(route) and draw(st.booleans())
    gap = st.integers(1, 5000)  # up to 83 minutes: some journeys go on past midnight
    variant = draw(st.sampled_from(["", "wording:a", "wording:b"]))
    steps = [
        Step(draw(gap), "page_viewed", "eligible", journey=False)
        for _ in range(draw(st.integers(0, 2)))
    ]
    # A mistake on the first page before anything is saved: an error of no journey yet.
    mistake = draw(st.booleans())
    if steps and mistake:
        message = draw(st.sampled_from(MESSAGES))
        steps.append(
            Step(draw(gap), "validation_error", "eligible", "where", message, journey=False)
        )
    total = 0
    for i, page in enumerate(route[:far]):
        on_c = variant if page == "page-c" else ""
        first = device if i == 0 else ""
        steps.append(Step(draw(gap), "page_viewed", page, device=first, variant=on_c))
        if page == "not-eligible":
            steps.append(Step(0, "exit_reached", page))
            continue
        for _ in range(draw(st.integers(0, 2)) if page in QUESTION else 0):
            message = draw(st.sampled_from(MESSAGES))
            steps.append(
                Step(draw(gap), "validation_error", page, QUESTION[page], message, variant=on_c)
            )
        if draw(st.integers(0, 5)) == 0:
            steps.append(Step(draw(gap), "back_used", page))
        if draw(st.integers(0, 5)) == 0:
            steps.append(Step(draw(gap), "change_used", page))
        if draw(st.integers(0, 8)) == 0:
            steps += [Step(draw(gap), "saved"), Step(draw(st.integers(60, 10**6)), "resumed")]
        rerouted = page == "page-a" and branch == "away"
        if page != "check-answers" and not rerouted and (i < far - 1 or draw(st.booleans())):
            steps.append(Step(draw(gap), "page_answered", page, device=first, variant=on_c))
    if submit:
        total = sum(s.gap for s in steps if s.journey)
        steps.append(Step(draw(gap), "submitted", device=device, value=total))
        if draw(st.booleans()):
            steps.append(Step(draw(gap), "rated", value=draw(st.integers(1, 5))))
        if draw(st.booleans()):
            queue = draw(st.sampled_from(["permits", "appeals"]))
            steps.append(Step(draw(gap), "case_opened", detail=queue, journey=False))
            if draw(st.booleans()):
                outcome = draw(st.sampled_from(["approved", "rejected", "closed"]))
                took = draw(st.integers(60, 40 * 24 * 3600))
                steps.append(
                    Step(
                        took, "case_decided", field=outcome, detail=queue, value=took, journey=False
                    )
                )
    return channel, steps


@st.composite
def stream(draw: st.DrawFn) -> list[Event]:
    """Journeys started at random over three weeks, their events interleaved in time order:
    the order the events were written in."""
    events: list[Event] = []
    for number in range(1, draw(st.integers(0, 25)) + 1):
        channel, steps = draw(journey())
        at = START + timedelta(seconds=draw(st.integers(0, 21 * 24 * 3600)))
        for step in steps:
            at += timedelta(seconds=step.gap)
            events.append(
                Event(
                    at=at,
                    service=SLUG,
                    kind=step.kind,
                    journey=number if step.journey else None,
                    page=step.page,
                    field=step.field,
                    detail=step.detail,
                    channel=channel if step.journey or step.kind != "page_viewed" else "",
                    device=step.device,
                    variant=step.variant,
                    value=step.value,
                )
            )
    events.sort(key=lambda e: e.at)  # stable: a journey's events at one moment keep their order
    return events
