"""Service owners grant and revoke access to their organisation's exchange services."""

import pytest

from porth.accounts.models import Role, User
from porth.accounts.tests.factories import signed_in_client
from porth.audit.models import AuditEvent
from porth.casework.tests.helpers import organisation, staff
from porth.exchange import actions
from porth.exchange.models import ExchangeService, Grant

pytestmark = pytest.mark.django_db

PAGE = "/staff/exchange/benefits-agency/confirm-application"


@pytest.fixture
def owner() -> User:
    agency = organisation("benefits-agency")
    actions.publish(agency, slug="confirm-application", name="Confirm an application")
    return staff((agency, Role.SERVICE_OWNER))


def test_a_service_owner_grants_then_revokes_and_both_are_audited(owner: User) -> None:
    client = signed_in_client(owner)
    listed = client.get("/staff/exchange/")
    assert "Confirm an application" in listed.content.decode()
    granted = client.post(PAGE, {"caller": "borough-council", "purpose": "council-tax-reduction"})
    assert granted.status_code == 303
    page = client.get(granted["Location"]).content.decode()
    assert "Access granted" in page and "borough-council" in page
    grant = Grant.objects.get()
    assert AuditEvent.objects.filter(action="exchange.granted", actor=owner).exists()
    confirm = client.get(f"/staff/exchange/grants/{grant.pk}/revoke")
    assert "Are you sure" in confirm.content.decode()
    assert client.post(f"/staff/exchange/grants/{grant.pk}/revoke").status_code == 303
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == owner
    assert AuditEvent.objects.filter(action="exchange.revoked", actor=owner).exists()


def test_a_bad_organisation_or_purpose_is_shown_against_its_input(owner: User) -> None:
    client = signed_in_client(owner)
    response = client.post(PAGE, {"caller": "Borough Council!", "purpose": "tax"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#caller"' in page
    assert 'value="Borough Council!"' in page  # what was typed is kept
    assert not Grant.objects.exists()


def test_only_a_service_owner_of_the_publishing_organisation_may_grant(owner: User) -> None:
    service = ExchangeService.objects.get()
    caseworker = staff((service.organisation, Role.CASEWORKER))
    with pytest.raises(actions.NotAllowed):
        actions.grant(service, caller="x", purpose="y", actor=caseworker)
    other_owner = staff((organisation("other-council"), Role.SERVICE_OWNER))
    with pytest.raises(actions.NotAllowed):
        actions.grant(service, caller="x", purpose="y", actor=other_owner)
    assert signed_in_client(other_owner).get(PAGE).status_code == 404
