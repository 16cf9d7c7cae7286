"""The applicant's reply page: what it shows, in which language, what it refuses, and what
happens to links that cannot be used (a page that says what to do, never an error)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from porth.casework import actions, replies
from porth.casework.erasure import erase_cases
from porth.casework.models import Case, CaseEvent, InformationRequest, Status
from porth.casework.signals import applicant_event

from .helpers import make_case, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def links() -> Iterator[list[str]]:
    """The reply links applicants are sent (the path, as the page is served here)."""
    sent: list[str] = []

    def receive(sender: Any, link: str | None = None, **kwargs: Any) -> None:
        if link:
            sent.append("/reply/" + link.rsplit("/reply/", 1)[1])

    applicant_event.connect(receive, weak=False, dispatch_uid="test-links")
    yield sent
    applicant_event.disconnect(dispatch_uid="test-links")


@pytest.fixture
def asked(org, worker, links) -> tuple[Case, str]:
    """A case waiting for the applicant, and the path of their reply link."""
    case = make_case(org, status=Status.IN_PROGRESS)
    case = actions.request_information(
        case, "Send us a photo of\nyour award letter", version=1, actor=worker
    )
    return case, links[-1]


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_the_page_shows_what_was_asked_and_the_reference(asked):
    case, link = asked

    response = Client().get(link)

    page = _html(response)
    assert response.status_code == 200
    assert "Send us a photo of<br>your award letter" in page
    assert case.reference in page
    assert 'name="reply"' in page and "govuk-character-count" in page
    assert "Reply by" in page and 'lang="en"' in page
    assert response["Content-Language"] == "en"
    assert "no-store" in response["Cache-Control"]


def test_sending_a_reply(asked, worker):
    case, link = asked
    client = Client()

    response = client.post(link, {"reply": "  Here is the letter.\r\nThanks  "})

    assert response.status_code == 303 and response["Location"] == f"{link}/sent"
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and case.reference in _html(sent)
    assert "Reply sent" in _html(sent)
    case.refresh_from_db()
    assert case.status == Status.INFORMATION_RECEIVED
    staff_page = _html(signed_in(worker).get(f"/staff/cases/{case.reference}"))
    assert "Information received" in staff_page
    assert "Here is the letter.<br>Thanks" in staff_page
    assert "Information received from the applicant" in staff_page


def test_the_page_is_in_the_language_of_the_application(asked):
    case, link = asked
    case.submission.language = "cy"
    case.submission.save()

    welsh = Client().get(link)
    english = Client().get(f"{link}?lang=en")
    earlier_choice = Client()
    earlier_choice.cookies["porth_lang"] = "en"
    chosen = earlier_choice.get(link)

    assert 'lang="cy"' in _html(welsh) and welsh["Content-Language"] == "cy"
    assert "Ateb ein cais am ragor o wybodaeth" in _html(welsh)
    assert 'href="?lang=en"' in _html(welsh)  # the language switcher
    assert 'lang="en"' in _html(english) and english["Content-Language"] == "en"
    assert "Reply to our request for more information" in _html(chosen)


def test_welsh_errors(asked):
    case, link = asked
    case.submission.language = "cy"
    case.submission.save()

    page = _html(Client().post(link, {"reply": ""}))

    assert "Mae problem wedi codi" in page and "Rhowch eich ateb" in page


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("", "Enter your reply"),
        ("   \r\n  ", "Enter your reply"),
        ("Hello\x1b[31m", "Your reply must not include hidden characters"),
        ("Bell\x07", "Your reply must not include hidden characters"),
        ("next\x85line", "Your reply must not include hidden characters"),
        ("x" * (actions.REPLY_CHARS + 1), f"Your reply must be {actions.REPLY_CHARS} characters"),
    ],
)
def test_a_reply_that_cannot_be_kept_is_explained(asked, reply, message):
    case, link = asked

    response = Client().post(link, {"reply": reply})

    page = _html(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert 'href="#reply"' in page
    case.refresh_from_db()
    assert case.status == Status.AWAITING_INFORMATION
    assert InformationRequest.objects.get().used_at is None


def test_tabs_and_line_breaks_are_kept(asked):
    case, link = asked

    Client().post(link, {"reply": "Line one\r\n\tLine two"})

    case.refresh_from_db()
    assert case.status == Status.INFORMATION_RECEIVED


def test_nul_is_a_bad_request(asked):
    _, link = asked

    assert Client().post(link, {"reply": "a\x00b"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/reply/nonsense",
        "/reply/" + "A" * 43,
        "/reply/" + "A" * 43 + "/sent",
        "/reply/%F0%9F%98%80",
        "/reply/" + "A" * 5000,
    ],
)
def test_a_link_that_never_was_says_what_to_do(path):
    posted = [] if path.endswith("/sent") else [Client().post(path, {"reply": "Hello"})]
    for response in [Client().get(path), *posted]:
        page = _html(response)
        assert response.status_code == 404
        assert "This link does not work" in page
        assert "Check you copied the whole link" in page


def test_an_altered_link_does_not_work(asked):
    _, link = asked
    token = link.rsplit("/", 1)[1]
    altered = link[: -len(token)] + ("B" if token[0] != "B" else "C") + token[1:]

    assert Client().get(altered).status_code == 404


def test_a_used_link_says_so_and_names_the_reference(asked):
    case, link = asked
    Client().post(link, {"reply": "My reply"})

    response = Client().get(link)

    page = _html(response)
    assert response.status_code == 410
    assert "You have already replied" in page and case.reference in page
    assert "We have your reply" in page


def test_posting_the_same_reply_twice_is_not_an_error(asked):
    _, link = asked
    client = Client()

    first = client.post(link, {"reply": "My reply"})
    second = client.post(link, {"reply": "My reply"})

    assert first.status_code == second.status_code == 303
    assert second["Location"] == f"{link}/sent"
    assert CaseEvent.objects.filter(kind="information_received").count() == 1


def test_the_same_reply_posted_twice_at_once_is_shown_as_sent(asked, monkeypatch):
    _, link = asked
    token = link.rsplit("/", 1)[1]
    before = replies.lookup(token)
    client = Client()
    assert client.post(link, {"reply": "My reply"}).status_code == 303
    # The second post read the link before the first was kept, as if both came at once.
    reads = iter([before, before])
    real_lookup = replies.lookup
    monkeypatch.setattr(replies, "lookup", lambda t: next(reads, None) or real_lookup(t))

    response = client.post(link, {"reply": "My reply"})

    assert response.status_code == 303 and response["Location"] == f"{link}/sent"
    assert CaseEvent.objects.filter(kind="information_received").count() == 1


def test_a_second_different_reply_is_shown_back_not_lost(asked):
    _, link = asked
    Client().post(link, {"reply": "My reply"})

    response = Client().post(link, {"reply": "Something <b>else</b>"})

    page = _html(response)
    assert response.status_code == 410
    assert "Your reply was not sent" in page
    assert "Something &lt;b&gt;else&lt;/b&gt;" in page
    assert "We have your reply" not in page


def test_an_expired_link_says_whom_to_contact(asked):
    case, link = asked
    InformationRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    for response in (Client().get(link), Client().post(link, {"reply": "Late"})):
        page = _html(response)
        assert response.status_code == 410
        assert "This link has expired" in page and case.reference in page
    case.refresh_from_db()
    assert case.status == Status.AWAITING_INFORMATION


def test_a_link_whose_request_was_erased_has_expired(asked):
    case, link = asked
    erase_cases([case.submission_id], at=timezone.now())

    for response in (Client().get(link), Client().post(link, {"reply": "Hello"})):
        assert response.status_code == 410
        assert "This link has expired" in _html(response)


def test_the_confirmation_needs_a_used_link(asked):
    _, link = asked

    response = Client().get(f"{link}/sent")

    assert response.status_code == 303 and response["Location"] == link


def test_after_a_decision_the_applicant_is_told_and_the_reply_kept(asked):
    case, link = asked
    Case.objects.filter(pk=case.pk).update(status=Status.APPROVED)

    form = _html(Client().get(link))
    sent = Client().post(link, {"reply": "One more thing"}, follow=True)

    assert "A decision has already been made on your application" in form
    assert "A decision had already been made when your reply arrived" in _html(sent)
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert CaseEvent.objects.filter(case=case, kind="information_received").exists()


def test_the_staff_page_writes_to_the_applicant(org, worker, links):
    case = make_case(org, status=Status.IN_PROGRESS)
    client = signed_in(worker)
    url = f"/staff/cases/{case.reference}"

    empty = _html(client.post(url, {"action": "message", "version": 1, "applicant_message": ""}))
    response = client.post(
        url, {"action": "message", "version": 1, "applicant_message": "We are on it"}
    )

    assert "Enter your message to the applicant" in empty
    assert response.status_code == 303
    page = _html(client.get(response["Location"]))
    assert "Your message will be sent to the applicant" in page
    assert "Message to the applicant" in page and "We are on it" in page
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
