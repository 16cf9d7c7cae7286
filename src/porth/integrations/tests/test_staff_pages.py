"""The service owners' pages: tokens made (shown once) and revoked, endpoints registered
(secret shown once), turned off and on, their delivery log and "send again"; errors against
their fields; only service owners, and only their own organisation's."""

from typing import Any

import pytest

from porth.accounts.models import Organisation, Role
from porth.accounts.tests.factories import MembershipFactory, signed_in_client
from porth.integrations import delivery
from porth.integrations.models import ApiToken, DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .helpers import Receiver, api, service_owner, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(org: Organisation) -> Any:
    return signed_in_client(service_owner(org))


def test_a_service_owner_makes_a_token_seen_once(owner: Any, org: Organisation) -> None:
    made = owner.post(
        "/staff/integrations/api-tokens",
        {"name": "Blue Badge system", "scopes": ["cases:read", "cases:write"], "expires": "90"},
    )
    assert made.status_code == 200
    found = ApiToken.objects.get()
    secret = made.content.decode().split('id="token">')[1].split("<")[0]
    assert secret.startswith("porth_api_") and found.scopes == ["cases:read", "cases:write"]
    assert found.expires_at is not None and found.organisation == org
    later = owner.get("/staff/integrations/api-tokens").content.decode()
    assert "Blue Badge system" in later and secret not in later


def test_a_token_form_with_mistakes_says_what_to_fix(owner: Any) -> None:
    response = owner.post("/staff/integrations/api-tokens", {"name": "", "expires": "forever"})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    for message in ("Enter a name", "Select what the token may do", "Select how long"):
        assert message in page
    assert ApiToken.objects.count() == 0


def test_revoking_asks_first_then_stops_the_token(owner: Any, org: Organisation) -> None:
    made, secret = token(org)
    url = f"/staff/integrations/api-tokens/{made.pk}"
    assert "Are you sure" in owner.get(url).content.decode()
    assert owner.post(url).status_code == 303
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert api(secret).get("/api/v1/cases").status_code == 401


def test_a_service_owner_registers_an_endpoint_and_sees_its_delivery_log(
    owner: Any, org: Organisation, loopback: Receiver
) -> None:
    response = owner.post(
        "/staff/integrations/webhooks",
        {"url": loopback.url, "events": ["case.created"], "description": "Case system"},
    )
    assert response.status_code == 200 and 'id="secret">whsec_' in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    loopback.answers = [410]
    row = delivery.emit([(endpoint.pk, endpoint.events)], "case.created", "TS-AAAA-AAAA", {})[0]
    delivery.attempt(row.pk)
    page = owner.get(f"/staff/integrations/webhooks/{endpoint.pk}").content.decode()
    assert "TS-AAAA-AAAA" in page and "410" in page and "Failed" in page
    loopback.answers = [204]
    again = owner.post(f"/staff/integrations/webhooks/{endpoint.pk}/deliveries/{row.pk}")
    assert again.status_code == 303 and again["Location"].endswith("done=queued")
    delivery.attempt(row.pk)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_an_endpoint_is_turned_off_and_on(
    owner: Any, org: Organisation, loopback: Receiver
) -> None:
    owner.post("/staff/integrations/webhooks", {"url": loopback.url, "events": ["case.created"]})
    endpoint = WebhookEndpoint.objects.get()
    url = f"/staff/integrations/webhooks/{endpoint.pk}"
    assert owner.post(url, {"action": "disable"})["Location"].endswith("done=disabled")
    assert not WebhookEndpoint.objects.get().enabled
    owner.post(url, {"action": "enable"})
    assert WebhookEndpoint.objects.get().enabled


def test_an_endpoint_form_refuses_bad_and_private_addresses(owner: Any, settings: Any) -> None:
    settings.PORTH_WEBHOOK_ALLOW_PRIVATE = False
    for url, message in [
        ("", "Enter the address"),
        ("not a url", "starts with https://"),
        ("https://10.0.0.1/hooks", "private or internal network"),
    ]:
        response = owner.post("/staff/integrations/webhooks", {"url": url})
        page = response.content.decode()
        assert response.status_code == 400 and message in page and "Select the events" in page
    assert WebhookEndpoint.objects.count() == 0


def test_only_service_owners_of_the_organisation_get_in(
    org: Organisation, other_org: Organisation, loopback: Receiver
) -> None:
    made, _ = token(org)
    owner = signed_in_client(service_owner(org))
    owner.post("/staff/integrations/webhooks", {"url": loopback.url, "events": ["case.created"]})
    endpoint = WebhookEndpoint.objects.get()
    theirs = signed_in_client(service_owner(other_org))
    caseworker = signed_in_client(
        MembershipFactory.create(organisation=org, role=Role.CASEWORKER).user
    )
    for client in (theirs, caseworker):
        for url in (f"/staff/integrations/api-tokens/{made.pk}",
                    f"/staff/integrations/webhooks/{endpoint.pk}"):  # fmt: skip
            assert client.get(url).status_code == 404
            assert client.post(url, {"action": "disable"}).status_code == 404
    assert caseworker.get("/staff/integrations/api-tokens").status_code == 404
    listed = theirs.get("/staff/integrations/webhooks").content.decode()
    assert loopback.url not in listed
    assert WebhookEndpoint.objects.get().enabled and ApiToken.objects.get().revoked_at is None
