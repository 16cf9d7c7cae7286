"""Citizen journeys in a real browser with JavaScript off: everything must work without it."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = pytest.mark.browser

SERVICES = [
    "apply-for-a-blue-badge",
    "report-a-road-problem",
    "council-tax-single-person-discount",
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("slug", SERVICES)
def test_happy_path_from_catalogue_to_confirmation(page, journeys, act, words, slug, language):
    journey = journeys[slug]
    page.goto("/?lang=cy" if language == "cy" else "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # GOV.UK Frontend's inline script did not run: this really is a browser without JS.
    expect(page.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))

    name = act.service_name(slug, language)
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("button", name=words("Start now", language)).click()

    act.walk(page, slug, journey["happy_path"], language=language)

    # The language cookie carried Welsh (or English) all the way through.
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Check your answers before sending your application", language)
    )
    contact = journey["happy_path"][-1].inputs
    email = next(value for key, value in contact.items() if "email" in key)
    expect(page.locator(".govuk-summary-list")).to_contain_text(email)

    reference = act.send(page, slug, language)
    assert act.REFERENCE.match(reference), reference
    assert reference.startswith(journey["prefix"] + "-")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".govuk-panel__title")).to_have_text(
        words("Application complete", language)
    )

    # Sent once: going back to check your answers shows the same confirmation.
    page.goto(f"/services/{slug}/check-answers")
    page.wait_for_url(re.compile(rf"/services/{slug}/confirmation$"))
    expect(page.locator("strong.porth-reference")).to_have_text(reference)


@pytest.mark.parametrize(
    ("slug", "branch"),
    [
        ("apply-for-a-blue-badge", "exit_branch"),
        ("apply-for-a-blue-badge", "second_exit_branch"),
        ("report-a-road-problem", "exit_branch"),
        ("council-tax-single-person-discount", "exit_branch"),
    ],
)
def test_exit_branch_ends_on_exit_page(page, journeys, act, slug, branch):
    steps = journeys[slug][branch]
    page.goto(f"/services/{slug}/")
    page.get_by_role("button", name=act.words("Start now", "en")).click()
    act.walk(page, slug, steps)

    page.wait_for_url(act.page_path(slug, steps[-1].page))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    # No form but the one every journey page has, to clear the answers from a shared computer.
    expect(page.locator("main form:not([action$='/sign-out'])")).to_have_count(0)
    expect(
        page.get_by_role("button", name="Sign out and clear my answers from this computer")
    ).to_be_visible()
    # The way out is back, to change the answer that led here.
    expect(page.locator(".govuk-back-link")).to_have_attribute(
        "href", f"/services/{slug}/{steps[-2].page}"
    )


def test_empty_required_page_shows_error_summary_linked_to_the_field(page, act):
    page.goto("/services/council-tax-single-person-discount/how-many-adults")
    act.press(page, "Continue")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#adults_count")
    field = page.locator("#adults_count")
    expect(field).to_have_attribute("aria-describedby", re.compile(r"adults_count-error"))
    expect(page.locator("#adults_count-error")).to_be_visible()

    link.click()
    assert page.url.endswith("#adults_count")
    assert page.evaluate("() => document.querySelector(':target')?.id") == "adults_count"


def test_error_summary_link_focuses_the_field_with_javascript(js_page, act):
    page = js_page
    page.goto("/services/council-tax-single-person-discount/how-many-adults")
    expect(page.locator("body")).to_have_class(re.compile(r"govuk-frontend-supported"))
    act.press(page, "Continue")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(page.locator("#adults_count")).to_be_focused()


def test_errors_on_a_page_of_several_questions_link_to_each_field(page, journeys, act):
    slug = "apply-for-a-blue-badge"
    page.goto(f"/services/{slug}/")
    page.get_by_role("button", name="Start now").click()
    act.walk(page, slug, journeys[slug]["happy_path"][:3], partial=True)

    page.wait_for_url(act.page_path(slug, "badge-holder-details"))
    page.locator('[name="holder_name"]').fill("Siân Jones")
    page.locator('[name="holder_date_of_birth-day"]').fill("31")
    page.locator('[name="holder_date_of_birth-month"]').fill("2")
    act.press(page, "Continue")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    hrefs = [link.get_attribute("href") for link in summary.get_by_role("link").all()]
    assert hrefs, "the error summary has no links"
    for href in hrefs:
        assert page.locator(href).count() == 1, f"{href} links to nothing"
    assert "#holder_name" not in hrefs  # that answer was fine
    # What was typed is kept, and each wrong answer has its message by the field.
    expect(page.locator('[name="holder_name"]')).to_have_value("Siân Jones")
    expect(page.locator('[name="holder_date_of_birth-day"]')).to_have_value("31")
    expect(page.locator("main .govuk-error-message")).to_have_count(len(hrefs))

    summary.get_by_role("link").first.click()
    target = page.evaluate("() => document.querySelector(':target')?.id")
    assert f"#{target}" == hrefs[0]


def test_change_link_on_check_answers_comes_back_to_check_answers(page, journeys, act):
    slug = "council-tax-single-person-discount"
    page.goto(f"/services/{slug}/")
    page.get_by_role("button", name="Start now").click()
    act.walk(page, slug, journeys[slug]["happy_path"])

    page.get_by_role("link", name="Change Email address").click()
    page.wait_for_url(act.page_path(slug, "contact-details"))
    email = page.get_by_label("Email address")
    expect(email).to_have_value("rhian.evans@example.com")
    email.fill("rhian@example.org")
    act.press(page, "Continue")

    # (The browser keeps the Change link's #fragment across the redirect.)
    page.wait_for_url(re.compile(rf"/services/{slug}/check-answers(#.*)?$"))
    answers = page.locator(".govuk-summary-list")
    expect(answers).to_contain_text("rhian@example.org")
    expect(answers).not_to_contain_text("rhian.evans@example.com")
    assert act.REFERENCE.match(act.send(page, slug))


@pytest.mark.parametrize(
    ("language", "words_typed", "slug"),
    [
        ("en", "pothole", "report-a-road-problem"),
        ("en", "blue badge", "apply-for-a-blue-badge"),
        ("cy", "treth gyngor person sengl", "council-tax-single-person-discount"),
    ],
)
def test_catalogue_search_finds_the_service(page, act, words, language, words_typed, slug):
    page.goto("/?lang=cy" if language == "cy" else "/")
    page.get_by_label(words("Search services", language)).fill(words_typed)
    page.get_by_role("button", name=words("Search", language), exact=True).click()

    page.wait_for_url(re.compile(r"/\?q="))
    results = page.locator("main .govuk-list").get_by_role("link")
    expect(results).to_have_count(1)
    expect(results).to_have_text(act.service_name(slug, language))
    expect(page.get_by_role("status")).to_contain_text(words_typed)
    results.click()
    page.wait_for_url(re.compile(rf"/services/{slug}/$"))


def test_catalogue_search_without_matches_says_so(page):
    page.goto("/")
    page.get_by_label("Search services").fill("xylophone repairs")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("No services match your search")).to_be_visible()
    expect(page.locator("main .govuk-list")).to_have_count(0)


def test_language_switch_is_remembered(page, act):
    slug = "report-a-road-problem"
    page.goto(f"/services/{slug}/")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.wait_for_url(re.compile(rf"/services/{slug}/\?lang=cy$"))
    page.get_by_role("button", name=act.words("Start now", "cy")).click()

    page.wait_for_url(act.page_path(slug, "is-it-dangerous"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
