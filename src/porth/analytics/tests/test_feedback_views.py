"""The satisfaction question on the confirmation page, answered through the test client."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from porth.analytics import satisfaction
from porth.analytics.models import Event, Feedback
from porth.analytics.recorder import journey_key
from porth.services.definition import Definition
from porth.submissions.models import Submission
from porth.submissions.tests.test_assisted import _signed_in, _staff

pytestmark = pytest.mark.django_db

SLUG = "test-service"
BASE = f"/services/{SLUG}"
FEEDBACK = f"{BASE}/feedback"
QUESTION = "Overall, how did you feel about the service you received today?"
PAGES = """
- id: name
  fields:
    - id: full_name
      type: text
      label: {en: "What is your name?", cy: "Beth yw eich enw?"}
"""


@pytest.fixture(autouse=True)
def service(services_dir: Callable[..., Definition]) -> Definition:
    return services_dir(PAGES)


def _send(client: Client, **extra: str) -> Submission:
    """Go through the service and send it; the submission made."""
    answered = client.post(f"{BASE}/name", {"full_name": "Jo Bloggs", **extra})
    assert answered.status_code == 303, answered.content.decode()[:2000]
    sent = client.post(f"{BASE}/check-answers", extra)
    assert sent.headers["Location"] == f"{BASE}/confirmation"
    return Submission.objects.latest("pk")


def _rate(client: Client, rating: str = "5", comment: str = "", **query: str) -> Any:
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.post(FEEDBACK + suffix, {"rating": rating, "comment": comment})


def test_the_confirmation_page_asks_the_satisfaction_question(client: Client) -> None:
    _send(client)
    page = client.get(f"{BASE}/confirmation").content.decode()
    assert QUESTION in page
    for label in ["Very satisfied", "Neither satisfied or dissatisfied", "Very dissatisfied"]:
        assert label in page
    assert f'action="{FEEDBACK}"' in page
    assert f'data-maxlength="{satisfaction.COMMENT_LIMIT}"' in page


def test_a_citizen_rates_the_service_and_is_thanked_with_the_reference_still_shown(
    client: Client,
) -> None:
    submission = _send(client)
    response = _rate(client, "4", "The date question was hard to understand.")
    assert response.status_code == 303
    assert response.headers["Location"] == FEEDBACK
    page = client.get(FEEDBACK).content.decode()
    assert "Thank you for your feedback" in page
    assert submission.reference in page
    assert QUESTION not in page  # asked once

    feedback = Feedback.objects.get()
    assert (feedback.service, feedback.rating, feedback.channel, feedback.language) == (
        SLUG,
        4,
        "online",
        "en",
    )
    assert feedback.comment == "The date question was hard to understand."
    assert feedback.journey == journey_key(submission.journey_id)
    rated = Event.objects.get(kind="rated")
    assert (rated.service, rated.value, rated.channel, rated.journey) == (
        SLUG,
        4,
        "online",
        feedback.journey,
    )


def test_a_rating_without_a_comment_is_enough(client: Client) -> None:
    _send(client)
    assert _rate(client, "1").status_code == 303
    assert Feedback.objects.get().comment == ""


def test_personal_data_in_the_comment_is_never_stored(client: Client) -> None:
    _send(client)
    typed = "Email me at jo.bloggs@example.com or call 07911 123456. NI: AB 12 34 56 C."
    _rate(client, "2", typed)
    stored = Feedback.objects.get().comment
    assert stored == (
        "Email me at [email removed] or call [phone number removed]. "
        "NI: [National Insurance number removed]."
    )
    for secret in ["jo.bloggs@example.com", "07911 123456", "AB 12 34 56 C"]:
        assert not Feedback.objects.filter(comment__contains=secret).exists()
        assert not Event.objects.filter(detail__contains=secret).exists()


def test_a_journey_is_rated_once_and_a_second_answer_is_told_kindly(client: Client) -> None:
    submission = _send(client)
    _rate(client, "5", "Great")
    again = _rate(client, "1", "Changed my mind")
    assert again.status_code == 200
    page = again.content.decode()
    assert "You have already told us how you felt about this service" in page
    assert submission.reference in page
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Great")
    assert Event.objects.filter(kind="rated").count() == 1


def test_the_next_application_from_the_same_browser_may_be_rated_too(client: Client) -> None:
    _send(client)
    _rate(client, "5")
    client.get(f"{BASE}/name")  # starts again: a new journey
    _send(client)
    assert _rate(client, "3").status_code == 303
    assert sorted(Feedback.objects.values_list("rating", flat=True)) == [3, 5]


def test_nothing_can_be_rated_without_a_sent_application(client: Client) -> None:
    response = _rate(client)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/confirmation"
    client.post(f"{BASE}/name", {"full_name": "Jo Bloggs"})  # started, not sent
    assert _rate(client).headers["Location"] == f"{BASE}/confirmation"
    assert client.get(FEEDBACK).headers["Location"] == f"{BASE}/confirmation"
    assert not Feedback.objects.exists()
    assert not Event.objects.filter(kind="rated").exists()


def test_another_browser_cannot_rate_someone_elses_application(client: Client) -> None:
    _send(client)
    assert _rate(Client()).status_code == 303
    assert not Feedback.objects.exists()


def test_the_thank_you_page_before_answering_leads_to_the_question(client: Client) -> None:
    _send(client)
    assert client.get(FEEDBACK).headers["Location"] == f"{BASE}/confirmation"


def test_staff_applying_for_someone_are_not_asked_and_cannot_answer() -> None:
    staff = _signed_in(_staff("cara", "test-council"))
    started = staff.post("/staff/apply", {"service": SLUG, "channel": "assisted"})
    assert started.status_code == 303
    _send(staff)
    # Before the confirmation page (assisted mode still on) and after it (ended).
    assert _rate(staff).status_code == 303
    page = staff.get(f"{BASE}/confirmation").content.decode()
    assert QUESTION not in page
    assert _rate(staff).status_code == 303
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("rating", "comment", "message", "href"),
    [
        ("", "Good", "Select how you felt about the service you received today", "#rating"),
        ("6", "", "Select how you felt about the service you received today", "#rating"),
        ("very", "", "Select how you felt about the service you received today", "#rating"),
        ("5", "x" * 1201, "Your feedback must be 1,200 characters or less", "#comment"),
    ],
)
def test_a_missing_rating_or_too_long_comment_is_shown_in_an_error_summary(
    client: Client, rating: str, comment: str, message: str, href: str
) -> None:
    submission = _send(client)
    response = _rate(client, rating, comment)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page
    assert f'<a href="{href}">{message}</a>' in page
    assert submission.reference in page
    if comment:
        assert comment in page  # kept in the box, to be shortened rather than typed again
    assert not Feedback.objects.exists()


def test_line_breaks_count_once_as_the_character_count_counts_them(client: Client) -> None:
    _send(client)
    comment = "\r\n".join(["x" * 99] * 12)  # 1,188 characters and 11 line breaks
    assert _rate(client, "3", comment).status_code == 303
    assert len(Feedback.objects.get().comment) == 1199


def test_the_question_and_its_errors_are_in_welsh(client: Client) -> None:
    _send(client)
    page = client.get(f"{BASE}/confirmation?lang=cy").content.decode()
    assert "Yn gyffredinol, sut oeddech chi’n teimlo am y gwasanaeth a gawsoch heddiw?" in page
    assert "Bodlon iawn" in page
    errors = _rate(client, "").content.decode()
    assert "Dewiswch sut oeddech chi’n teimlo am y gwasanaeth a gawsoch heddiw" in errors
    _rate(client, "5", "Da iawn")
    assert "Diolch am eich adborth" in client.get(FEEDBACK).content.decode()
    assert Feedback.objects.get().language == "cy"


def test_the_unscreened_comment_is_kept_out_of_error_reports(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _send(client)
    failed: list[Any] = []

    def fail(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("the database went away")

    def keep(sender: Any, request: Any, **kwargs: Any) -> None:
        failed.append(request)

    monkeypatch.setattr(satisfaction, "rate", fail)
    got_request_exception.connect(keep)
    client.raise_request_exception = False
    try:
        assert _rate(client, "5", "call 07911 123456").status_code == 500
    finally:
        got_request_exception.disconnect(keep)
    reported = SafeExceptionReporterFilter().get_post_parameters(failed[0])
    assert "07911" not in str(reported)
