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


# --- Who has asked about me, and the consents on Your applications --------------------------


def test_the_data_tracker_lists_the_citizens_own_calls_in_words(two: Pair) -> None:
    jo, sam = citizen(), citizen()
    jo_client, sam_client = sign_in(Client(), jo), sign_in(Client(), sam)
    for client in (jo_client, sam_client):
        to_consent(client)
        client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    page = jo_client.get("/your-applications/who-used-your-data").content.decode()
    assert "1 request" in page
    assert "Borough Council" in page and "Benefits Agency" in page
    assert "Benefits received" in page  # the exchange service's name
    assert "Apply for Council Tax Reduction" in page  # what for: the citizen's service
    assert "so you do not have to tell us again" in page
    assert "Answered" in page and "Not sent" in page
    send(jo_client, full_name="Jo Bloggs", gets_pension_credit="yes")
    reference = Submission.objects.get(citizen=jo).reference
    page = jo_client.get("/your-applications/who-used-your-data").content.decode()
    assert reference in page and "Not sent" not in page
    application = jo_client.get(f"/your-applications/{reference}").content.decode()
    assert "For this application, you agreed that we could ask" in application
    assert Submission.objects.get(citizen=jo).reference not in (
        sam_client.get("/your-applications/who-used-your-data").content.decode()
    )


def test_the_data_tracker_is_paginated_newest_first(two: Pair) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from porth.exchange import log

    jo = citizen()
    start = timezone.now() - timedelta(days=1)
    for n in range(21):
        log.append(
            two.caller,
            at=start + timedelta(minutes=n),
            message_id=f"m-{n}",
            direction="out",
            caller=two.caller.slug,
            provider=PROVIDER,
            service="benefits",
            purpose="council-tax-reduction",
            reference=f"REF-{n:02d}",
            outcome=Outcome.REFUSED if n == 0 else Outcome.ANSWERED,
            citizen=jo,
        )
    client = sign_in(Client(), jo)
    first = client.get("/your-applications/who-used-your-data").content.decode()
    assert "21 requests" in first and "REF-20" in first and "REF-00" not in first
    assert 'href="?page=2"' in first and "govuk-pagination" in first
    second = client.get("/your-applications/who-used-your-data?page=2").content.decode()
    assert "REF-00" in second and "REF-01" not in second
    assert "Council tax reduction" in second and "Refused" in second  # purpose in words
    assert client.get("/your-applications/who-used-your-data?page=x").status_code == 200


def test_the_data_tracker_asks_to_sign_in(two: Pair) -> None:
    response = Client().get("/your-applications/who-used-your-data")
    assert response.status_code == 200
    assert "If you sign in when you apply" in response.content.decode()


def test_consents_are_listed_and_can_be_withdrawn(two: Pair) -> None:
    jo = citizen()
    client = sign_in(Client(), jo)
    to_consent(client)
    client.post(f"{BASE}/your-benefits/consent", {"consent": "yes"})
    consent = Consent.objects.get()
    page = client.get("/your-applications").content.decode()
    assert "Information we got from other organisations" in page
    assert "whether you get Pension Credit" in page and "Benefits Agency" in page
    url = f"/your-applications/consents/{consent.pk}/withdraw"
    assert url in page and "/your-applications/who-used-your-data" in page
    confirm = client.get(url).content.decode()
    assert "Are you sure you want to withdraw your consent?" in confirm
    assert "Answers you have already sent stay with your application." in confirm
    # Someone else's consent is not found.
    assert sign_in(Client(), citizen()).post(url).status_code == 404
    assert Consent.objects.get().withdrawn_at is None
    response = client.post(url)
    assert response.status_code == 303
    assert Consent.objects.get().withdrawn_at is not None
    assert "Withdrawn on" in client.get("/your-applications").content.decode()
    assert AuditEvent.objects.filter(action="prefill.consent_withdrawn").count() == 1
    # The journey in progress asks again.
    assert client.get(f"{BASE}/your-benefits").headers["Location"].endswith("/consent")
