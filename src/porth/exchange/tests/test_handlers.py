"""The query handlers over Porth's own cases, and what other apps are offered."""

import pytest

from porth.casework.models import Status
from porth.casework.tests.helpers import organisation
from porth.exchange import actions, handlers
from porth.exchange.service import find_offer, offered
from porth.signin.models import CitizenAccount

from .helpers import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved() -> handlers.ExchangeService:
    agency = organisation("benefits-agency")
    answers = {"full_name": "Siân Jones", "email": "Sian@Example.org", "dob": "1980-02-29"}
    make_case(agency, reference="BA-0001-AAAA", answers=answers)
    make_case(agency, reference="BA-0002-AAAA", answers=answers, status=Status.REJECTED)
    return actions.publish(
        agency,
        slug="receives-reduction",
        name="Receives Council Tax Reduction",
        config={"query": "approved-application", "name_field": "full_name", "dob_field": "dob"},
    )


def test_an_approved_application_is_found_by_name_and_email_or_date_of_birth(
    approved: handlers.ExchangeService,
) -> None:
    by_email = handlers.answer(approved, {"name": "sian jones", "email": "sian@example.org"})
    assert by_email.reply["approved"] is True
    assert by_email.about is None  # an anonymous applicant: the call is about nobody we know
    by_dob = handlers.answer(approved, {"name": "Jones", "date_of_birth": "1980-02-29"})
    assert by_dob.reply["approved"] is True
    wrong = handlers.answer(approved, {"name": "Sian Jones", "date_of_birth": "1980-03-01"})
    assert wrong == handlers.Answer({"approved": False})
    nobody = handlers.answer(approved, {"name": "Someone Else", "email": "sian@example.org"})
    assert nobody == handlers.Answer({"approved": False})


def test_an_approved_application_of_a_signed_in_citizen_says_it_is_about_them() -> None:
    agency = organisation("benefits-agency")
    jo = CitizenAccount.objects.create(issuer="https://oidc.example", subject="jo")
    answers = {"full_name": "Jo Bloggs", "email": "jo@example.org"}
    make_case(agency, reference="BA-0009-AAAA", answers=answers, citizen=jo)
    service = actions.publish(
        agency, slug="approved", name="Approved", config={"query": "approved-application"}
    )
    found = handlers.answer(service, {"name": "Jo Bloggs", "email": "jo@example.org"})
    assert found == handlers.Answer(
        {"approved": True, "decided_on": found.reply["decided_on"]}, about=jo.pk
    )
    missed = handlers.answer(service, {"name": "Jo Bloggs", "email": "someone@example.org"})
    assert missed.about is None


def test_a_query_missing_what_it_needs_is_a_bad_query(approved: handlers.ExchangeService) -> None:
    with pytest.raises(handlers.BadQuery):
        handlers.answer(approved, {"name": "Sian Jones"})
    with pytest.raises(handlers.BadQuery):
        handlers.answer(approved, {"name": 7, "email": "x"})


def test_confirm_reference_says_only_what_the_providing_organisation_holds() -> None:
    agency = organisation("benefits-agency")
    council = organisation("borough-council")
    make_case(agency, reference="BA-0003-AAAA", status=Status.IN_PROGRESS)
    make_case(council, reference="BC-0003-AAAA")
    service = actions.publish(
        agency, slug="confirm", name="Confirm", config={"query": "confirm-reference"}
    )
    found = handlers.answer(service, {"reference": "ba-0003-aaaa"}).reply
    assert found["found"] is True and found["decided"] is False and found["status"] == "in_progress"
    assert handlers.answer(service, {"reference": "BC-0003-AAAA"}) == handlers.Answer(
        {"found": False}
    )


def test_other_apps_are_offered_each_service_and_the_fields_of_its_reply(
    approved: handlers.ExchangeService,
) -> None:
    (offer,) = offered()
    assert (offer.provider, offer.service) == ("benefits-agency", "receives-reduction")
    assert offer.fields == ("approved", "decided_on")
    assert find_offer("benefits-agency", "receives-reduction") == offer
    assert find_offer("benefits-agency", "nothing") is None


def test_a_window_of_no_seconds_is_a_configuration_error(settings: object) -> None:
    from porth.exchange.checks import exchange_settings

    settings.PORTH_EXCHANGE_WINDOW_SECONDS = 0  # type: ignore[attr-defined]
    (error,) = exchange_settings(None)
    assert error.id == "porth.exchange.E001"


def test_message_ids_older_than_twice_the_window_are_forgotten() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from porth.exchange.models import SeenMessage
    from porth.exchange.tasks import forget_old_message_ids

    now = timezone.now()
    SeenMessage.objects.create(caller="c", message_id="old", at=now - timedelta(minutes=5))
    SeenMessage.objects.create(caller="c", message_id="new", at=now)
    assert forget_old_message_ids.call() == 1
    assert list(SeenMessage.objects.values_list("message_id", flat=True)) == ["new"]
