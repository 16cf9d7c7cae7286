"""The service owners' integrations pages in a real browser: with JavaScript off, a service
owner makes an API token (errors first, then shown once) and registers a webhook endpoint
(its secret shown once) and turns it off; then axe-core on each kind of page, errors
included."""

import re
from typing import Any

import pytest

from porth.accounts.models import Role
from porth.accounts.tests.browser import member, sign_in
from porth.integrations.models import WebhookDelivery, WebhookEndpoint

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKENS = "/staff/integrations/api-tokens"
WEBHOOKS = "/staff/integrations/webhooks"


def _signed_in(page: Any, council: Any, path: str) -> None:
    owner = member(council, Role.SERVICE_OWNER, name="Siân Owner")
    page.goto(path)
    page.wait_for_url(re.compile(r"/staff/sign-in\?next="))
    sign_in(page, owner)
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_a_service_owner_makes_a_token_and_an_endpoint(page: Any, council: Any) -> None:
    _signed_in(page, council, TOKENS)
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens for your systems")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the token may do")
    page.get_by_label("Name").fill("Blue Badge case system")
    page.get_by_label("Read cases and their timelines").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#token")).to_contain_text("porth_api_")
    expect(page.get_by_role("cell", name="cases:read")).to_be_visible()

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Address").fill("https://cases.example.gov.uk/porth-events")
    page.get_by_label("A case is opened").check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#secret")).to_contain_text("whsec_")
    page.get_by_role("link", name="Go to the endpoint’s delivery log").click()
    expect(page.get_by_text("Nothing has been sent to this endpoint yet.")).to_be_visible()
    page.get_by_role("button", name="Turn off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("turned off")
    assert not WebhookEndpoint.objects.get().enabled


def test_integrations_pages_have_no_accessibility_problems(
    js_page: Any, audit: Any, council: Any
) -> None:
    page = js_page
    _signed_in(page, council, TOKENS)
    audit("no tokens")
    page.get_by_role("button", name="Make token").click()
    audit("token with errors")
    page.get_by_label("Name").fill("Case system")
    page.get_by_label("Read submissions and their answers").check()
    page.get_by_role("button", name="Make token").click()
    audit("token made")
    page.goto(WEBHOOKS)
    page.get_by_role("button", name="Add endpoint").click()
    audit("endpoint with errors")
    page.get_by_label("Address").fill("https://cases.example.gov.uk/porth-events")
    page.get_by_label("A case is opened").check()
    page.get_by_role("button", name="Add endpoint").click()
    audit("endpoint made")
    endpoint = WebhookEndpoint.objects.get()
    WebhookDelivery.objects.create(  # as a delivery that failed: nothing is sent here
        endpoint=endpoint, event="case.created", reference="BB-K7MQ-R4XD", payload={},
        status="failed", attempts=8, last_status_code=503, last_error="The receiver answered 503",
    )  # fmt: skip
    page.goto(f"{WEBHOOKS}/{endpoint.pk}")
    expect(page.get_by_role("button", name=re.compile("Send again"))).to_be_visible()
    audit("delivery log")
    audit.assert_clean()
