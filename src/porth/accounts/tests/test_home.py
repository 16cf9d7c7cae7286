import pytest
from django.test import Client

from porth.accounts.models import Role

from .factories import MembershipFactory, signed_in_client

pytestmark = pytest.mark.django_db


def test_staff_home_needs_both_factors() -> None:
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in?next=%2Fstaff%2F"


def test_staff_home_lists_organisations_and_roles_when_there_is_no_main_page() -> None:
    # Platform admins alone have no queue or audit log to land on (case roles go to the queue).
    membership = MembershipFactory.create(role=Role.PLATFORM_ADMIN, organisation__name="Cyngor Sir")
    MembershipFactory.create(
        user=membership.user, role=Role.PLATFORM_ADMIN, organisation__name="Other"
    )
    response = signed_in_client(membership.user).get("/staff/", follow=False)
    assert response.status_code == 200
    assert "Cyngor Sir" in response.text
    assert "Other" in response.text
    assert "Platform admin" in response.text
    assert 'action="/staff/sign-out"' in response.text


def test_staff_home_sends_case_roles_to_the_queues(settings) -> None:
    settings.ROOT_URLCONF = "porth.accounts.tests.urls_for_home"
    membership = MembershipFactory.create(role=Role.TEAM_LEADER)
    response = signed_in_client(membership.user).get("/staff/")
    assert response["Location"] == "/staff/cases"


def test_staff_home_shows_an_auditor_their_roles_when_there_is_no_audit_log(settings) -> None:
    settings.ROOT_URLCONF = "porth.accounts.tests.urls_for_home"
    membership = MembershipFactory.create(role=Role.AUDITOR)
    response = signed_in_client(membership.user).get("/staff/")
    assert response.status_code == 200
    assert "Auditor" in response.text
