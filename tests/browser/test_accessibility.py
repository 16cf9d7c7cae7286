"""axe-core on every kind of page, with JavaScript on (as most people see them): WCAG 2.2 A
and AA, zero violations. Each test walks a journey once, audits every page it lands on (and
the error states on the way), then reports every violation together."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = pytest.mark.browser

SERVICES = [
    "apply-for-a-blue-badge",
    "report-a-road-problem",
    "council-tax-single-person-discount",
]


def test_catalogue_start_and_not_found_pages(js_page, audit):
    page = js_page
    for language in ("en", "cy"):
        page.goto(f"/?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        # The CSP lets GOV.UK Frontend's inline script run (it is allowed by its hash).
        expect(page.locator("body")).to_have_class(re.compile(r"govuk-frontend-supported"))
        audit(f"catalogue ({language})")
        page.goto("/?q=road")
        expect(page.get_by_role("status")).to_be_visible()
        audit(f"catalogue with results ({language})")
        page.goto("/?q=xylophone+repairs")
        expect(page.locator("main .govuk-list")).to_have_count(0)
        audit(f"catalogue with no results ({language})")
        response = page.goto("/services/no-such-service/")
        assert response is not None
        assert response.status == 404
        audit(f"404 page ({language})")
    page.goto("/?lang=en")
    for slug in SERVICES:
        page.goto(f"/services/{slug}/")
        audit(f"start page of {slug}")
    audit.assert_clean()


@pytest.mark.parametrize(
    ("slug", "path", "language"),
    [
        ("apply-for-a-blue-badge", "long_path", "en"),
        ("report-a-road-problem", "long_path", "en"),
        ("council-tax-single-person-discount", "long_path", "en"),
        ("report-a-road-problem", "happy_path", "cy"),
        ("apply-for-a-blue-badge", "happy_path", "cy"),
    ],
)
def test_journey_pages_with_and_without_errors(js_page, audit, act, journeys, slug, path, language):
    """Every question page as it first shows and after sending it empty (error summary and
    inline errors), content pages, check your answers (with and without the declaration
    error) and the confirmation page."""
    page = js_page
    page.goto(f"/services/{slug}/?lang={language}")
    page.get_by_role("button", name=act.words("Start now", language)).click()

    def on_page(step):
        audit(step.page)
        if not step.inputs:
            return  # a content page: nothing to get wrong
        with page.expect_navigation():
            act.press(page, "Continue", language)
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to it
        audit(f"{step.page} with errors")

    act.walk(page, slug, journeys[slug][path], language=language, on_page=on_page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    audit("check your answers")

    with page.expect_navigation():
        act.press(page, "Accept and send", language)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#confirm-error")).to_be_visible()
    audit("check your answers with the declaration error")

    reference = act.send(page, slug, language)
    assert act.REFERENCE.match(reference), reference
    audit("confirmation")
    audit.assert_clean()


def test_exit_pages(js_page, audit, act, journeys):
    page = js_page
    for slug, branch in [
        ("apply-for-a-blue-badge", "exit_branch"),
        ("apply-for-a-blue-badge", "second_exit_branch"),
        ("report-a-road-problem", "exit_branch"),
        ("council-tax-single-person-discount", "exit_branch"),
    ]:
        steps = journeys[slug][branch]
        page.goto(f"/services/{slug}/{steps[0].page}")
        act.walk(page, slug, steps)
        page.wait_for_url(re.compile(rf"/services/{slug}/{steps[-1].page}$"))
        audit(f"exit page {steps[-1].page}")
    page.goto("/?lang=cy")
    page.goto(f"/services/{slug}/{steps[-1].page}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    audit(f"exit page {steps[-1].page} (cy)")
    audit.assert_clean()
