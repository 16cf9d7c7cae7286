"""Assisted digital: staff going through a citizen journey on someone's behalf."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts.models import Membership, Organisation, Role, User
from porth.audit.models import AuditEvent
from porth.casework.models import Case
from porth.services import registry
from porth.submissions.assisted import MARKER_COOKIE
from porth.submissions.models import Journey, Submission

pytestmark = pytest.mark.django_db

SLUG = "apply-for-a-thing"
OTHER = "other-councils-thing"
BASE = f"/services/{SLUG}"
START = "/staff/apply"
BANNER = "You are applying on behalf of a citizen"


def _service(slug: str, organisation: str) -> dict[str, Any]:
    text = lambda en: {"en": en, "cy": f"{en} (cy)"}  # noqa: E731
    return {
        "slug": slug,
        "name": text(f"Service {slug}"),
        "summary": text("For tests"),
        "organisation": {"id": organisation, "name": text(organisation)},
        "start": {"body": text("Use this service to apply.")},
        "pages": [
            {"id": "name", "fields": [{"id": "full_name", "type": "text", "label": text("Name")}]},
            {"id": "email", "fields": [{"id": "email", "type": "email", "label": text("Email")}]},
        ],
        "declaration": {"body": text("What you told us is true.")},
        "confirmation": {"body": text("We will reply.")},
        "on_submit": [{"case": {"queue": "things"}}],
    }


@pytest.fixture(autouse=True)
def services(tmp_path: Any, settings: Any) -> Iterator[None]:
    settings.PORTH_SERVICES_DIR = tmp_path
    for slug, organisation in [(SLUG, "test-council"), (OTHER, "other-council")]:
        text = yaml.safe_dump(_service(slug, organisation), sort_keys=False)
        (tmp_path / f"{slug}.yaml").write_text(text)
    registry.reload()
    yield
    registry.reload()


# --- Staff, signed in with both factors ------------------------------------------------


def _staff(username: str, organisation: str, role: str = Role.CASEWORKER) -> User:
    user = User.objects.create_user(username, password="not-used-in-tests-1")
    org, _ = Organisation.objects.get_or_create(slug=organisation, defaults={"name": organisation})
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _edit_session(client: Client, **changes: Any) -> None:
    """Change the signed-cookie session (the test client cannot save one back by itself)."""
    session = client.session
    for key, value in changes.items():
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(session.session_key)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    changes: dict[str, Any] = {DEVICE_ID_SESSION_KEY: device.persistent_id}
    try:  # the staff session limits, where the accounts app keeps them
        from porth.accounts import staff_session
    except ImportError:
        pass
    else:
        now = time.time()
        changes[staff_session.SIGNED_IN_AT] = now
        changes[staff_session.SEEN_AT] = now
        changes[staff_session.EPOCH] = getattr(user, "session_epoch", 0)
    _edit_session(client, **changes)
    return client


@pytest.fixture
def caseworker() -> User:
    return _staff("cara", "test-council")


@pytest.fixture
def staff(caseworker: User) -> Client:
    return _signed_in(caseworker)


# --- Going through ---------------------------------------------------------------------


def _start(client: Client, channel: str, service: str = SLUG) -> str:
    response = client.post(START, {"service": service, "channel": channel})
    assert response.status_code == 303, response.content.decode()[:2000]
    return response.headers["Location"]


def _answer(client: Client, page: str, data: dict[str, str]) -> str:
    response = client.post(f"{BASE}/{page}", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return response.headers["Location"]


def _go_through(client: Client, **extra: str) -> Submission:
    _answer(client, "name", {"full_name": "Jo Bloggs", **extra})
    assert _answer(client, "email", {"email": "jo@example.com", **extra}) == f"{BASE}/check-answers"
    sent = client.post(f"{BASE}/check-answers", extra)
    assert sent.headers["Location"] == f"{BASE}/confirmation"
    return Submission.objects.latest("pk")


@pytest.mark.parametrize("channel", ["assisted", "phone", "paper"])
def test_an_assisted_journey_is_recorded_with_its_channel_and_caseworker(
    staff: Client, caseworker: User, channel: str
) -> None:
    assert _start(staff, channel) == f"{BASE}/name"
    page = staff.get(f"{BASE}/name").content.decode()
    assert f"{BANNER} (channel: {channel}). Reference will be given at the end." in page
    assert 'href="/staff/apply/apply-for-a-thing/stop"' in page

    submission = _go_through(staff)

    assert submission.channel == channel
    assert submission.submitted_by == caseworker
    assert Case.objects.get(submission=submission).channel == channel
    confirmation = staff.get(f"{BASE}/confirmation").content.decode()
    assert submission.reference in confirmation
    assert f'href="/staff/cases/{submission.reference}"' in confirmation
    # Assisted mode ended with the confirmation.
    assert BANNER not in staff.get(f"{BASE}/name").content.decode()
    assert MARKER_COOKIE not in staff.cookies or not staff.cookies[MARKER_COOKIE].value


def test_a_citizen_journey_in_the_same_browser_afterwards_is_online(staff: Client) -> None:
    _start(staff, "phone")
    _go_through(staff)
    staff.get(f"{BASE}/confirmation")

    own = _go_through(staff)

    assert own.channel == "online"
    assert own.submitted_by is None


def test_a_citizens_journey_in_progress_is_kept_apart_from_the_assisted_one(
    staff: Client,
) -> None:
    _answer(staff, "name", {"full_name": "My Own Name"})
    _start(staff, "paper")
    assert "My Own Name" not in staff.get(f"{BASE}/name").content.decode()
    _go_through(staff)
    staff.get(f"{BASE}/confirmation")

    assert 'value="My Own Name"' in staff.get(f"{BASE}/name").content.decode()


def test_starting_and_sending_are_audited_with_the_caseworker(
    staff: Client, caseworker: User
) -> None:
    _start(staff, "phone")
    submission = _go_through(staff)

    started = AuditEvent.objects.get(action="assisted.started")
    assert started.actor == caseworker
    assert started.organisation is not None and started.organisation.slug == "test-council"
    assert started.data == {"service": SLUG, "channel": "phone"}
    created = AuditEvent.objects.get(action="submission.created")
    assert created.actor == caseworker
    assert created.data["reference"] == submission.reference
    assert created.data["channel"] == "phone"


def test_record_an_application_is_the_same_page_set_for_paper(staff: Client) -> None:
    assert reverse("record-application") == "/staff/apply/record"
    html = staff.get(reverse("record-application")).content.decode()
    assert 'value="paper" checked' in html
    assert 'value="assisted"' not in html
    assert 'value="assisted" checked' in staff.get(START).content.decode()


# --- Who may ----------------------------------------------------------------------------


def test_signed_out_staff_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(START)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(settings.LOGIN_URL)
    assert client.post(START, {"service": SLUG, "channel": "phone"}).status_code == 302
    assert not Journey.objects.exists()


def test_a_citizen_cannot_turn_on_assisted_mode_with_forged_fields(
    client: Client, caseworker: User
) -> None:
    forged = {"channel": "phone", "assisted_by": str(caseworker.pk), "assisted": "1"}
    assert BANNER not in client.get(f"{BASE}/name").content.decode()

    submission = _go_through(client, **forged)

    assert submission.channel == "online"
    assert submission.submitted_by is None
    assert not AuditEvent.objects.filter(action="assisted.started").exists()


def test_a_caseworker_cannot_start_another_organisations_service(staff: Client) -> None:
    html = staff.get(START).content.decode()
    assert SLUG in html
    assert OTHER not in html

    assert staff.post(START, {"service": OTHER, "channel": "phone"}).status_code == 404
    assert not Journey.objects.exists()
    assert not AuditEvent.objects.filter(action="assisted.started").exists()


def test_roles_other_than_caseworker_and_team_leader_get_404() -> None:
    auditor = _signed_in(_staff("aud", "test-council", Role.AUDITOR))
    assert auditor.get(START).status_code == 404
    leader = _signed_in(_staff("tl", "test-council", Role.TEAM_LEADER))
    assert leader.get(START).status_code == 200


def test_a_missing_choice_is_an_error_not_a_journey(staff: Client) -> None:
    response = staff.post(START, {"channel": "phone"})
    assert response.status_code == 400
    assert "Choose a service" in response.content.decode()
    assert not Journey.objects.exists()


# --- The banner and the cached page shell ------------------------------------------------


def test_a_citizen_never_sees_the_banner_cached_for_staff(staff: Client) -> None:
    citizen = Client()
    _start(staff, "phone")
    assert BANNER in staff.get(f"{BASE}/name").content.decode()  # the shell is made here
    assert BANNER not in citizen.get(f"{BASE}/name").content.decode()
    # And the other way round: a shell made for a citizen still shows staff the banner.
    _answer(citizen, "name", {"full_name": "Citizen"})
    assert BANNER not in citizen.get(f"{BASE}/email").content.decode()
    _answer(staff, "name", {"full_name": "For someone"})
    assert BANNER in staff.get(f"{BASE}/email").content.decode()


def test_the_banner_is_on_check_answers_in_assisted_mode_only(staff: Client) -> None:
    citizen = Client()
    _answer(citizen, "name", {"full_name": "Someone"})
    _start(staff, "paper")
    _answer(staff, "name", {"full_name": "For someone"})
    _answer(staff, "email", {"email": "a@example.com"})
    _answer(citizen, "email", {"email": "b@example.com"})
    assert "(channel: paper)" in staff.get(f"{BASE}/check-answers").content.decode()
    assert BANNER not in citizen.get(f"{BASE}/check-answers").content.decode()


# --- Stopping ---------------------------------------------------------------------------


def test_staff_who_lose_their_second_factor_midjourney_are_stopped_with_a_message(
    staff: Client,
) -> None:
    _start(staff, "phone")
    _answer(staff, "name", {"full_name": "Jo Bloggs"})
    _edit_session(staff, **{DEVICE_ID_SESSION_KEY: None})

    response = staff.post(f"{BASE}/email", {"email": "jo@example.com"})

    assert response.status_code == 303
    assert response.headers["Location"] == reverse("assisted-stopped")
    assert "You were signed out" in staff.get(response.headers["Location"]).content.decode()
    assert not Journey.objects.exists()  # the citizen's answers so far are gone
    assert not Submission.objects.exists()
    stopped = AuditEvent.objects.get(action="assisted.stopped")
    assert stopped.data["reason"] == "signed out"
    # What the browser does next is a citizen's journey, from the start.
    assert BANNER not in staff.get(f"{BASE}/name").content.decode()


def test_a_session_emptied_by_signing_out_stops_rather_than_going_on_as_online(
    staff: Client,
) -> None:
    _start(staff, "paper")
    _answer(staff, "name", {"full_name": "Jo Bloggs"})
    assert staff.cookies[MARKER_COOKIE].value
    del staff.cookies[settings.SESSION_COOKIE_NAME]  # what sign-out leaves: a new session

    response = staff.post(f"{BASE}/name", {"full_name": "Jo Bloggs"})

    assert response.headers["Location"] == reverse("assisted-stopped")
    assert not Journey.objects.exists()
    assert not staff.cookies[MARKER_COOKIE].value
    # Once told, the browser is an ordinary citizen's.
    assert staff.get(f"{BASE}/name").status_code == 200


def test_another_member_of_staff_cannot_carry_on_someone_elses_assisted_journey(
    staff: Client,
) -> None:
    _start(staff, "phone")
    other = _staff("bob", "test-council")
    staff.force_login(other)  # a new sign-in in the same browser
    _edit_session(
        staff,
        **{
            DEVICE_ID_SESSION_KEY: TOTPDevice.objects.create(
                user=other, name="p", confirmed=True
            ).persistent_id
        },
    )
    response = staff.get(f"{BASE}/name")
    assert response.headers["Location"] == reverse("assisted-stopped")
    assert not Journey.objects.exists()
    assert BANNER not in staff.get(f"{BASE}/name").content.decode()


def test_stopping_asks_first_then_deletes_the_unfinished_journey(staff: Client) -> None:
    _start(staff, "phone")
    _answer(staff, "name", {"full_name": "Jo Bloggs"})
    stop = f"/staff/apply/{SLUG}/stop"

    asked = staff.get(stop)
    assert asked.status_code == 200
    assert Journey.objects.exists()
    assert f'href="{BASE}/email"' in asked.content.decode()  # carry on where they were

    response = staff.post(stop)

    assert response.headers["Location"] == START
    assert not Journey.objects.exists()
    assert AuditEvent.objects.get(action="assisted.stopped").data["reason"] == "stopped by staff"
    assert BANNER not in staff.get(f"{BASE}/name").content.decode()
