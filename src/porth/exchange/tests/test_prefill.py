""" "Tell us once" end to end over real HTTP: the council's journey asks the citizen, calls
the agency (another organisation in this Porth, on the live server), shows what it got, and
the submission records where each answer came from."""

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from porth.accounts.models import Role
from porth.applications.tests.helpers import citizen, sign_in
from porth.audit.models import AuditEvent
from porth.casework.tests.helpers import signed_in, staff
from porth.exchange import actions, partners, transport
from porth.exchange.models import Consent, MessageLog, Outcome, Partner, PrefilledAnswer
from porth.services import registry
from porth.submissions.models import Submission

from .helpers import PROVIDER, Pair, answer_json, fake_server
from .helpers import pair as make_pair
from .prefill_helpers import BASE, EMAIL, send, set_up, to_consent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[Pair]:
    settings.PORTH_SERVICES_DIR = tmp_path
    partners.forget()
    pair = make_pair(live_server.url)
    set_up(pair, tmp_path)
    yield pair
    partners.forget()
    transport.http().close()
    transport.http.cache_clear()
    registry.reload()


def test_consent_is_asked_first_and_nothing_is_fetched_before(two: Pair) -> None:
    client = Client()
    to_consent(client)
    page = client.get(f"{BASE}/your-benefits/consent").content.decode()
    assert "Can we get your details from Benefits Agency?" in page
    assert "whether you get Pension Credit" in page
    assert "so you do not have to tell us again" in page
    assert "Yes, get my details from Benefits Agency" in page
    assert "No, I will enter them myself" in page
    response = client.post(f"{BASE}/your-benefits/consent", {})
    assert response.status_code == 400
    assert "Select yes if you want us to get your details from Benefits Agency" in (
        response.content.decode()
    )
    assert not MessageLog.objects.exists()
    assert not Consent.objects.exists()


def test_fetched_answers_are_shown_changeable_and_sent_with_their_source(two: Pair) -> None:
    client = Client()
    to_consent(client)
    response = client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    assert response.headers["Location"] == f"{BASE}/your-benefits"
    page = client.get(f"{BASE}/your-benefits").content.decode()
    assert "We got these answers from Benefits Agency." in page
    assert 'value="Jo Bloggs"' in page
    assert 'value="yes" checked' in page
    consent = Consent.objects.get()
    assert consent.given and consent.outcome == Outcome.ANSWERED
    assert consent.purpose == "council-tax-reduction" and consent.journey_id
    sent = MessageLog.objects.get(organisation=two.caller)
    assert sent.message_id == consent.message_id and sent.reference.startswith("J-")
    assert MessageLog.objects.filter(organisation=two.provider, outcome="answered").count() == 1
    assert AuditEvent.objects.filter(action="prefill.consent_given").count() == 1

    send(client, full_name="Jo Changed", gets_pension_credit="yes")
    submission = Submission.objects.get()
    rows = {row.field: row for row in PrefilledAnswer.objects.filter(submission=submission)}
    assert set(rows) == {"full_name", "gets_pension_credit"}
    assert rows["full_name"].changed is True
    assert rows["gets_pension_credit"].changed is False
    assert all(row.value is None and row.journey_id is None for row in rows.values())
    assert {row.message_id for row in rows.values()} == {consent.message_id}
    assert Consent.objects.get().submission == submission

    # The caseworker sees where the answers came from.
    caseworker = signed_in(staff((two.caller, Role.CASEWORKER)))
    page = caseworker.get(f"/staff/cases/{submission.reference}").content.decode()
    assert "Answers from other organisations" in page
    assert "From Benefits Agency (benefits)" in page and consent.message_id in page
    assert "Changed by the applicant." in page and "Not changed by the applicant." in page


