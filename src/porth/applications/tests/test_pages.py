"""Your applications: a signed-in citizen sees what they sent, how it is going, what we told
them and what they answered; nobody else does."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from porth.accounts.models import User
from porth.casework import actions as casework
from porth.casework.models import Case, Status
from porth.submissions.models import Journey, Submission

from ..statuses import STATUSES
from .helpers import BASE, answer, apply, citizen, sign_in

pytestmark = pytest.mark.django_db


def _staff() -> User:
    return User.objects.create_user(username="caseworker", display_name="Casey Worker")


def test_an_application_sent_signed_in_is_the_citizens(service: Any) -> None:
    account = citizen()
    client = sign_in(Client(), account)
    reference = apply(client)

    assert Submission.objects.get(reference=reference).citizen == account
    page = client.get("/your-applications").content.decode()
    assert reference in page
    assert "Test service" in page
    assert "Received" in page  # a new case


def test_an_application_sent_without_signing_in_belongs_to_nobody(service: Any) -> None:
    reference = apply(Client())
    assert Submission.objects.get(reference=reference).citizen is None


def test_not_signed_in_the_page_says_what_it_is_and_never_fails(service: Any) -> None:
    response = Client().get("/your-applications")
    assert response.status_code == 200
    html = response.content.decode()
    assert "If you sign in when you apply" in html
    assert "Your applications" in html
    # No provider configured (the tests' default): no link to a sign-in that could only fail.
    assert "/sign-in" not in html
    # An application page asks them to sign in too, and does not say whether it exists.
    assert Client().get("/your-applications/TS-0001-AAAA").status_code == 200


def test_the_status_follows_the_case_in_plain_english_and_welsh(service: Any) -> None:
    account = citizen()
    client = sign_in(Client(), account)
    reference = apply(client)
    case = Case.objects.get(reference=reference)
    staff = _staff()
    case = casework.claim(case, version=case.version, actor=staff)
    assert "Being reviewed" in client.get("/your-applications").content.decode()
    case = casework.request_information(
        case, "Send a photo of your proof of address", version=case.version, actor=staff
    )
    page = client.get(f"/your-applications/{reference}").content.decode()
    assert "We need more information" in page
    assert "We asked you for more information" in page
    assert "Send a photo of your proof of address" in page
    case = casework.resume(case, version=case.version, actor=staff)
    casework.reject(case, "You live outside the area", version=case.version, actor=staff)

    english = client.get(f"/your-applications/{reference}").content.decode()
    assert "Not approved" in english
    assert "You live outside the area" in english
    welsh = client.get(f"/your-applications/{reference}?lang=cy").content.decode()
    assert "Heb ei gymeradwyo" in welsh
    assert "Gwasanaeth prawf" in welsh  # the service's name in Welsh


def test_staff_notes_and_assignments_are_not_shown(service: Any) -> None:
    client = sign_in(Client(), citizen())
    reference = apply(client)
    case = Case.objects.get(reference=reference)
    staff = _staff()
    case = casework.claim(case, version=case.version, actor=staff)
    casework.add_note(case, "Seems fishy", version=case.version, actor=staff)

    page = client.get(f"/your-applications/{reference}").content.decode()
    assert "Seems fishy" not in page
    assert "Casey Worker" not in page


def test_every_case_status_has_words_for_the_citizen() -> None:
    assert set(STATUSES) == set(Status.values)


def test_the_page_shows_the_messages_sent_and_a_copy_of_the_answers(service: Any) -> None:
    client = sign_in(Client(), citizen())
    reference = apply(client, name="Jo Bloggs-Prydderch")

    page = client.get(f"/your-applications/{reference}").content.decode()
    # The confirmation message, as written to them, with the reference in it.
    messages = page[page.index('id="messages"') : page.index('id="answers"')]
    assert "Email sent" in messages
    assert reference in messages
    # Their answers, as check your answers showed them, without change links.
    answers = page[page.index('id="answers"') :]
    assert "Jo Bloggs-Prydderch" in answers
    assert "jo@example.com" in answers
    assert "Change" not in answers


def test_erased_answers_say_when_they_were_deleted(service: Any) -> None:
    client = sign_in(Client(), citizen())
    reference = apply(client, name="Jo Bloggs-Prydderch")
    submission = Submission.objects.get(reference=reference)
    from porth.submissions.service import erase_submissions

    erase_submissions([submission.pk], at=timezone.now())

    page = client.get(f"/your-applications/{reference}").content.decode()
    assert "Jo Bloggs-Prydderch" not in page
    assert "Your answers were deleted on" in page


def test_someone_elses_application_is_not_found(service: Any) -> None:
    owner = sign_in(Client(), citizen())
    reference = apply(owner)
    other = sign_in(Client(), citizen())

    assert other.get(f"/your-applications/{reference}").status_code == 404
    assert reference not in other.get("/your-applications").content.decode()
    assert other.get("/your-applications/NOT-A-REFERENCE").status_code == 404
    assert other.get("/your-applications/" + "X" * 500).status_code == 404


def test_the_list_costs_the_same_queries_however_many_applications(
    service: Any, analytics_batched: None
) -> None:
    client = sign_in(Client(), citizen())
    apply(client)
    answer(client, "name", {"full_name": "Unfinished"})
    with CaptureQueriesContext(connection) as one:
        assert client.get("/your-applications").status_code == 200
    for number in range(5):
        apply(client, name=f"Person {number}")
    answer(client, "name", {"full_name": "Unfinished"})
    with CaptureQueriesContext(connection) as many:
        page = client.get("/your-applications").content.decode()
    # Five applications and "Continue"'s form, and "who has asked about you" (exchange's part).
    assert page.count('href="/your-applications/') == 7
    # The citizen, their submissions with their cases, their journeys in progress, and the
    # consents they gave ("tell us once": exchange's part).
    assert len(one) == len(many) == 4, [q["sql"] for q in many.captured_queries]


def test_a_signed_in_citizen_has_a_link_to_their_applications_anonymous_ones_do_not(
    service: Any, analytics_batched: None
) -> None:
    anonymous = Client()
    with CaptureQueriesContext(connection) as queries:
        html = anonymous.get(f"{BASE}/name").content.decode()
    assert "Your applications" not in html
    assert queries.captured_queries == []
    for path in ("/", f"{BASE}/", f"{BASE}/name"):
        signed = sign_in(Client(), citizen())
        assert 'href="/your-applications"' in signed.get(path).content.decode(), path
        assert "Your applications" not in Client().get(path).content.decode(), path


def test_journeys_in_progress_are_listed_with_a_continue_button(service: Any) -> None:
    client = sign_in(Client(), citizen())
    answer(client, "name", {"full_name": "Jo"})
    journey = Journey.objects.get()

    page = client.get("/your-applications").content.decode()
    assert "Applications you have not finished" in page
    assert "Continue" in page
    assert journey.pk not in page  # the journey's id is the key to it: never shown


def test_an_application_page_costs_five_queries(service: Any, analytics_batched: None) -> None:
    client = sign_in(Client(), citizen())
    reference = apply(client)
    client.get(f"/your-applications/{reference}")  # the stored definition, parsed once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/your-applications/{reference}").status_code == 200
    # The citizen; the submission with its case; the case's events; the messages; the
    # consents given for it ("tell us once": exchange's part).
    assert len(queries) == 5, [q["sql"] for q in queries.captured_queries]


def test_links_to_this_site_in_messages_are_links_and_others_are_text(settings: Any) -> None:
    from ..text import paragraphs

    settings.PORTH_BASE_URL = "https://council.example"
    html = paragraphs(
        "Reply here: https://council.example/reply/abc.\n"
        "Not here: https://evil.example/x\n\n<b>bold</b>"
    )
    assert '<a class="govuk-link" href="https://council.example/reply/abc">' in html
    assert 'href="https://evil.example' not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert html.count('<p class="govuk-body">') == 2


def test_where_sign_in_is_offered_the_page_links_to_it_and_back(
    service: Any, settings: Any
) -> None:
    settings.PORTH_SIGNIN = True
    settings.PORTH_SIGNIN_ISSUER = "https://oidc.integration.account.gov.uk"
    settings.PORTH_SIGNIN_CLIENT_ID = "porth"
    settings.PORTH_SIGNIN_KEYS = [{"kty": "EC"}]  # only whether any is set matters here
    html = Client().get("/your-applications").content.decode()
    assert 'href="/sign-in?next=%2Fyour-applications"' in html


def test_a_signed_in_citizen_can_sign_out_from_their_applications(service: Any) -> None:
    client = sign_in(Client(), citizen())
    html = client.get("/your-applications").content.decode()
    assert 'action="/sign-in/sign-out"' in html and "Sign out" in html

    signed_out = client.post("/sign-in/sign-out")

    assert signed_out.status_code == 303
    assert "If you sign in when you apply" in client.get("/your-applications").content.decode()
