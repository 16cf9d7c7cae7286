"""Staff pages given what no form of ours sends: NUL in the address or a form (which PostgreSQL
refuses) is a bad request, and control characters in a note are refused with a message."""

import pytest
from django.test import Client

from porth.accounts.models import Role
from porth.accounts.tests.factories import MembershipFactory, signed_in_client
from porth.casework.models import Case, CaseEvent, Status

from .helpers import make_case, organisation, signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_client() -> tuple[Case, Client]:
    org = organisation("test-council")
    case = make_case(org, status=Status.IN_PROGRESS)
    return case, signed_in(staff((org, Role.CASEWORKER)))


@pytest.fixture
def admin_client() -> Client:
    return signed_in_client(MembershipFactory.create(role=Role.PLATFORM_ADMIN).user)


@pytest.mark.parametrize(
    "url",
    [
        "/staff/cases/AB%00CD",
        "/staff/cases?search=%00",
        "/staff/cases?search=Jo%1b",
        "/staff/cases?after=%00",
        "/staff/cases?queue=1%00",
    ],
)
def test_control_characters_in_a_case_address_are_a_bad_request(
    worker_client: tuple[Case, Client], url: str
) -> None:
    _, client = worker_client

    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url", ["/staff/people?user=%00", "/staff/people?done=unlock&user=a%00", "/staff/people?q=%00"]
)
def test_control_characters_in_the_people_address_are_a_bad_request(
    admin_client: Client, url: str
) -> None:
    assert admin_client.get(url).status_code == 400


def test_nul_in_the_people_form_is_a_bad_request(admin_client: Client) -> None:
    response = admin_client.post("/staff/people", {"action": "unlock", "user": "a\x00"})

    assert response.status_code == 400


def test_nul_in_a_note_is_a_bad_request(worker_client: tuple[Case, Client]) -> None:
    case, client = worker_client

    response = client.post(
        f"/staff/cases/{case.reference}", {"action": "note", "version": 1, "note": "a\x00b"}
    )

    assert response.status_code == 400
    assert not CaseEvent.objects.filter(kind="note").exists()


@pytest.mark.parametrize(
    ("action", "field", "what"),
    [
        ("note", "note", "A note"),
        ("reject", "reason", "The reason for rejecting the application"),
        ("request_information", "message", "What you need from the applicant"),
    ],
)
def test_control_characters_in_staff_text_are_refused_with_a_message(
    worker_client: tuple[Case, Client], action: str, field: str, what: str
) -> None:
    case, client = worker_client

    response = client.post(
        f"/staff/cases/{case.reference}",
        {"action": action, "version": 1, field: "Called\x1b[2J the applicant"},
    )

    assert response.status_code == 200
    assert f"{what} must not include hidden characters" in response.content.decode()
    case.refresh_from_db()
    assert case.version == 1


def test_a_note_keeps_its_tabs_and_line_breaks(worker_client: tuple[Case, Client]) -> None:
    case, client = worker_client

    response = client.post(
        f"/staff/cases/{case.reference}",
        {"action": "note", "version": 1, "note": "Called:\r\n\tno answer"},
    )

    assert response.status_code == 303
    assert CaseEvent.objects.filter(kind="note").exists()