def test_no_means_no_call_and_the_page_as_usual(two: Pair) -> None:
    client = Client()
    to_consent(client)
    response = client.post(f"{BASE}/your-benefits/consent", {"consent": "no"})
    assert response.headers["Location"] == f"{BASE}/your-benefits"
    page = client.get(f"{BASE}/your-benefits").content.decode()
    assert "prefill-notice" not in page and "Jo Bloggs" not in page
    assert not MessageLog.objects.exists()
    assert Consent.objects.get().given is False
    assert AuditEvent.objects.filter(action="prefill.consent_refused").count() == 1
    send(client, full_name="Jo Typed", gets_pension_credit="no")
    assert not PrefilledAnswer.objects.exists()


def _slow(handler: BaseHTTPRequestHandler) -> None:
    import time

    time.sleep(1.5)
    answer_json(200, {})(handler)


@pytest.mark.parametrize("fault", ["500", "down", "timeout", "refused"])
def test_a_partner_that_fails_leaves_the_journey_usable(
    two: Pair, fault: str, settings: Any
) -> None:
    settings.PORTH_EXCHANGE_TIMEOUT = 0.5
    client = Client()
    email = "someone.else@example.com" if fault == "refused" else EMAIL
    to_consent(client, email)
    handler = _slow if fault == "timeout" else answer_json(500, {"error": "boom"})
    with fake_server(handler) as url:
        if fault in {"500", "timeout"}:
            Partner.objects.filter(slug=PROVIDER).update(base_url=url)
        elif fault == "down":
            Partner.objects.filter(slug=PROVIDER).update(base_url="http://127.0.0.1:9")
        partners.forget()
        response = client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    assert response.headers["Location"] == f"{BASE}/your-benefits"
    page = client.get(f"{BASE}/your-benefits").content.decode()
    assert "We could not get your details from Benefits Agency. Enter them below." in page
    sent = MessageLog.objects.get(organisation=two.caller)
    assert sent.outcome == (Outcome.REFUSED if fault == "refused" else Outcome.UNAVAILABLE)
    # Nothing typed is lost: the earlier answer is still there, and the journey goes on.
    assert f'value="{email}"' in client.get(f"{BASE}/email").content.decode()
    send(client, full_name="Jo Typed", gets_pension_credit="no")
    assert Submission.objects.count() == 1
    assert not PrefilledAnswer.objects.exists()


def test_a_withdrawn_consent_is_not_used_again(two: Pair) -> None:
    account = citizen()
    client = sign_in(Client(), account)
    to_consent(client)
    client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    consent = Consent.objects.get()
    assert consent.citizen == account
    assert MessageLog.objects.get(organisation=two.caller).citizen == account
    actions.withdraw_consent(consent, citizen=account)
    # The journey in progress asks again, and what was fetched is gone.
    response = client.get(f"{BASE}/your-benefits")
    assert response.headers["Location"] == f"{BASE}/your-benefits/consent"
    assert not PrefilledAnswer.objects.exists()
    client.post(f"{BASE}/your-benefits/consent", {"consent": "no"})
    page = client.get(f"{BASE}/your-benefits").content.decode()
    assert "Jo Bloggs" not in page
    assert MessageLog.objects.filter(organisation=two.caller).count() == 1
    assert AuditEvent.objects.filter(action="prefill.consent_withdrawn").count() == 1


def test_only_the_citizen_who_gave_it_may_withdraw_a_consent(two: Pair) -> None:
    account = citizen()
    client = sign_in(Client(), account)
    to_consent(client)
    client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    with pytest.raises(actions.NotAllowed):
        actions.withdraw_consent(Consent.objects.get(), citizen=citizen())
    assert Consent.objects.get().withdrawn_at is None


def test_welsh(two: Pair) -> None:
    client = Client()
    client.post(f"{BASE}/email?lang=cy", {"email": EMAIL})
    page = client.get(f"{BASE}/your-benefits/consent?lang=cy").content.decode()
    assert "a ydych yn cael Credyd Pensiwn" in page
