"""The performance dashboards in a real browser: a service owner with JavaScript off picks a
period and channel, reads the figures, downloads them and enters a cost; axe-core on every
performance page (JavaScript on). Figures are made up (analytics/tests/sample.py): how they
are computed is tested elsewhere, what staff see is on trial here."""

import re
from datetime import date
from typing import Any

import pytest

from porth.accounts.models import Role
from porth.accounts.tests.browser import member, sign_in
from porth.analytics import views
from porth.analytics.models import Cost
from porth.analytics.periods import Period
from porth.analytics.tests import sample

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "apply-for-a-blue-badge"


@pytest.fixture(autouse=True)
def _figures(monkeypatch: pytest.MonkeyPatch) -> None:
    def daily(service: str, period: Period, metric: str) -> list[tuple[date, int]]:
        return [(period.start, 3), (period.end, 4)]

    monkeypatch.setattr(views, "figures", lambda s, p, channel=None: sample.figures(s, p, channel))
    monkeypatch.setattr(views, "overview", lambda services, p: {s: sample.kpis() for s in services})
    monkeypatch.setattr(views, "daily", daily)


def test_a_service_owner_reads_the_figures_without_javascript(page: Any, council: Any) -> None:
    owner = member(council, Role.SERVICE_OWNER, name="Osian Owner")
    page.goto("/staff/sign-in")
    sign_in(page, owner)
    page.get_by_role("link", name="Performance").click()
    page.wait_for_url(re.compile(r"/staff/performance/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Service performance")
    expect(page.locator("#table-services")).to_contain_text("28.6%")

    page.get_by_role("link", name="Apply for a Blue Badge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance:")
    page.get_by_label("Period", exact=True).select_option("week")
    page.get_by_label("Starting", exact=True).fill("2026-11-04")
    page.get_by_label("Channel", exact=True).select_option("phone")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url(re.compile(r"period=week&start=2026-11-04&channel=phone"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Performance: Week beginning 2 November 2026, phone only")
    expect(page.locator("#table-kpis")).to_contain_text("Week beginning 26 October 2026")
    expect(page.locator("svg[role=img] title").first).to_have_text(
        "Completed transactions by channel"
    )

    page.get_by_role("link", name="Previous period").click()
    expect(heading).to_have_text("Performance: Week beginning 26 October 2026, phone only")

    page.get_by_label("Starting", exact=True).fill("not a date")
    page.get_by_role("button", name="Show figures").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the start date as a real date")
    summary.get_by_role("link").click()  # the summary's link leads to the field
    expect(page.get_by_label("Starting", exact=True)).to_be_focused()

    with page.expect_download() as download:
        page.goto(f"/staff/performance/{SLUG}")
        page.get_by_role("link", name="CSV").click()
    assert re.fullmatch(rf"{SLUG}-month-\d{{4}}-\d\d-01\.csv", download.value.suggested_filename)

    page.get_by_role("link", name="Enter costs for a channel and period").click()
    page.get_by_role("button", name="Save cost").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the channel")
    page.get_by_label("Paper").check()
    page.get_by_label("Month").check()
    page.get_by_label("First day of the period").fill("2026-10-01")
    page.get_by_label("Cost", exact=True).fill("1250.50")
    page.get_by_role("button", name="Save cost").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("£1,250.50")
    assert Cost.objects.get().amount == 1250.5


def test_performance_pages_have_no_accessibility_problems(
    js_page: Any, audit: Any, council: Any
) -> None:
    page = js_page
    owner = member(council, Role.SERVICE_OWNER, name="Osian Owner")
    admin = member(council, Role.PLATFORM_ADMIN, name="Aled Admin")
    page.goto("/staff/sign-in")
    sign_in(page, owner)
    page.goto("/staff/performance/")
    audit("services")
    page.goto(f"/staff/performance/{SLUG}?period=quarter&start=2026-07-01")
    audit("dashboard")
    page.goto(f"/staff/performance/{SLUG}?period=fortnight&channel=pigeon")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("dashboard with errors")
    page.goto(f"/staff/performance/{SLUG}/costs")
    audit("costs")
    page.get_by_role("button", name="Save cost").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("costs with errors")
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.goto("/staff/sign-in")
    sign_in(page, admin)
    page.goto("/staff/performance/")
    expect(page.get_by_role("heading", name="All organisations")).to_be_visible()
    audit("overview of every organisation")
    audit.assert_clean()
