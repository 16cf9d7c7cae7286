"""The catalogue's public pages, as a reader uses them: find, read, preview, download."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from porth.accounts.tests.factories import OrganisationFactory, signed_in_client
from porth.opendata.models import Dataset, State
from porth.opendata.performance import CSV_KEY, CSVW_KEY

from .factories import DatasetFactory, ResourceFactory, publisher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def council() -> Any:
    return OrganisationFactory.create(
        slug="example-council", name="Example Council", name_cy="Cyngor Enghreifftiol"
    )


def csv_resource(dataset: Dataset, rows: int = 120, **fields: Any) -> Any:
    body = "month,tonnes,note\n" + "".join(
        f"2025-{i:04d},{i * 10},row {i}\n" for i in range(1, rows + 1)
    )
    resource = ResourceFactory.create(
        dataset=dataset,
        url="",
        name="Waste collected",
        mimetype="text/csv",
        size=len(body),
        **fields,
    )
    resource.upload.save("waste.csv", ContentFile(body.encode()), save=True)
    return resource


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Finding datasets --------------------------------------------------------------------------


def test_the_catalogue_lists_public_datasets_with_facet_counts(
    client: Client, council: Any
) -> None:
    DatasetFactory.create(
        title="Household waste", organisation=council, tags=["waste"], themes=["environment"]
    )
    DatasetFactory.create(
        title="Car parks",
        notes="Spaces in **every** [car park](https://example.gov.uk/parking).",
        organisation=council,
        tags=["parking"],
    )
    DatasetFactory.create(title="Secret plans", organisation=council, private=True)
    DatasetFactory.create(title="Half done", organisation=council, state=State.DRAFT)
    DatasetFactory.create(title="Gone", organisation=council, state=State.DELETED)
    page = text(client.get("/dataset"))
    assert "2 datasets" in page
    assert "Household waste" in page and "Car parks" in page
    assert "Secret plans" not in page and "Half done" not in page and "Gone" not in page
    assert "Spaces in every car park." in page  # the description's text, without its markdown
    assert 'name="organization" type="checkbox" value="example-council"' in page
    assert 'Example Council <span class="govuk-hint govuk-!-display-inline">(2)</span>' in page
    assert "Environment" in page  # the theme facet shows the theme's title


def test_words_and_ticked_filters_narrow_the_results(client: Client, council: Any) -> None:
    DatasetFactory.create(title="Household waste", organisation=council, tags=["waste"])
    DatasetFactory.create(title="Garden waste", organisation=council, tags=["garden"])
    DatasetFactory.create(title="Car parks", organisation=council, tags=["parking"])
    page = text(client.get("/dataset", {"q": "waste"}))
    assert "2 datasets" in page and "Car parks" not in page
    page = text(client.get("/dataset", {"q": "waste", "tags": "garden"}))
    assert "1 dataset" in page and "Garden waste" in page and "Household waste" not in page
    assert 'value="garden" checked' in page
    assert 'href="/dataset?q=waste">Clear filters' in page
    # Switching language keeps the search and its filters.
    assert 'href="?q=waste&amp;tags=garden&amp;lang=cy" class="govuk-link" hreflang="cy"' in page


def test_a_ticked_filter_that_matches_nothing_stays_listed_to_untick(
    client: Client, council: Any
) -> None:
    DatasetFactory.create(title="Car parks", organisation=council, tags=["parking"])
    page = text(client.get("/dataset", {"tags": "nowhere"}))
    assert "0 datasets" in page
    assert 'value="nowhere" checked' in page


def test_the_results_come_in_pages_of_twenty(client: Client, council: Any) -> None:
    for n in range(45):
        DatasetFactory.create(title=f"Dataset {n:02d}", organisation=council)
    first = text(client.get("/dataset", {"sort": "title_string asc"}))
    assert "45 datasets" in first
    assert "Dataset 19" in first and "Dataset 20" not in first
    assert 'href="?sort=title_string+asc&amp;page=2" rel="next"' in first
    third = text(client.get("/dataset", {"sort": "title_string asc", "page": "3"}))
    assert "Dataset 44" in third and "Dataset 39" not in third
    assert 'aria-current="page"' in third
    assert 'Previous<span class="govuk-visually-hidden"> page</span>' in third
    numbers = re.findall(r'aria-label="Page (\d+)"', third)
    assert numbers == ["1", "2", "3"]  # page 2 shown, not an ellipsis standing for it
    assert client.get("/dataset", {"page": "4"}).status_code == 404
    assert client.get("/dataset", {"page": "two"}).status_code == 404


def test_an_unknown_sort_is_explained_not_a_crash(client: Client, council: Any) -> None:
    DatasetFactory.create(title="Car parks", organisation=council)
    response = client.get("/dataset", {"sort": "price desc; drop table"})
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and 'href="#sort"' in page
    assert "Car parks" in page  # the default sort is used meanwhile
    # Another of CKAN's sorts, from a link to a CKAN site, is kept.
    response = client.get("/dataset", {"sort": "name desc"})
    assert response.status_code == 200
    assert '<option value="name desc" selected>name desc</option>' in text(response)


def test_a_search_the_search_cannot_parse_is_explained(
    client: Client, council: Any, monkeypatch: Any
) -> None:
    from porth.opendata import search, views

    def refuse(query: Any) -> Any:
        raise search.SearchQueryError("unbalanced")

    monkeypatch.setattr(views, "search", refuse)
    response = client.get("/dataset", {"q": '"unbalanced'})
    assert response.status_code == 400
    assert 'href="#q"' in text(response)


def test_the_catalogue_is_in_welsh(client: Client, council: Any) -> None:
    DatasetFactory.create(
        title="Household waste", title_cy="Gwastraff cartref", organisation=council
    )
    DatasetFactory.create(title="Car parks", organisation=council)
    page = text(client.get("/dataset?lang=cy"))
    assert '<html lang="cy"' in page
    assert "Gwastraff cartref" in page
    assert '<span lang="en">Car parks</span>' in page  # no Welsh title: English, marked so
    assert "Cyngor Enghreifftiol" in page


# --- A dataset --------------------------------------------------------------------------------


def test_a_dataset_page_says_what_who_licence_coverage_and_lists_files(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(
        name="household-waste",
        title="Household waste",
        notes="Tonnes collected **by month**.\n\n<script>alert(1)</script>",
        organisation=council,
        tags=["waste"],
        themes=["environment"],
        temporal_start="2025-04-01",
        temporal_end="2026-03-31",
        spatial="Example County",
        frequency="MONTHLY",
        maintainer="Data team",
        maintainer_email="data@example.gov.uk",
    )
    resource = csv_resource(dataset)
    ResourceFactory.create(
        dataset=dataset, name="Map", format="GeoJSON", url="https://maps.example.gov.uk/bins"
    )
    page = text(client.get("/dataset/household-waste"))
    assert '<h1 class="govuk-heading-xl">Household waste</h1>' in page
    assert "<strong>by month</strong>" in page and "<script>alert" not in page
    assert (
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in page
    )
    assert "1 April 2025 to 31 March 2026" in page
    assert "Example County" in page and "Monthly" in page
    assert 'href="/group/environment">Environment' in page
    assert 'href="mailto:data@example.gov.uk"' in page
    assert f'href="/dataset/household-waste/resource/{resource.id}/download/waste.csv"' in page
    assert f'href="/dataset/household-waste/resource/{resource.id}#preview"' in page
    assert 'href="https://maps.example.gov.uk/bins"' in page
    assert '<link rel="alternate" type="text/turtle" href="/dataset/household-waste.ttl">' in page


def test_a_dataset_page_describes_it_for_search_engines(client: Client, council: Any) -> None:
    dataset = DatasetFactory.create(
        name="toilets",
        title="Public toilets </script><script>alert(1)</script>",
        organisation=council,
        tags=["toilets"],
        temporal_start="2025-01-01",
        spatial="Example County",
    )
    resource = csv_resource(dataset)
    page = client.get("/dataset/toilets").content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Dataset"
    assert data["name"] == "Public toilets </script><script>alert(1)</script>"
    assert data["url"] == "http://testserver/dataset/toilets"
    assert data["license"].startswith("https://www.nationalarchives.gov.uk/")
    assert data["keywords"] == ["toilets"]
    assert data["temporalCoverage"] == "2025-01-01/.."
    assert data["spatialCoverage"]["name"] == "Example County"
    assert data["publisher"]["name"] == "Example Council"
    (download,) = data["distribution"]
    assert download["@type"] == "DataDownload"
    assert download["encodingFormat"] == "text/csv"
    assert download["contentUrl"].endswith(f"/resource/{resource.id}/download/waste.csv")
    assert "</script><script>" not in page.split("<body")[0]  # escaped inside the element


def test_private_draft_and_deleted_datasets_are_not_found_by_the_public(
    client: Client, council: Any
) -> None:
    hidden: dict[str, dict[str, Any]] = {
        "secret": {"private": True},
        "half-done": {"state": State.DRAFT},
        "gone": {"state": State.DELETED},
    }
    for name, fields in hidden.items():
        dataset = DatasetFactory.create(name=name, organisation=council, **fields)
        resource = csv_resource(dataset)
        assert client.get(f"/dataset/{name}").status_code == 404
        assert client.get(f"/dataset/{name}/resource/{resource.id}").status_code == 404
        assert (
            client.get(f"/dataset/{name}/resource/{resource.id}/download/waste.csv").status_code
            == 404
        )


def test_a_signed_in_publisher_sees_their_own_drafts_marked_so(council: Any) -> None:
    DatasetFactory.create(
        name="half-done", title="Half done", organisation=council, state=State.DRAFT
    )
    DatasetFactory.create(name="theirs", organisation=OrganisationFactory.create(), private=True)
    client = signed_in_client(publisher(council))
    response = client.get("/dataset/half-done")
    assert response.status_code == 200
    assert "This is a draft" in text(response)
    assert "no-store" in response["Cache-Control"]
    assert "Half done" in text(client.get("/dataset"))
    assert client.get("/dataset/theirs").status_code == 404  # another organisation's


def test_a_dataset_is_found_by_its_id_too(client: Client, council: Any) -> None:
    dataset = DatasetFactory.create(name="car-parks", organisation=council)
    response = client.get(f"/dataset/{dataset.id}")
    assert response.status_code == 302
    assert response["Location"] == "/dataset/car-parks"
    assert client.get("/dataset/no-such-dataset").status_code == 404
    hidden = DatasetFactory.create(name="secret-name", organisation=council, private=True)
    assert client.get(f"/dataset/{hidden.id}").status_code == 404  # its name not given away


# --- Resources: preview and download ------------------------------------------------------------


def test_a_csv_is_previewed_as_a_table_fifty_rows_a_page(client: Client, council: Any) -> None:
    dataset = DatasetFactory.create(name="waste", organisation=council)
    resource = csv_resource(dataset, rows=120)
    address = f"/dataset/waste/resource/{resource.id}"
    page = text(client.get(address))
    assert "<caption" in page and "Waste collected, rows 1 to 50" in page
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">tonnes</th>'
        in page
    )
    assert '<th scope="col" class="govuk-table__header">note</th>' in page
    assert ">row 50</td>" in page and ">row 51</td>" not in page
    assert 'href="?page=2#preview" rel="next"' in page
    assert 'Next<span class="govuk-visually-hidden"> page</span>' in page
    last = text(client.get(address, {"page": "3"}))
    assert (
        "rows 101 to 120" in last
        and 'rel="next"' not in last
        and 'href="?page=2#preview" rel="prev"' in last
    )
    assert client.get(address, {"page": "4"}).status_code == 404
    assert client.get(address, {"page": "-1"}).status_code == 404


def test_a_file_that_is_not_a_readable_csv_is_offered_for_download_only(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(name="broken", organisation=council)
    resource = ResourceFactory.create(dataset=dataset, url="", name="Broken", mimetype="text/csv")
    resource.upload.save("broken.csv", ContentFile(b"a,b\n\xff\xfe,2\n"), save=True)
    response = client.get(f"/dataset/broken/resource/{resource.id}")
    assert response.status_code == 200
    assert "cannot be shown as a table" in text(response)


def test_json_and_links_have_no_preview(client: Client, council: Any) -> None:
    dataset = DatasetFactory.create(name="mixed", organisation=council)
    data = ResourceFactory.create(
        dataset=dataset, url="", name="Data", format="JSON", mimetype="application/json"
    )
    data.upload.save("data.json", ContentFile(b'{"a": 1}'), save=True)
    link = ResourceFactory.create(
        dataset=dataset, name="Elsewhere", url="https://example.gov.uk/data.csv"
    )
    page = text(client.get(f"/dataset/mixed/resource/{data.id}"))
    assert "<table" not in page and "There is no preview of this format" in page
    page = text(client.get(f"/dataset/mixed/resource/{link.id}"))
    assert "<table" not in page and 'href="https://example.gov.uk/data.csv"' in page


def test_a_download_is_the_file_as_an_attachment_under_its_own_name(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(name="waste", organisation=council)
    resource = csv_resource(dataset, rows=2)
    response = client.get(f"/dataset/waste/resource/{resource.id}/download/waste.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="waste.csv"'
    assert b"".join(response.streaming_content).startswith(b"month,tonnes,note\n")  # type: ignore[attr-defined]
    # CKAN's address without the name, or with a wrong one, leads to the file's own.
    for wrong in ("/download", "/download/other.csv"):
        moved = client.get(f"/dataset/waste/resource/{resource.id}{wrong}")
        assert moved.status_code == 302
        assert moved["Location"] == f"/dataset/waste/resource/{resource.id}/download/waste.csv"


def test_a_link_resource_download_leads_to_its_address(client: Client, council: Any) -> None:
    dataset = DatasetFactory.create(name="linked", organisation=council)
    link = ResourceFactory.create(dataset=dataset, url="https://example.gov.uk/data.csv")
    response = client.get(f"/dataset/linked/resource/{link.id}/download")
    assert response.status_code == 302 and response["Location"] == "https://example.gov.uk/data.csv"


def test_the_performance_csv_names_its_csvw_dictionary_in_a_link_header(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(name="blue-badge-performance", organisation=council)
    table = csv_resource(dataset, rows=2, generated=CSV_KEY)
    dictionary = ResourceFactory.create(dataset=dataset, url="", format="JSON", generated=CSVW_KEY)
    dictionary.upload.save("waste.csv-metadata.json", ContentFile(b"{}"), save=True)
    response = client.get(f"/dataset/blue-badge-performance/resource/{table.id}/download/waste.csv")
    expected = f"http://testserver/dataset/blue-badge-performance/resource/{dictionary.id}/download/waste.csv-metadata.json"
    assert response["Link"] == f'<{expected}>; rel="describedby"; type="application/csvm+json"'


def test_a_file_missing_from_storage_is_not_found_not_an_error(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(name="lost", organisation=council)
    resource = csv_resource(dataset, rows=2)
    Path(resource.upload.path).unlink()
    assert client.get(f"/dataset/lost/resource/{resource.id}/download/waste.csv").status_code == 404
    assert "cannot be shown as a table" in text(client.get(f"/dataset/lost/resource/{resource.id}"))


def test_a_resource_of_another_dataset_is_not_found(client: Client, council: Any) -> None:
    DatasetFactory.create(name="one", organisation=council)
    other = csv_resource(DatasetFactory.create(name="two", organisation=council), rows=1)
    assert client.get(f"/dataset/one/resource/{other.id}").status_code == 404


# --- Organisations and themes -----------------------------------------------------------------


def test_organisations_and_themes_list_their_public_datasets(client: Client, council: Any) -> None:
    DatasetFactory.create(title="Household waste", organisation=council, themes=["environment"])
    DatasetFactory.create(
        title="Secret", organisation=council, themes=["environment"], private=True
    )
    OrganisationFactory.create(slug="quiet", name="Quiet Agency")  # no data: not listed
    page = text(client.get("/organization"))
    assert (
        'href="/organization/example-council">Example Council</a> <span class="govuk-body-s">(1 dataset)'
        in page
    )
    assert "Quiet Agency" not in page
    page = text(client.get("/organization/example-council"))
    assert "Household waste" in page and "Secret" not in page
    assert 'href="/dataset?organization=example-council"' in page
    page = text(client.get("/group"))
    assert 'href="/group" aria-current="true"' in page  # the navigation says where you are
    assert (
        'href="/group/environment">Environment</a> <span class="govuk-body-s">(1 dataset)' in page
    )
    page = text(client.get("/group/environment?lang=cy"))
    assert "Amgylchedd" in page and "Household waste" in page
    assert client.get("/organization/nobody").status_code == 404
    assert client.get("/group/nothing").status_code == 404


def test_the_front_door_links_to_the_data_catalogue(client: Client) -> None:
    assert 'href="/dataset"' in client.get("/").content.decode()


def test_a_page_of_results_costs_the_same_queries_however_many_datasets(
    client: Client, council: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dataset").status_code == 200
        return len(captured)

    DatasetFactory.create(organisation=council, tags=["a"], themes=["health"])
    few = queries()
    for n in range(19):
        dataset = DatasetFactory.create(organisation=council, tags=[f"t{n}"], themes=["health"])
        ResourceFactory.create(dataset=dataset)
    assert queries() == few


def test_a_publishers_search_results_are_not_kept_by_shared_caches(council: Any) -> None:
    DatasetFactory.create(title="Half done", organisation=council, state=State.DRAFT)
    response = signed_in_client(publisher(council)).get("/dataset")
    assert "Half done" in text(response)
    assert "no-store" in response["Cache-Control"]


def test_every_page_of_the_demo_catalogue_opens(client: Client, settings: Any) -> None:
    """The demo's datasets (`porth run`), the performance ones among them, as a reader meets
    them: every dataset, every file's page and download."""
    from django.core.management import call_command

    from porth.analytics import demo as analytics_demo
    from porth.services import registry

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    registry.reload()
    call_command("demo", verbosity=0)
    analytics_demo.seed(journeys=20)
    call_command("opendata_demo", verbosity=0)
    listing = client.get("/dataset")
    assert listing.status_code == 200
    datasets = Dataset.objects.filter(state=State.ACTIVE, private=False)
    assert f"{datasets.count()} datasets" in text(listing)
    previews = 0
    for dataset in datasets:
        assert client.get(f"/dataset/{dataset.name}").status_code == 200
        for resource in dataset.resources.all():
            page = client.get(f"/dataset/{dataset.name}/resource/{resource.id}")
            assert page.status_code == 200
            previews += "<table" in page.content.decode()
            if resource.upload:
                download = client.get(f"/dataset/{dataset.name}/resource/{resource.id}/download")
                assert download.status_code == 302
                assert client.get(download["Location"]).status_code == 200
    assert previews >= datasets.count()  # each has a CSV at least
    for address in ("/organization", "/group", "/group/digital-service-performance"):
        assert client.get(address).status_code == 200


