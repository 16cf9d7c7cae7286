"""The open data catalogue in a real browser: a reader with JavaScript off searches, filters,
reads a dataset, pages through a CSV's preview and downloads it; the same in Welsh; axe-core
on every kind of catalogue page (JavaScript on), in English and Welsh."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from porth.opendata.models import Dataset, Theme
from porth.opendata.tests.factories import DatasetFactory, ResourceFactory
from porth.opendata.vocabularies import THEMES

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(council: Any, tmp_path: Path, settings: Any) -> Dataset:
    """Three public datasets of the Example Council; the first has a 120-row CSV."""
    settings.MEDIA_ROOT = tmp_path / "media"
    council.name_cy = "Cyngor Enghreifftiol"
    council.save()
    # The live server's database is emptied between tests, themes (a data migration) too.
    for term in THEMES:
        Theme.objects.get_or_create(name=term.id, defaults={"title": term.en, "title_cy": term.cy})
    waste = DatasetFactory.create(
        name="household-waste",
        title="Household waste collected",
        title_cy="Gwastraff cartref a gasglwyd",
        notes="Tonnes of household waste collected **each month**.",
        notes_cy="Tunelli o wastraff cartref a gasglwyd **bob mis**.",
        organisation=council,
        tags=["waste", "recycling"],
        themes=["environment"],
        temporal_start="2025-04-01",
        spatial="Example County",
        frequency="MONTHLY",
    )
    body = "month,tonnes_collected,tonnes_recycled\n" + "".join(
        f"{2015 + n // 12}-{n % 12 + 1:02d},{1000 + n},{400 + n}\n" for n in range(120)
    )
    resource = ResourceFactory.create(
        dataset=waste,
        url="",
        name="Waste by month",
        name_cy="Gwastraff fesul mis",
        mimetype="text/csv",
        size=len(body),
    )
    resource.upload.save("household-waste.csv", ContentFile(body.encode()), save=True)
    DatasetFactory.create(
        name="car-parks", title="Car park spaces", organisation=council, tags=["parking"]
    )
    DatasetFactory.create(
        name="garden-waste", title="Garden waste permits", organisation=council, tags=["waste"]
    )
    return waste


def test_a_reader_finds_previews_and_downloads_data_without_javascript(
    page: Any, catalogue: Dataset
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Find open data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find open data")
    expect(page.get_by_role("status")).to_have_text("3 datasets")

    page.get_by_label("Search datasets").fill("waste")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("2 datasets")
    page.get_by_role("group", name="Tag").get_by_label(re.compile(r"^recycling")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"tags=recycling"))
    expect(page.get_by_role("status")).to_have_text("1 dataset")
    expect(page.get_by_label("Search datasets")).to_have_value("waste")

    page.get_by_role("link", name="Household waste collected").click()
    page.wait_for_url(re.compile(r"/dataset/household-waste$"))
    expect(page.locator("main")).to_contain_text("Open Government Licence v3.0")
    expect(page.locator("main strong").first).to_have_text("each month")

    page.get_by_role("link", name="Preview Waste by month").click()
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_have_text("Waste by month, rows 1 to 50")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["month", "tonnes_collected", "tonnes_recycled"]
    )
    expect(table.locator("tbody tr")).to_have_count(50)
    page.get_by_role("navigation", name="Pages of the table").get_by_role("link").click()
    expect(table.locator("caption")).to_have_text("Waste by month, rows 51 to 100")
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("2019-03")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Waste by month").click()
    assert download.value.suggested_filename == "household-waste.csv"
    assert Path(download.value.path()).read_text().startswith("month,tonnes_collected")


def test_the_catalogue_in_welsh(page: Any, catalogue: Dataset, words: Any) -> None:
    page.goto("/dataset")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Find open data", "cy"))
    results = page.locator("main .porth-datasets")
    expect(results).to_contain_text("Gwastraff cartref a gasglwyd")
    # A dataset with no Welsh title shows its English one, marked as English.
    expect(results.locator('[lang="en"]', has_text="Car park spaces")).to_have_count(1)
    page.get_by_role("group", name=words("Organisation", "cy")).get_by_label(
        re.compile("^Cyngor Enghreifftiol")
    ).check()
    page.get_by_role("button", name=words("Apply filters", "cy")).click()
    # Back to English and to Welsh again: the filter stays ticked.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_label(re.compile("^Cyngor Enghreifftiol"))).to_be_checked()
    page.get_by_role("link", name="Gwastraff cartref a gasglwyd").click()
    main = page.locator("main")
    expect(main).to_contain_text("Tunelli o wastraff cartref")
    expect(main).to_contain_text("Trwydded Llywodraeth Agored v3.0")
    expect(main).to_contain_text("1 Ebrill 2025")  # the time covered, in Welsh
    expect(main).to_contain_text("Misol")
    page.get_by_role("link", name="Gwastraff fesul mis").first.click()
    expect(page.get_by_role("table").locator("caption")).to_have_text(
        "Gwastraff fesul mis, rhesi 1 i 50"
    )


def test_every_catalogue_page_is_accessible(js_page: Any, audit: Any, catalogue: Dataset) -> None:
    page = js_page
    resource = catalogue.resources.get()
    for language in ("en", "cy"):
        page.goto(f"/dataset?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        audit(f"catalogue ({language})")
        page.goto("/dataset?q=waste&tags=waste&sort=title_string+asc")
        audit(f"search with filters ({language})")
        page.goto("/dataset?q=xylophone")
        audit(f"search with no results ({language})")
        page.goto("/dataset?sort=nonsense")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        audit(f"search with an error ({language})")
        page.goto("/dataset/household-waste")
        audit(f"dataset ({language})")
        page.goto(f"/dataset/household-waste/resource/{resource.id}?page=2")
        audit(f"CSV preview ({language})")
        for address in ("/organization", "/organization/example-council", "/group"):
            page.goto(address)
            audit(f"{address} ({language})")
        page.goto("/group/environment")
        audit(f"a theme ({language})")
    audit.assert_clean()
