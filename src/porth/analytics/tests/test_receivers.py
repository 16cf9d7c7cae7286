"""What a journey and its case leave in performance data, page by page, through the test
client: the events a service owner's figures are made from."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.dispatch import receiver
from django.test import Client

from porth.accounts.models import Role
from porth.analytics.models import Event
from porth.analytics.recorder import journey_key
from porth.casework import actions as casework
from porth.casework.models import Case
from porth.casework.tests.helpers import organisation, signed_in, staff
from porth.conftest import MINIMAL
from porth.services import registry
from porth.submissions.models import Journey, Submission
from porth.submissions.signals import saved_for_later

pytestmark = pytest.mark.django_db

SLUG = "test-service"
BASE = f"/services/{SLUG}"
CHECK = f"{BASE}/check-answers"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
PAGES = """
  - id: where
    fields:
      - id: area
        type: radios
        label: {en: "Where do you live?", cy: "Ble rydych chi'n byw?"}
        options:
          - {value: here, label: {en: Here, cy: Yma}}
          - {value: elsewhere, label: {en: Somewhere else, cy: Rhywle arall}}
    next:
      - {when: answers.area == "elsewhere", goto: not-here}
      - goto: name
  - id: not-here
    kind: exit
    title: {en: "You cannot use this service", cy: "Ni allwch ddefnyddio'r gwasanaeth hwn"}
    body: {en: "Ask your own council.", cy: "Gofynnwch i'ch cyngor eich hun."}
  - id: name
    fields:
      - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"}}
  - id: email
    fields:
      - {id: email, type: email, label: {en: Your email address, cy: Eich cyfeiriad e-bost}}
"""
ON_SUBMIT = """
on_submit:
  - case: {queue: things, queue_name: {en: Things}, sla: P10D}