def test_the_performance_csv_preview_names_its_columns_in_words(
    client: Client, council: Any
) -> None:
    dataset = DatasetFactory.create(name="blue-badge-performance", organisation=council)
    resource = ResourceFactory.create(dataset=dataset, url="", generated=CSV_KEY, name="By month")
    body = b"month,transactions_online,completion_rate\n2026-01,[c],0.91\n"
    resource.upload.save("performance.csv", ContentFile(body), save=True)
    address = f"/dataset/blue-badge-performance/resource/{resource.id}"
    page = text(client.get(address))
    assert "Transactions online <span" in page and ">transactions_online</span>" in page
    assert "Trafodion ar-lein <span" in text(client.get(address + "?lang=cy"))


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (1, [1, 2, "…", 10]),
        (4, [1, 2, 3, 4, 5, "…", 10]),
        (6, [1, "…", 5, 6, 7, "…", 10]),
        (10, [1, "…", 9, 10]),
    ],
)
def test_pagination_shows_the_ends_and_the_neighbours(page: int, shown: list[Any]) -> None:
    from django.test import RequestFactory

    from porth.opendata.views import pagination

    items = pagination(RequestFactory().get("/dataset"), page, 200)["items"]
    assert [("…" if item.get("ellipsis") else item["number"]) for item in items] == shown


