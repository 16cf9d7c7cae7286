"""The satisfaction question on the confirmation page, in a real browser: answered with
JavaScript off (with its errors first), and checked with axe-core in English and Welsh."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = pytest.mark.browser

SLUG = "report-a-road-problem"
QUESTION = "Overall, how did you feel about the service you received today?"


def _send(page, act, journeys, language="en"):
    page.goto(f"/services/{SLUG}/?lang={language}")
    page.get_by_role("button", name=act.words("Start now", language)).click()
    act.walk(page, SLUG, journeys[SLUG]["happy_path"], language=language)
    return act.send(page, SLUG, language)


def test_a_citizen_answers_without_javascript_after_correcting_an_error(page, act, journeys):
    from porth.analytics.models import Feedback

    reference = _send(page, act, journeys)
    expect(page.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))
    question = page.get_by_role("group", name=QUESTION)
    expect(question).to_be_visible()

    # A comment but no rating: the error summary links to the question, the comment is kept.
    comment = page.get_by_label("How could we improve this service? (optional)")
    comment.fill("Say how deep a pothole must be. Call me on 07911 123456.")
    act.press(page, "Send feedback")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how you felt about the service you received today")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("strong.porth-reference")).to_have_text(reference)
    expect(comment).to_have_value("Say how deep a pothole must be. Call me on 07911 123456.")

    question.get_by_label("Satisfied", exact=True).check()
    act.press(page, "Send feedback")
    page.wait_for_url(re.compile(rf"/services/{SLUG}/feedback$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Thank you for your feedback"
    )
    expect(page.locator("strong.porth-reference")).to_have_text(reference)
    expect(page.get_by_role("group", name=QUESTION)).to_have_count(0)
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (
        4,
        "Say how deep a pothole must be. Call me on [phone number removed].",
    )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_question_its_errors_and_the_thanks_pass_axe(js_page, audit, act, journeys, language):
    page = js_page
    _send(page, act, journeys, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    audit("confirmation with the satisfaction question")

    comment = page.locator("#comment")
    comment.fill("x" * 1201)
    # GOV.UK Frontend counts as the citizen types, in their language.
    expect(page.locator(".govuk-character-count__status")).to_have_text(
        act.words("You have %(count)s character too many", language).replace("%(count)s", "1")
    )
    with page.expect_navigation():
        act.press(page, "Send feedback", language)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(2)  # no rating, and too long
    audit("satisfaction question with errors")

    comment.fill("Da iawn" if language == "cy" else "Very clear")
    page.locator('input[name="rating"][value="5"]').check()
    with page.expect_navigation():
        act.press(page, "Send feedback", language)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    audit("thanks for the feedback")
    audit.assert_clean()
