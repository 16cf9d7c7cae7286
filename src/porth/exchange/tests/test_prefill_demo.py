"""The demo (`porth run`): Example Council's "Apply for Council Tax Reduction" prefills
Pension Credit from the Example Pensions Agency, over HTTP to the live server."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from porth.accounts.service import ensure_demo
from porth.exchange import partners, transport
from porth.exchange.demo import ensure_exchange_demo
from porth.exchange.models import Grant, MessageLog, Partner
from porth.services import registry

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "/services/apply-for-council-tax-reduction"


@pytest.fixture
def demo(live_server: Any, settings: Any) -> Iterator[str]:
    settings.PORTH_BASE_URL = live_server.url
    registry.reload()  # the example services
    partners.forget()
    ensure_demo()
    call_command("exchange_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield live_server.url
    partners.forget()
    transport.http().close()
    transport.http.cache_clear()


def test_the_demo_prefills_pension_credit_and_runs_again_unchanged(demo: str) -> None:
    client = Client()
    client.post(f"{BASE}/your-name", {"full_name": "Jo Bloggs"})
    client.post(f"{BASE}/national-insurance-number", {"nino": "AB 12 34 56 A"})
    assert client.get(f"{BASE}/pension-credit").headers["Location"].endswith("/consent")
    consent = client.get(f"{BASE}/pension-credit/consent").content.decode()
    assert "Example Pensions Agency" in consent
    client.post(f"{BASE}/pension-credit/consent", {"consent": "yes"})
    page = client.get(f"{BASE}/pension-credit").content.decode()
    assert "We got these answers from Example Pensions Agency." in page
    assert 'value="yes" checked' in page
    assert MessageLog.objects.filter(outcome="answered").count() == 2  # both sides
    ensure_exchange_demo(demo)
    assert Grant.objects.count() == 1 and Partner.objects.count() == 2