def test_the_pages_name_their_dcat_forms_and_each_opens(client: Client, council: Any) -> None:
    DatasetFactory.create(name="car-parks", organisation=council)
    for address in ("/dataset", "/dataset/car-parks"):
        alternates = re.findall(
            r'<link rel="alternate" type="([^"]+)" href="([^"]+)">',
            client.get(address).content.decode(),
        )
        assert {kind for kind, _ in alternates} == {
            "text/turtle",
            "application/rdf+xml",
            "application/ld+json",
        }
        for kind, href in alternates:
            response = client.get(href)
            assert response.status_code == 200, href
            assert response["Content-Type"].startswith(kind), href


def test_two_options_ticked_in_one_filter_show_the_datasets_of_either(
    client: Client, council: Any
) -> None:
    DatasetFactory.create(title="Car parks", organisation=council, tags=["parking"])
    DatasetFactory.create(title="Bus stops", organisation=council, tags=["buses"])
    DatasetFactory.create(title="Libraries", organisation=council, tags=["books"])
    page = text(client.get("/dataset", {"tags": ["parking", "buses"]}))
    assert "2 datasets" in page and "Car parks" in page and "Bus stops" in page
    assert "Libraries" not in page
    page = text(client.get("/dataset", {"tags": ["parking", "buses"], "organization": "nowhere"}))
    assert "0 datasets" in page  # and each filter still applies
