"""The publishers' pages: a dataset made, changed and deleted through the forms (audited),
errors shown against their inputs with what was typed kept, resources uploaded, linked,
changed and deleted, and API tokens made (shown once) and revoked."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from porth.accounts.models import Role, User
from porth.accounts.tests.factories import MembershipFactory, signed_in_client
from porth.audit.models import AuditEvent
from porth.opendata import tokens
from porth.opendata.models import ApiToken, Dataset, Resource, State

from .factories import DatasetFactory, ResourceFactory, publisher

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Road casualties",
    "title_cy": "Anafusion ar y ffyrdd",
    "name": "road-casualties",
    "owner_org": "example-council",
    "notes": "Casualties **by month**.",
    "notes_cy": "Anafusion bob mis.",
    "visibility": "public",
    "license_id": "CC-BY-4.0",
    "tag_string": "roads, safety",
    "groups": ["transport", "health"],
    "temporal_start-day": "1",
    "temporal_start-month": "4",
    "temporal_start-year": "2025",
    "temporal_end-day": "31",
    "temporal_end-month": "3",
    "temporal_end-year": "2026",
    "spatial": "Cardiff",
    "spatial_uri": "http://statistics.data.gov.uk/id/statistical-geography/W06000015",
    "frequency": "MONTHLY",
    "maintainer": "Road Safety Team",
    "maintainer_email": "roads@example.gov.uk",
    "author": "Traffic Unit",
    "author_email": "traffic@example.gov.uk",
    "version": "2.1",
    "url": "https://example.gov.uk/roads",
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user() -> User:
    return publisher("example-council")


@pytest.fixture
def client(user: User) -> Client:
    return signed_in_client(user)


def test_a_publisher_adds_a_dataset_with_every_field(client: Client, user: User) -> None:
    response = client.get("/staff/open-data/new")
    assert response.status_code == 200
    assert 'name="owner_org" value="example-council"' in response.content.decode()

    response = client.post("/staff/open-data/new", FORM)

    assert response.status_code == 303
    assert response["Location"] == "/staff/open-data/dataset/road-casualties?done=created"
    dataset = Dataset.objects.get(name="road-casualties")
    assert (dataset.title_cy, dataset.notes_cy) == ("Anafusion ar y ffyrdd", "Anafusion bob mis.")
    assert (dataset.state, dataset.private, dataset.license_id) == ("active", False, "CC-BY-4.0")
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["roads", "safety"]
    assert sorted(dataset.themes.values_list("name", flat=True)) == ["health", "transport"]
    assert str(dataset.temporal_start) == "2025-04-01"
    assert str(dataset.temporal_end) == "2026-03-31"
    assert dataset.frequency == "MONTHLY"
    assert dataset.spatial_uri.endswith("W06000015")
    assert (dataset.maintainer_email, dataset.author, dataset.version) == (
        "roads@example.gov.uk",
        "Traffic Unit",
        "2.1",
    )
    assert AuditEvent.objects.get(action="opendata.dataset_created").actor_id == user.pk
    page = client.get(response["Location"]).content.decode()
    assert "The dataset is saved" in page
    assert 'href="/dataset/road-casualties"' in page  # public: a link to the catalogue page


def test_visibility_draft_and_private_are_kept_as_ckan_keeps_them(client: Client) -> None:
    client.post("/staff/open-data/new", {**FORM, "visibility": "draft"})
    client.post("/staff/open-data/new", {**FORM, "name": "secret", "visibility": "private"})
    assert Dataset.objects.get(name="road-casualties").state == State.DRAFT
    assert Dataset.objects.get(name="secret").private is True


def test_errors_are_shown_against_their_inputs_and_nothing_typed_is_lost(
    client: Client,
) -> None:
    DatasetFactory.create(name="taken")
    response = client.post(
        "/staff/open-data/new",
        {
            **FORM,
            "name": "taken",
            "title": "",
            "tag_string": "ok, x",
            "maintainer_email": "not an address",
            "temporal_end-year": "2020",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Error: Add a dataset" in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    for href, text in [
        ("#title", "Enter a title"),
        ("#name", "That URL is already in use."),
        ("#tag_string", "must be 2 to 100 letters"),
        ("#temporal_end-day", "Must be on or after the start of the period"),
        ("#maintainer_email", "Must be an email address"),
    ]:
        assert f'href="{href}"' in summary and text in summary, href
    assert summary.index("#title") < summary.index("#name") < summary.index("#maintainer")
    # What was typed is still there.
    assert 'value="Anafusion ar y ffyrdd"' in page
    assert 'value="ok, x"' in page
    assert 'value="transport" checked' in page
    assert "Casualties **by month**." in page
    assert not Dataset.objects.filter(name="road-casualties").exists()


def test_a_date_that_is_not_real_is_refused_before_anything_is_saved(client: Client) -> None:
    response = client.post(
        "/staff/open-data/new",
        {**FORM, "temporal_start-day": "31", "temporal_start-month": "2"},
    )
    assert response.status_code == 400
    assert "The start of the period must be a real date" in response.content.decode()
    assert not Dataset.objects.exists()


def test_editing_changes_the_dataset_keeps_its_extras_and_is_audited(
    client: Client, user: User
) -> None:
    dataset = DatasetFactory.create(
        name="roads",
        organisation=user.memberships.get().organisation,
        tags=["roads"],
        extras={"harvest_source": "ons"},
    )
    page = client.get("/staff/open-data/dataset/roads").content.decode()
    assert 'value="roads"' in page and "Counts of things, by month." in page

    response = client.post(
        "/staff/open-data/dataset/roads", {**FORM, "name": "roads", "visibility": "private"}
    )

    assert response.status_code == 303
    dataset.refresh_from_db()
    assert (dataset.title, dataset.private) == ("Road casualties", True)
    assert dataset.extras == {"harvest_source": "ons"}
    event = AuditEvent.objects.get(action="opendata.dataset_updated")
    assert "title" in event.data["changed"] and "private" in event.data["changed"]


def test_deleting_asks_first_then_marks_the_dataset_deleted(client: Client, user: User) -> None:
    dataset = DatasetFactory.create(name="roads", organisation=user.memberships.get().organisation)
    confirm = client.get("/staff/open-data/dataset/roads/delete")
    assert "Are you sure you want to delete this dataset?" in confirm.content.decode()
    assert Dataset.objects.get(pk=dataset.pk).state == State.ACTIVE

    response = client.post("/staff/open-data/dataset/roads/delete")

    assert response["Location"] == "/staff/open-data/?done=deleted"
    assert Dataset.objects.get(pk=dataset.pk).state == State.DELETED
    listed = client.get("/staff/open-data/").content.decode()
    assert "/staff/open-data/dataset/roads" not in listed
    assert (
        "/staff/open-data/dataset/roads"
        in client.get("/staff/open-data/?show=deleted").content.decode()
    )


def test_the_list_shows_only_the_publishers_organisations_filtered_by_visibility(
    client: Client, user: User
) -> None:
    own = user.memberships.get().organisation
    DatasetFactory.create(
        name="mine-draft", title="Mine draft", organisation=own, state=State.DRAFT
    )
    DatasetFactory.create(name="mine-private", title="Mine private", organisation=own, private=True)
    DatasetFactory.create(name="theirs", title="Theirs")

    def shown(query: str = "") -> set[str]:
        page = client.get(f"/staff/open-data/{query}").content.decode()
        return {t for t in ("Mine draft", "Mine private", "Theirs") if t in page}

    assert shown() == {"Mine draft", "Mine private"}
    assert shown("?show=draft") == {"Mine draft"}
    assert shown("?show=private") == {"Mine private"}
    assert shown("?show=public") == set()


def test_another_organisations_dataset_is_not_found(client: Client) -> None:
    DatasetFactory.create(name="theirs")
    assert client.get("/staff/open-data/dataset/theirs").status_code == 404
    assert client.post("/staff/open-data/dataset/theirs/delete").status_code == 404
    assert Dataset.objects.get(name="theirs").state == State.ACTIVE


def test_a_caseworker_is_not_a_publisher(user: User) -> None:
    caseworker = MembershipFactory.create(
        organisation=user.memberships.get().organisation, role=Role.CASEWORKER
    ).user
    assert signed_in_client(caseworker).get("/staff/open-data/").status_code == 404


def test_a_publisher_lands_on_the_open_data_pages_and_sees_them_in_the_menu(
    client: Client,
) -> None:
    response = client.get("/staff/")
    assert response["Location"] == "/staff/open-data/"
    page = client.get("/staff/open-data/").content.decode()
    assert 'href="/staff/open-data/api-tokens"' in page


# --- Resources ---------------------------------------------------------------------------------


@pytest.fixture
def dataset(user: User) -> Dataset:
    return DatasetFactory.create(name="roads", organisation=user.memberships.get().organisation)


def test_a_csv_upload_becomes_a_resource(client: Client, dataset: Dataset) -> None:
    csv = SimpleUploadedFile("casualties.csv", b"month,casualties\n2026-01,12\n", "text/csv")
    response = client.post(
        "/staff/open-data/dataset/roads/resources/new",
        {"upload": csv, "name": "", "name_cy": "Anafusion", "description": "By month"},
    )
    assert response["Location"] == "/staff/open-data/dataset/roads?done=resource-added"
    resource = Resource.objects.get(dataset=dataset)
    assert (resource.name, resource.name_cy, resource.format) == (
        "casualties.csv",
        "Anafusion",
        "CSV",
    )
    assert resource.upload.read() == b"month,casualties\n2026-01,12\n"
    assert AuditEvent.objects.filter(action="opendata.resource_added").exists()


def test_an_upload_of_the_wrong_kind_is_refused_with_a_clear_message(
    client: Client, dataset: Dataset
) -> None:
    response = client.post(
        "/staff/open-data/dataset/roads/resources/new",
        {"upload": SimpleUploadedFile("report.pdf", b"%PDF-1.4"), "name": "Report"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#upload"' in page and "The file must be a CSV, JSON, XLSX file" in page
    assert 'value="Report"' in page
    assert not Resource.objects.exists()


def test_an_upload_too_big_is_refused(client: Client, dataset: Dataset, settings: Any) -> None:
    settings.PORTH_OPENDATA_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile("big.csv", b"a\n" + b"1\n" * (1024 * 1024 + 1))
    response = client.post("/staff/open-data/dataset/roads/resources/new", {"upload": big})
    assert response.status_code == 400
    assert "The file must be smaller than 2 MB" in response.content.decode()


def test_neither_file_nor_link_is_refused(client: Client, dataset: Dataset) -> None:
    response = client.post("/staff/open-data/dataset/roads/resources/new", {"name": "Data"})
    assert response.status_code == 400
    assert "Give a file to upload or a web address to link to" in response.content.decode()


def test_a_link_is_added_changed_and_deleted(client: Client, dataset: Dataset) -> None:
    client.post(
        "/staff/open-data/dataset/roads/resources/new",
        {"url": "https://example.gov.uk/roads.pdf", "name": "Report", "format": "pdf"},
    )
    resource = Resource.objects.get(dataset=dataset)
    assert (resource.url, resource.format) == ("https://example.gov.uk/roads.pdf", "PDF")
    path = f"/staff/open-data/dataset/roads/resources/{resource.pk}"

    bad = client.post(path, {"url": "not a link", "name": "Report"})
    assert bad.status_code == 400
    assert "Must be a web address starting with http:// or https://" in bad.content.decode()

    client.post(path, {"url": "https://example.gov.uk/r.pdf", "name": "Report 2", "format": "PDF"})
    resource.refresh_from_db()
    assert (resource.url, resource.name) == ("https://example.gov.uk/r.pdf", "Report 2")

    assert "Are you sure" in client.get(f"{path}/delete").content.decode()
    client.post(f"{path}/delete")
    assert not Resource.objects.exists()


def test_another_datasets_resource_is_not_found(client: Client, dataset: Dataset) -> None:
    elsewhere = ResourceFactory.create()
    path = f"/staff/open-data/dataset/roads/resources/{elsewhere.pk}"
    assert client.get(path).status_code == 404
    assert client.post(f"{path}/delete").status_code == 404


# --- API tokens --------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_works_and_can_be_revoked(client: Client, user: User) -> None:
    response = client.post("/staff/open-data/api-tokens", {"name": "Nightly upload"})

    assert response.status_code == 200
    page = response.content.decode()
    secret = page.split('id="token">')[1].split("<")[0]
    assert tokens.user_for(secret) == user
    assert f"ckanapi action package_list -r http://testserver -a {secret}" in page
    assert secret not in client.get("/staff/open-data/api-tokens").content.decode()

    token = ApiToken.objects.get(user=user)
    assert (
        "Nightly upload" in client.get(f"/staff/open-data/api-tokens/{token.pk}").content.decode()
    )
    revoked = client.post(f"/staff/open-data/api-tokens/{token.pk}")
    assert revoked["Location"] == "/staff/open-data/api-tokens?done=revoked"
    assert tokens.user_for(secret) is None
    assert AuditEvent.objects.filter(action="opendata.token_revoked").exists()


def test_a_token_needs_a_name(client: Client) -> None:
    response = client.post("/staff/open-data/api-tokens", {"name": " "})
    assert response.status_code == 400
    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client: Client) -> None:
    other = publisher("example-council-2")
    token, _ = tokens.make(other, "Theirs", actor=other)
    assert client.get(f"/staff/open-data/api-tokens/{token.pk}").status_code == 404
    assert client.post(f"/staff/open-data/api-tokens/{token.pk}").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
