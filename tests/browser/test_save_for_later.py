"""Save and come back later in a real browser with JavaScript off: answer some questions,
save, then open the link in another browser (a new context: no cookies) and finish there.
And axe-core on every page of it, with JavaScript on, in English and Welsh.

The link reaches the test through a receiver of `saved_for_later` of its own, as the message
that carries it to a citizen is written by the notifications app."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth.submissions import signals
from porth.submissions.models import ResumeLink

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = pytest.mark.browser

SLUG = "apply-for-a-blue-badge"
ANSWERED = 3  # pages answered before saving; the fourth is answered, then saved


@pytest.fixture
def links(settings: Any, live_server: Any) -> Iterator[list[str]]:
    """The links `saved_for_later` is sent with, pointing at the live server."""
    settings.PORTH_BASE_URL = live_server.url
    found: list[str] = []

    def receiver(sender: Any, link: str, **kwargs: Any) -> None:
        found.append(link)

    signals.saved_for_later.connect(receiver, dispatch_uid="browser-save-for-later")
    yield found
    signals.saved_for_later.disconnect(dispatch_uid="browser-save-for-later")


def _new_page(browser: Any, live_server: Any, *, javascript: bool) -> Any:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _save(page: Any, act: Any, journeys: Any, language: str, address: str) -> None:
    """From the start page: answer some pages, then save on the next with its answers."""
    steps = journeys[SLUG]["happy_path"]
    page.goto(f"/services/{SLUG}/?lang={language}")
    page.get_by_role("button", name=act.words("Start now", language)).click()
    act.walk(page, SLUG, steps[:ANSWERED], language=language, partial=True)
    page.wait_for_url(act.page_path(SLUG, steps[ANSWERED].page))
    act.fill_page(page, steps[ANSWERED].inputs)
    act.press(page, "Save and come back later", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/save-for-later$"))
    page.get_by_role("radio", name=act.words("Email", language), exact=True).check()
    page.get_by_label(act.words("Email address", language)).fill(address)
    act.press(page, "Send link", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/saved$"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_save_and_come_back_later_on_another_device(
    page, browser, live_server, journeys, act, words, links, language
):
    steps = journeys[SLUG]["happy_path"]
    address = "sian.jones@example.com"
    # GOV.UK Frontend's script did not run: conditional reveals are all open without it.
    _save(page, act, journeys, language, address)

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Your answers have been saved", language)
    )
    expect(page.locator("main strong").first).to_have_text(address)
    (link,) = links
    assert link.startswith(f"{live_server.url}/resume/")
    assert link.endswith("?lang=cy") == (language == "cy")
    # This browser has let go of the answers: starting again starts afresh.
    page.goto(f"/services/{SLUG}/{steps[ANSWERED + 1].page}")
    page.wait_for_url(act.page_path(SLUG, steps[0].page))

    # Another device: no cookies, no language chosen but the link's.
    context, phone = _new_page(browser, live_server, javascript=False)
    try:
        phone.goto(link)
        expect(phone.locator("html")).to_have_attribute("lang", language)
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            words("Continue your application", language)
        )
        act.press(phone, "Continue", language)
        # The first page not answered: the one saved with its answers is done.
        act.walk(phone, SLUG, steps[ANSWERED + 1 :], language=language)
        reference = act.send(phone, SLUG, language)
        assert act.REFERENCE.match(reference), reference
    finally:
        context.close()

    # The link worked once.
    response = page.goto(link)
    assert response is not None
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("This link has already been used", language)
    )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_save_and_come_back_later_pages_are_accessible(
    js_page, audit, act, journeys, links, language
):
    page = js_page
    steps = journeys[SLUG]["happy_path"]
    page.goto(f"/services/{SLUG}/?lang={language}")
    page.get_by_role("button", name=act.words("Start now", language)).click()
    act.walk(page, SLUG, steps[:ANSWERED], language=language, partial=True)
    page.wait_for_url(act.page_path(SLUG, steps[ANSWERED].page))
    audit(f"question page with the save button ({language})")
    # Saved from a page answered in part: told its answers were not kept.
    page.locator('[name="holder_name"]').fill("Siân Jones")
    act.press(page, "Save and come back later", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/save-for-later\?unsaved=1$"))
    audit(f"where to send the link ({language})")

    with page.expect_navigation():
        act.press(page, "Send link", language)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    audit(f"where to send the link, nothing chosen ({language})")
    page.get_by_role("radio", name=act.words("Text message", language), exact=True).check()
    expect(page.get_by_label(act.words("Mobile phone number", language))).to_be_visible()
    expect(page.get_by_label(act.words("Email address", language))).to_be_hidden()
    page.get_by_label(act.words("Mobile phone number", language)).fill("01632 960 001")
    with page.expect_navigation():
        act.press(page, "Send link", language)
    expect(page.locator("#phone-error")).to_be_visible()
    audit(f"where to send the link, a landline ({language})")
    page.get_by_label(act.words("Mobile phone number", language)).fill("07700 900 982")
    act.press(page, "Send link", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/saved$"))
    audit(f"we have sent a link ({language})")

    (link,) = links
    path = link.split("://", 1)[1].split("/", 1)[1].split("?")[0]
    page.goto(f"/{path}")
    audit(f"continue your application ({language})")
    page.goto(f"/{path}x")
    audit(f"a link that does not work ({language})")
    page.goto(f"/{path}")
    act.press(page, "Continue", language)
    page.wait_for_url(act.page_path(SLUG, steps[ANSWERED].page))
    page.goto(f"/{path}")
    audit(f"a link already used ({language})")
    ResumeLink.objects.update(used_at=None, expires_at=timezone.now() - timedelta(days=1))
    page.goto(f"/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        act.words("This link has expired", language)
    )
    audit(f"a link that has expired ({language})")
    audit.assert_clean()