"""
BAD_EMAIL = "Enter an email address in the correct format, like name@example.com"


@pytest.fixture(autouse=True)
def service(tmp_path: Any, settings: Any) -> Iterator[None]:
    settings.PORTH_SERVICES_DIR = tmp_path
    settings.PORTH_BASE_URL = "https://council.example"
    (tmp_path / f"{SLUG}.yaml").write_text(MINIMAL.format(slug=SLUG, pages=PAGES) + ON_SUBMIT)
    registry.reload()
    yield
    registry.reload()


@pytest.fixture
def links() -> Iterator[list[str]]:
    """The resume links of "save and come back later", as the message would carry them."""
    found: list[str] = []

    @receiver(saved_for_later, dispatch_uid="test_receivers")
    def keep(sender: Any, link: str, **kwargs: Any) -> None:
        found.append(link.removeprefix("https://council.example").split("?")[0])

    yield found
    saved_for_later.disconnect(dispatch_uid="test_receivers")


def _events(**only: Any) -> list[tuple[str, ...]]:
    """(kind, page, field, detail, channel, device) of the events so far, in order."""
    rows = Event.objects.filter(**only).order_by("id")
    return [(e.kind, e.page, e.field, e.detail, e.channel, e.device) for e in rows]


def _post(client: Client, page: str, data: dict[str, str], change: bool = False) -> str:
    response = client.post(f"{BASE}/{page}" + ("?change=1" if change else ""), data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return str(response.headers["Location"])


def test_a_whole_journey_leaves_each_step_in_order(links: list[str]) -> None:
    phone = Client(HTTP_USER_AGENT=IPHONE)
    assert phone.get(f"{BASE}/where").status_code == 200
    assert phone.post(f"{BASE}/where", {}).status_code == 200  # nothing chosen
    assert _post(phone, "where", {"area": "elsewhere"}) == f"{BASE}/not-here"
    assert phone.get(f"{BASE}/not-here").status_code == 200
    assert phone.get(f"{BASE}/where").status_code == 200  # back, to think again
    _post(phone, "where", {"area": "here"})
    phone.get(f"{BASE}/name")
    _post(phone, "name", {"full_name": "Jo"})
    phone.get(f"{BASE}/email")
    assert phone.post(f"{BASE}/email", {"email": "jo at home"}).status_code == 200
    _post(phone, "email", {"email": "jo@example.com"})
    phone.get(CHECK)
    phone.get(f"{BASE}/name?change=1")
    _post(phone, "name", {"full_name": "Jo Bloggs"}, change=True)
    phone.get(CHECK)
    # Saved on the laptop at work, finished there.
    phone.get(f"{BASE}/name")
    _post(phone, "name", {"full_name": "Jo Bloggs", "save-for-later": ""})
    phone.post(f"{BASE}/save-for-later", {"how": "email", "email": "jo@example.com"})
    laptop = Client()
    assert laptop.post(links[0]).status_code == 303
    laptop.get(CHECK)
    assert laptop.post(CHECK).headers["Location"] == f"{BASE}/confirmation"

    journey = journey_key(Journey.objects.get().pk)
    assert _events(journey=None) == [
        ("page_viewed", "where", "", "", "online", "mobile"),
        ("validation_error", "where", "area", "Select an option", "online", ""),
        ("case_opened", "", "", "things", "online", ""),
    ]
    assert _events(journey=journey) == [
        ("page_answered", "where", "", "", "online", "mobile"),  # stored: a journey starts
        ("exit_reached", "not-here", "", "", "online", ""),
        ("page_viewed", "where", "", "", "online", "mobile"),
        ("back_used", "where", "", "", "online", ""),
        ("page_answered", "where", "", "", "online", ""),
        ("page_viewed", "name", "", "", "online", ""),
        ("page_answered", "name", "", "", "online", ""),
        ("page_viewed", "email", "", "", "online", ""),
        ("validation_error", "email", "email", BAD_EMAIL, "online", ""),
        ("page_answered", "email", "", "", "online", ""),
        ("page_viewed", "check-answers", "", "", "online", ""),
        ("page_viewed", "name", "", "", "online", ""),
        ("change_used", "name", "", "", "online", ""),
        ("page_answered", "name", "", "", "online", ""),
        ("page_viewed", "check-answers", "", "", "online", ""),
        ("page_viewed", "name", "", "", "online", ""),
        ("back_used", "name", "", "", "online", ""),
        ("page_answered", "name", "", "", "online", ""),
        ("saved", "", "", "", "online", ""),
        ("resumed", "", "", "", "online", ""),
        ("page_viewed", "check-answers", "", "", "online", ""),
        ("submitted", "", "", "", "online", "other"),  # the laptop's client names no browser
    ]
    submitted = Event.objects.get(kind="submitted")
    assert submitted.value is not None and 0 <= submitted.value < 60


def test_a_welsh_page_records_the_english_message() -> None:
    client = Client()
    client.get(f"{BASE}/where?lang=cy")
    _post(client, "where", {"area": "here"})

    refused = client.post(f"{BASE}/name", {"full_name": ""})

    assert refused.status_code == 200
    assert Event.objects.get(kind="validation_error").detail == "Enter your answer"


def test_a_head_request_is_not_a_view() -> None:
    Client().head(f"{BASE}/where")

    assert not Event.objects.exists()


def test_nothing_answered_leaves_only_visits() -> None:
    Client().get(f"{BASE}/where")
    Client().get(f"{BASE}/where")

    assert _events() == [("page_viewed", "where", "", "", "online", "other")] * 2
    assert not Journey.objects.exists()


@pytest.mark.parametrize("channel", ["assisted", "phone", "paper"])
def test_an_assisted_journey_and_its_case_carry_their_channel(channel: str) -> None:
    council = organisation("test-council")
    worker = signed_in(staff((council, Role.CASEWORKER)))
    started = worker.post("/staff/apply", {"service": SLUG, "channel": channel})
    assert started.headers["Location"] == f"{BASE}/where"

    worker.get(f"{BASE}/where")
    _post(worker, "where", {"area": "here"})
    _post(worker, "name", {"full_name": "Jo Bloggs"})
    _post(worker, "email", {"email": "jo@example.com"})
    worker.post(CHECK)

    assert Submission.objects.get().channel == channel
    kinds = [(kind, event_channel) for kind, _, _, _, event_channel, _ in _events()]
    assert kinds == [
        ("page_viewed", channel),
        ("page_answered", channel),
        ("page_answered", channel),
        ("page_answered", channel),
        ("case_opened", channel),
        ("submitted", channel),
    ]
    # The assisted journey was stored when it started: its first view is its first event.
    assert Event.objects.filter(kind="page_viewed").get().journey is not None


def _sent(client: Client) -> Case:
    _post(client, "where", {"area": "here"})
    _post(client, "name", {"full_name": "Jo Bloggs"})
    _post(client, "email", {"email": "jo@example.com"})
    client.post(CHECK)
    return Case.objects.select_related("queue").get()


@pytest.mark.parametrize(
    ("decide", "outcome"),
    [
        (lambda case, worker: casework.approve(case, version=2, actor=worker), "approved"),
        (lambda case, worker: casework.reject(case, "No", version=2, actor=worker), "rejected"),
    ],
)
def test_a_decision_is_recorded_with_its_queue_outcome_and_time(decide: Any, outcome: str) -> None:
    council = organisation("test-council")
    worker = staff((council, Role.CASEWORKER))
    case = _sent(Client())
    case = casework.claim(case, version=1, actor=worker)

    decide(case, worker)
    casework.close(Case.objects.select_related("queue").get(), version=3, actor=worker)

    decided = Event.objects.get(kind="case_decided")
    assert (decided.service, decided.detail, decided.field) == (SLUG, "things", outcome)
    assert decided.value is not None and 0 <= decided.value < 60
    assert decided.journey is None
    assert Event.objects.filter(kind="case_opened", detail="things").count() == 1


def test_events_of_a_submission_rolled_back_are_not_kept(monkeypatch: Any) -> None:
    from porth.audit import service as audit

    client = Client()
    _post(client, "where", {"area": "here"})
    _post(client, "name", {"full_name": "Jo Bloggs"})
    _post(client, "email", {"email": "jo@example.com"})

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(audit, "_append", fail)
    with pytest.raises(RuntimeError):
        client.post(CHECK)

    assert not Event.objects.filter(kind__in=["submitted", "case_opened"]).exists()
    assert Event.objects.filter(kind="page_answered").count() == 3
