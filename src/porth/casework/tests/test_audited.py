"""What staff and citizens do to an organisation's data is in that organisation's audit log."""

import pytest

from porth.accounts.models import Role
from porth.audit.models import AuditEvent
from porth.services import registry

from .helpers import make_case, organisation, service_yaml, signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return organisation("test-council")  # the organisation the test service names


def test_a_council_auditor_sees_the_submission_and_the_queue_view(
    client, tmp_path, settings, council
):
    settings.PORTH_SERVICES_DIR = tmp_path
    (tmp_path / "test-service.yaml").write_text(service_yaml())
    registry.reload()
    try:
        client.post("/services/test-service/name", {"full_name": "Jo Bloggs"})
        client.post("/services/test-service/alone", {"alone": "yes"})
        assert client.post("/services/test-service/check-answers").status_code == 303
    finally:
        registry.reload()
    signed_in(staff((council, Role.CASEWORKER))).get("/staff/cases")

    page = signed_in(staff((council, Role.AUDITOR))).get("/staff/audit/").content.decode()

    assert "submission.created" in page
    assert "queue.viewed" in page


def test_a_queue_showing_two_organisations_cases_tells_each_only_of_its_own():
    north, south = organisation("north"), organisation("south")
    northern, southern = make_case(north), make_case(south)
    signed_in(staff((north, Role.CASEWORKER), (south, Role.CASEWORKER))).get("/staff/cases")

    entries = AuditEvent.objects.filter(action="queue.viewed")
    seen = {entry.organisation_id: entry.data["references"] for entry in entries}
    assert seen == {north.pk: [northern.reference], south.pk: [southern.reference]}
