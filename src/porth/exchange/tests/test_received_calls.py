""" "Who has asked for information about you" on the providing side: another organisation
asks this Porth over HTTP (the live server) about an application, and the signed-in citizen
who sent it sees the call; an anonymous applicant's links nobody; the chain still verifies."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from porth.applications.tests.helpers import citizen, sign_in
from porth.exchange import partners, transport
from porth.exchange.models import Direction, MessageLog, Outcome
from porth.exchange.service import call, calls_about

from .helpers import PROVIDER, PURPOSE, Pair, make_case, send, signed
from .helpers import pair as make_pair

pytestmark = pytest.mark.django_db(transaction=True)
TRACKER = "/your-applications/who-used-your-data"


@pytest.fixture
def two(live_server: Any) -> Iterator[Pair]:
    partners.forget()
    yield make_pair(live_server.url)
    partners.forget()
    transport.http().close()
    transport.http.cache_clear()


def _confirm(two: Pair, reference: str, **kwargs: Any) -> Any:
    return call(
        caller=two.caller,
        provider=PROVIDER,
        service="confirm-application",
        purpose=PURPOSE,
        reference="BC-0001",
        query={"reference": reference},
        **kwargs,
    )


def _received(two: Pair, message_id: str) -> MessageLog:
    return MessageLog.objects.get(
        organisation=two.provider, message_id=message_id, direction=Direction.IN
    )


def _verify(two: Pair) -> str:
    out = io.StringIO()
    for organisation in (two.provider, two.caller):
        call_command("exchange", "verify", organisation.slug, stdout=out)
    return out.getvalue()


def test_a_call_about_a_signed_in_citizens_application_is_on_their_tracker(two: Pair) -> None:
    jo, sam = citizen(), citizen()
    make_case(two.provider, reference="BA-1234-ABCD", citizen=jo)
    reply = _confirm(two, "BA-1234-ABCD")  # the council's own journey: not jo's account there
    assert reply.data["found"] is True
    received = _received(two, reply.message_id)
    assert received.citizen == jo and received.outcome == Outcome.ANSWERED
    assert MessageLog.objects.get(direction=Direction.OUT).citizen is None
    assert list(calls_about(jo)) == [received]
    page = sign_in(Client(), jo).get(TRACKER).content.decode()
    assert "1 request" in page
    assert "Borough Council" in page  # who asked
    assert "Benefits Agency" in page and "Confirm an application" in page  # our service
    assert "Council tax reduction" in page  # what for: the caller's purpose, in words
    assert "Answered" in page
    assert "Borough Council" not in sign_in(Client(), sam).get(TRACKER).content.decode()
    assert _verify(two).count("chain intact") == 2


def test_an_anonymous_applicants_case_links_nobody(two: Pair) -> None:
    make_case(two.provider, reference="BA-1234-ABCD")
    reply = _confirm(two, "BA-1234-ABCD")
    assert reply.data["found"] is True
    assert _received(two, reply.message_id).citizen is None
    assert not MessageLog.objects.filter(citizen__isnull=False).exists()


def test_a_refused_call_or_an_unknown_reference_links_nobody(two: Pair) -> None:
    jo = citizen()
    make_case(two.provider, reference="BA-1234-ABCD", citizen=jo)
    url = f"{two.url}/exchange/v1/{PROVIDER}/confirm-application"
    refused = send(signed(url, {"reference": "BA-1234-ABCD"}, caller=two.caller, purpose="x"))
    assert refused.status_code == 403
    assert _confirm(two, "BA-9999-ZZZZ").data == {"found": False}
    assert MessageLog.objects.filter(direction=Direction.IN).count() == 2
    assert not calls_about(jo).exists()


def test_a_call_logged_on_both_sides_for_the_same_citizen_is_listed_once(two: Pair) -> None:
    jo = citizen()
    make_case(two.provider, reference="BA-1234-ABCD", citizen=jo)
    reply = _confirm(two, "BA-1234-ABCD", citizen=jo)
    assert MessageLog.objects.filter(citizen=jo).count() == 2
    assert [entry.direction for entry in calls_about(jo)] == [Direction.OUT]
    assert reply.message_id in {entry.message_id for entry in calls_about(jo)}


def test_removing_the_account_unlinks_the_calls_and_the_chain_still_verifies(
    two: Pair,
) -> None:
    jo = citizen()
    make_case(two.provider, reference="BA-1234-ABCD", citizen=jo)
    reply = _confirm(two, "BA-1234-ABCD")
    jo.delete()
    assert _received(two, reply.message_id).citizen is None
    assert _verify(two).count("chain intact") == 2
