"""The data publishers' pages in a real browser: a publisher signs in with JavaScript off,
adds a dataset with every kind of input (dates, themes, visibility), uploads a CSV to it and
makes an API token; then axe-core on each kind of publisher page, errors included."""

import re
from pathlib import Path
from typing import Any

import pytest

from porth.accounts.models import Role
from porth.accounts.tests.browser import member, sign_in
from porth.opendata.models import Dataset

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = b"month,casualties\n2026-01,12\n2026-02,9\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "casualties.csv"
    path.write_bytes(CSV)
    return path


def _fill_dataset(page: Any) -> None:
    page.get_by_label("Title", exact=True).fill("Road casualties")
    page.get_by_label("Title in Welsh").fill("Anafusion ar y ffyrdd")
    page.get_by_label("Web address", exact=True).fill("road-casualties")
    page.get_by_label("Description", exact=True).fill("Casualties **by month**.")
    page.get_by_label("Public: anyone can find and download it").check()
    page.get_by_label("Tags").fill("roads, safety")
    page.get_by_label("Transport").check()
    page.locator("#temporal_start-day").fill("1")
    page.locator("#temporal_start-month").fill("4")
    page.locator("#temporal_start-year").fill("2025")
    page.get_by_label("How often it is updated").select_option("MONTHLY")
    page.get_by_label("Contact email address").fill("roads@example.gov.uk")


def test_a_publisher_adds_a_dataset_uploads_a_csv_and_makes_a_token(
    page: Any, council: Any, csv_file: Path
) -> None:
    publisher = member(council, Role.DATA_PUBLISHER, name="Pedr Publisher")

    page.goto("/staff/")
    page.wait_for_url(re.compile(r"/staff/sign-in\?next="))
    sign_in(page, publisher)
    page.wait_for_url(re.compile(r"/staff/open-data/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")

    page.get_by_role("button", name="Add a dataset").click()
    _fill_dataset(page)
    page.locator("#temporal_end-day").fill("31")
    page.locator("#temporal_end-month").fill("2")  # no 31 February: refused, nothing lost
    page.locator("#temporal_end-year").fill("2026")
    page.get_by_role("button", name="Save dataset").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be a real date"
    )
    expect(page.get_by_label("Title in Welsh")).to_have_value("Anafusion ar y ffyrdd")
    expect(page.get_by_label("Transport")).to_be_checked()
    page.locator("#temporal_end-month").fill("3")
    page.get_by_role("button", name="Save dataset").click()

    page.wait_for_url(re.compile(r"/staff/open-data/dataset/road-casualties\?done=created$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The dataset is saved")
    expect(page.get_by_role("link", name="View it in the data catalogue")).to_have_attribute(
        "href", "/dataset/road-casualties"
    )

    page.get_by_role("button", name="Add a resource").click()
    page.get_by_label("Upload a file").set_input_files(str(csv_file))
    page.get_by_label("Name", exact=True).fill("Casualties by month")
    page.get_by_role("button", name="Save resource").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The resource is added")
    expect(page.locator("main table")).to_contain_text("Casualties by month")
    expect(page.locator("main table")).to_contain_text("CSV")

    dataset = Dataset.objects.get(name="road-casualties")
    resource = dataset.resources.get()
    assert (dataset.title_cy, dataset.state, dataset.private) == (
        "Anafusion ar y ffyrdd",
        "active",
        False,
    )
    assert resource.upload.read() == CSV

    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Nightly upload")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#token")).to_have_text(re.compile(r"^porth_"))
    expect(page.locator("main")).to_contain_text("ckanapi action package_list -r http")


def test_publisher_pages_have_no_accessibility_problems(
    js_page: Any, audit: Any, council: Any, csv_file: Path
) -> None:
    page = js_page
    publisher = member(council, Role.DATA_PUBLISHER, name="Pedr Publisher")
    page.goto("/staff/sign-in")
    sign_in(page, publisher)
    page.wait_for_url(re.compile(r"/staff/open-data/$"))
    audit("empty list")

    page.goto("/staff/open-data/new")
    audit("new dataset")
    page.get_by_role("button", name="Save dataset").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("new dataset with errors")
    _fill_dataset(page)
    page.get_by_role("button", name="Save dataset").click()
    page.wait_for_url(re.compile(r"\?done=created$"))
    audit("dataset page")

    page.get_by_role("button", name="Add a resource").click()
    page.get_by_role("button", name="Save resource").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("new resource with an error")
    page.get_by_label("Upload a file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Save resource").click()
    page.wait_for_url(re.compile(r"\?done=resource-added$"))
    audit("dataset page with a resource")
    page.get_by_role("link", name="casualties.csv", exact=True).click()
    audit("change resource")
    page.goto("/staff/open-data/")
    audit("list")
    page.goto("/staff/open-data/dataset/road-casualties/delete")
    audit("delete confirm")

    page.goto("/staff/open-data/api-tokens")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("tokens with an error")
    page.get_by_label("Name").fill("Nightly upload")
    page.get_by_role("button", name="Make token").click()
    audit("token made")
    audit.assert_clean()
