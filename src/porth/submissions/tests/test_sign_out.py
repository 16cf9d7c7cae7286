"""On a shared computer a citizen can clear their answers and end the session, and a journey
left alone too long is gone."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.services.definition import DefinitionError
from porth.submissions import store
from porth.submissions.models import Journey

pytestmark = pytest.mark.django_db

PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"}}
- id: colour
  fields:
    - {id: colour, type: text, label: {en: "Your colour?", cy: "Eich lliw?"}}
"""
BASE = "/services/test-service"
SIGN_OUT = f"{BASE}/sign-out"


def _csrf_tokens(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('name="csrfmiddlewaretoken" value="')[1:]]


def _started(services_dir) -> tuple[Client, str]:
    """A citizen who has answered the first question; and the next page's HTML."""
    services_dir(PAGES)
    browser = Client(enforce_csrf_checks=True)
    token = _csrf_tokens(browser.get(f"{BASE}/name").content.decode())[0]
    answered = browser.post(
        f"{BASE}/name", {"full_name": "Gwen Secret", "csrfmiddlewaretoken": token}
    )
    assert answered.status_code == 303
    return browser, browser.get(f"{BASE}/colour").content.decode()


@pytest.mark.parametrize("page", ["colour", "check-answers"])
def test_every_journey_page_offers_to_sign_out_with_the_pages_csrf_token(services_dir, page):
    browser, _ = _started(services_dir)
    browser.post(
        f"{BASE}/colour",
        {"colour": "blue", "csrfmiddlewaretoken": browser.cookies["csrftoken"].value},
    )

    html = browser.get(f"{BASE}/{page}").content.decode()

    assert f'action="{SIGN_OUT}"' in html
    assert "Sign out and clear my answers from this computer" in html
    # Both forms (the page's and this one) carry a token, shell or not.
    assert len(_csrf_tokens(html)) == 2


def test_the_offer_is_in_welsh_on_welsh_pages(services_dir):
    browser, _ = _started(services_dir)

    html = browser.get(f"{BASE}/colour?lang=cy").content.decode()

    assert "Allgofnodi a chlirio fy atebion o’r cyfrifiadur hwn" in html
    assert "Sign out" not in html


def test_signing_out_deletes_the_answers_and_forgets_the_journey(services_dir):
    browser, html = _started(services_dir)
    assert Journey.objects.count() == 1

    response = browser.post(SIGN_OUT, {"csrfmiddlewaretoken": _csrf_tokens(html)[0]})

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/signed-out"
    assert Journey.objects.count() == 0
    done = browser.get(response.headers["Location"]).content.decode()
    assert "Your answers have been cleared from this computer" in done
    # The next person at this computer starts with nothing.
    assert "Gwen Secret" not in browser.get(f"{BASE}/name").content.decode()
    assert browser.get(f"{BASE}/colour").status_code == 303  # back to the first question


def test_signing_out_is_audited_without_anything_personal(services_dir):
    browser, html = _started(services_dir)
    journey_id = Journey.objects.get().pk

    browser.post(
        SIGN_OUT, {"csrfmiddlewaretoken": _csrf_tokens(html)[0]}, REMOTE_ADDR="203.0.113.9"
    )

    entry = AuditEvent.objects.get(action="journeys.discarded")
    assert entry.data == {"reason": "signed out", "services": ["test-service"], "count": 1}
    assert entry.ip is None and entry.actor is None
    assert journey_id not in str(entry.data)


def test_signing_out_needs_a_post_with_the_csrf_token(services_dir):
    browser, _ = _started(services_dir)

    assert browser.get(SIGN_OUT).status_code == 405
    assert browser.post(SIGN_OUT).status_code == 403
    assert Journey.objects.count() == 1


def test_another_browser_signing_out_leaves_this_journey_alone(services_dir):
    _started(services_dir)

    Client().post(SIGN_OUT)

    assert Journey.objects.count() == 1


def _idle_for(days: float) -> None:
    Journey.objects.update(updated_at=timezone.now() - timedelta(days=days))
    for journey_id in Journey.objects.values_list("pk", flat=True):
        store.forget(journey_id)  # as a worker would have, days later


def test_a_journey_left_longer_than_the_idle_days_is_gone(services_dir, settings):
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    browser, _ = _started(services_dir)
    _idle_for(7.1)

    assert browser.get(f"{BASE}/colour").status_code == 303  # starts again
    assert "Gwen Secret" not in browser.get(f"{BASE}/name").content.decode()
    assert Journey.objects.count() == 0
    assert AuditEvent.objects.get(action="journeys.discarded").data["reason"] == "idle"


def test_a_journey_within_the_idle_days_is_kept(services_dir, settings):
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    browser, _ = _started(services_dir)
    _idle_for(6.9)

    assert 'value="Gwen Secret"' in browser.get(f"{BASE}/name").content.decode()


@pytest.mark.parametrize(("days", "seconds"), [(None, 7 * 86400), ("3", 3 * 86400)])
def test_the_session_cookie_lasts_as_long_as_an_idle_journey(days, seconds):
    env = {**os.environ, "PORTH_ENV": "test"}
    env.pop("PORTH_JOURNEY_IDLE_DAYS", None)
    if days:
        env["PORTH_JOURNEY_IDLE_DAYS"] = days
    done = subprocess.run(
        [sys.executable, "-c", "import porth.conf.settings as s; print(s.SESSION_COOKIE_AGE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(done.stdout) == seconds


@pytest.mark.parametrize("page_id", ["sign-out", "signed-out"])
def test_a_page_cannot_take_the_sign_out_pages_address(services_dir, page_id):
    with pytest.raises(DefinitionError, match="reserved"):
        services_dir(
            f"- id: {page_id}\n  fields:\n    - {{id: x, type: text, label: {{en: X, cy: X}}}}\n"
        )
