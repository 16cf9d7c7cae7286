"""A request for more information, end to end in a real browser with JavaScript off: a citizen
applies (in English or Welsh), a caseworker asks for more, the citizen opens the link they
were sent in another browser and replies, and the caseworker sees the reply. Then axe-core on
every reply page, with JavaScript on."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth.accounts.tests.browser import caseworker, sign_in
from porth.casework import actions
from porth.casework.models import Case, InformationRequest, Status
from porth.casework.signals import applicant_event
from porth.casework.tests.helpers import make_case

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "apply-for-a-blue-badge"
TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings: Any, live_server: Any) -> None:
    settings.PORTH_BASE_URL = live_server.url


@pytest.fixture
def links() -> Iterator[list[str]]:
    """The reply links applicants are sent: a receiver of applicant_event for the test only
    (the notifications app sends them for real)."""
    sent: list[str] = []

    def receive(sender: Any, link: str | None = None, **kwargs: Any) -> None:
        if link:
            sent.append(link)

    applicant_event.connect(receive, weak=False, dispatch_uid="browser-test-links")
    yield sent
    applicant_event.disconnect(dispatch_uid="browser-test-links")


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[[], Any]]:
    """Pages in fresh browser contexts (another device, as far as the site can tell), with
    JavaScript off; any error the browser reports fails the test."""
    opened: list[tuple[Any, list[str]]] = []

    def open_page() -> Any:
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=False, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "response",
            lambda r: (
                problems.append(f"{r.url}: {r.status}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        opened.append((context, problems))
        return page

    yield open_page
    for context, problems in opened:
        context.close()
        assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_applicant_replies_to_a_request_for_information(
    page, new_page, act, words, journeys, council, links, language
):
    # The citizen applies, in their language.
    citizen = new_page()
    citizen.goto(f"/services/{SLUG}/?lang={language}")
    act.press(citizen, "Start now", language)
    act.walk(citizen, SLUG, journeys[SLUG]["happy_path"], language=language)
    reference = act.send(citizen, SLUG, language)

    # The caseworker asks for more.
    page.goto("/staff/sign-in")
    sign_in(page, caseworker(council))
    page.wait_for_url(re.compile(r"/staff/cases$"))
    page.goto(f"/staff/cases/{reference}")
    page.get_by_label("What do you need from the applicant?").fill(
        "Send us a photo of your PIP award letter.\nThe page with the points on it."
    )
    page.get_by_role("button", name="Ask for more information").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The applicant has been asked for more information"
    )
    expect(page.locator("main .govuk-tag").first).to_have_text("Waiting for the applicant")
    [link] = links
    assert link.startswith(f"{page.url.split('/staff/')[0]}/reply/")

    # The applicant opens the link on another device: the page is in the language they
    # applied in, with no cookie to say so.
    applicant = new_page()
    applicant.goto(link)
    expect(applicant.locator("html")).to_have_attribute("lang", language)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        words("Reply to our request for more information", language)
    )
    expect(applicant.locator(".govuk-inset-text")).to_contain_text("PIP award letter")
    expect(applicant.locator("main")).to_contain_text(reference)
    # GOV.UK Frontend did not run: no JavaScript.
    expect(applicant.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))

    act.press(applicant, "Send reply", language)
    expect(applicant.locator(".govuk-error-summary")).to_contain_text(
        words("There is a problem", language)
    )
    enter = words("Enter %(name)s", language) % {"name": words("your reply", language)}
    expect(applicant.locator(".govuk-error-summary")).to_contain_text(enter[0].upper() + enter[1:])
    applicant.get_by_label(words("Your reply", language), exact=True).fill(
        "Dyma fo: 12 pwynt.\nThe letter is from March."
    )
    act.press(applicant, "Send reply", language)
    applicant.wait_for_url(re.compile(r"/reply/[^/]+/sent$"))
    expect(applicant.locator(".govuk-panel__title")).to_have_text(words("Reply sent", language))
    expect(applicant.locator("strong.porth-reference")).to_have_text(reference)

    # The link worked once.
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        words("You have already replied", language)
    )

    # The caseworker sees the reply, and the case's new status.
    page.reload()
    expect(page.locator("main .govuk-tag").first).to_have_text("Information received")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Information received from the applicant")
    expect(timeline).to_contain_text("Dyma fo: 12 pwynt.")
    expect(timeline).to_contain_text("The applicant")
    case = Case.objects.get(reference=reference)
    assert case.status == Status.INFORMATION_RECEIVED
    assert case.submission.language == language

    # The queue can show just these cases.
    page.goto("/staff/cases?status=information_received")
    expect(page.get_by_role("link", name=reference)).to_be_visible()


def test_reply_pages_have_no_accessibility_problems(js_page, audit, council, links):
    page = js_page
    worker = caseworker(council)
    case = make_case(council, status=Status.IN_PROGRESS)
    actions.request_information(case, "Send a photo of your letter", version=1, actor=worker)
    welsh = make_case(council, status=Status.IN_PROGRESS)
    welsh.submission.language = "cy"
    welsh.submission.save()
    actions.request_information(welsh, "Anfonwch lun", version=1, actor=worker)
    english_link, welsh_link = links

    page.goto(english_link)
    expect(page.locator(".govuk-character-count__status")).to_be_visible()  # enhanced
    audit("reply page (en)")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("reply page with an error (en)")
    page.get_by_label("Your reply", exact=True).fill("Here it is")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(r"/sent$"))
    audit("reply sent (en)")
    response = page.goto(english_link)
    assert response is not None and response.status == 410
    audit("link already used (en)")

    page.goto(welsh_link)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    audit("reply page (cy)")
    page.get_by_role("button", name="Anfon ateb").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("reply page with an error (cy)")
    InformationRequest.objects.filter(case=welsh).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = page.goto(welsh_link)
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Mae’r ddolen hon wedi dod i ben")
    audit("link expired (cy)")

    response = page.goto("/reply/" + "A" * 43 + "?lang=en")
    assert response is not None and response.status == 404
    audit("link that never was (en)")

    decided = make_case(council, status=Status.IN_PROGRESS)
    actions.request_information(decided, "One more thing", version=1, actor=worker)
    Case.objects.filter(pk=decided.pk).update(status=Status.APPROVED)
    page.goto(links[-1])
    expect(page.locator(".govuk-warning-text")).to_be_visible()
    audit("reply page after a decision (en)")

    audit.assert_clean()
