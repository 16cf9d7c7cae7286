"""Publishing through the CKAN Action API with a token: who may, CKAN's errors for bad data,
uploads checked, every change audited; and no CSRF in the way of a token client."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from porth.audit.models import AuditEvent
from porth.opendata import tokens
from porth.opendata.models import Dataset, State

from .factories import DatasetFactory, ResourceFactory, publisher

pytestmark = pytest.mark.django_db

NEW = {
    "name": "road-casualties",
    "title": "Road casualties",
    "title_translated": {"en": "Road casualties", "cy": "Anafusion ar y ffyrdd"},
    "owner_org": "example-council",
    "tags": [{"name": "roads"}],
    "resources": [{"name": "Data", "url": "https://example.gov.uk/data.csv", "format": "csv"}],
}


@pytest.fixture
def token() -> str:
    user = publisher("example-council")
    return tokens.make(user, "test", actor=user)[1]


@pytest.fixture
def client() -> Client:
    # As a browser would be checked: a token client has no CSRF cookie, and needs none.
    return Client(enforce_csrf_checks=True)


def post(client: Client, action: str, data: dict[str, Any], token: str = "") -> Any:
    headers = {"Authorization": token} if token else {}
    return client.post(
        f"/api/3/action/{action}", data, content_type="application/json", headers=headers
    )


def test_a_publisher_creates_a_dataset_with_a_token(client: Client, token: str) -> None:
    response = post(client, "package_create", NEW, token)
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["name"] == "road-casualties"
    assert result["title_translated"]["cy"] == "Anafusion ar y ffyrdd"
    assert result["resources"][0]["format"] == "CSV"
    assert AuditEvent.objects.filter(action="opendata.dataset_created").count() == 1
    # X-CKAN-API-Key works as well as Authorization (and "Bearer" is understood).
    for headers in ({"X-CKAN-API-Key": token}, {"Authorization": f"Bearer {token}"}):
        shown = client.get("/api/3/action/package_show", {"id": "road-casualties"}, headers=headers)
        assert shown.status_code == 200


@pytest.mark.parametrize("token_sent", ["", "porth_not-a-real-token"])
def test_writing_without_a_valid_token_is_not_authorised(
    client: Client, token: str, token_sent: str
) -> None:
    response = post(client, "package_create", NEW, token_sent)
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"
    assert not Dataset.objects.exists()


def test_a_write_action_by_get_is_refused(client: Client, token: str) -> None:
    response = client.get(
        "/api/3/action/package_delete", {"id": "x"}, headers={"Authorization": token}
    )
    assert response.status_code == 400


def test_invalid_data_is_a_validation_error_by_field(client: Client, token: str) -> None:
    DatasetFactory.create(name="taken")
    response = post(
        client,
        "package_create",
        {"name": "taken", "owner_org": "example-council", "tags": [{"name": "x"}]},
        token,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert error["name"] == ["That URL is already in use."]
    assert error["title"] == ["Missing value"]
    assert "name" in error["tags"][0]


def test_a_publisher_may_not_change_another_organisations_dataset(
    client: Client, token: str
) -> None:
    theirs = DatasetFactory.create(name="theirs")
    response = post(client, "package_patch", {"id": "theirs", "title": "Mine now"}, token)
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "Mine now"
    assert post(client, "package_patch", {"id": "nothing-here"}, token).status_code == 404


def test_update_replaces_patch_changes_only_what_is_sent_and_delete_hides(
    client: Client, token: str
) -> None:
    created = post(client, "package_create", {**NEW, "notes": "By month."}, token).json()
    dataset_id = created["result"]["id"]

    patched = post(client, "package_patch", {"id": dataset_id, "title": "Casualties"}, token)
    result = patched.json()["result"]
    assert (result["title"], result["notes"]) == ("Casualties", "By month.")
    assert [tag["name"] for tag in result["tags"]] == ["roads"]
    assert result["num_resources"] == 1  # resources left out are kept

    welsh = post(
        client,
        "package_patch",
        {"id": dataset_id, "title_translated": {"en": "Casualties", "cy": "Anafusion"}},
        token,
    ).json()["result"]
    assert welsh["title_translated"] == {"en": "Casualties", "cy": "Anafusion"}

    updated = post(
        client,
        "package_update",
        {"id": dataset_id, "name": "road-casualties", "title": "Casualties"},
        token,
    ).json()["result"]
    assert updated["notes"] == ""  # package_update clears what is left out
    assert updated["tags"] == []

    deleted = post(client, "package_delete", {"id": "road-casualties"}, token)
    assert deleted.json() == {"help": deleted.json()["help"], "success": True, "result": None}
    assert Dataset.objects.get().state == State.DELETED
    assert Client().get("/api/3/action/package_show", {"id": dataset_id}).status_code == 403
    actions = AuditEvent.objects.filter(action__startswith="opendata.dataset").values_list(
        "action", flat=True
    )
    assert sorted(set(actions)) == [
        "opendata.dataset_created",
        "opendata.dataset_deleted",
        "opendata.dataset_updated",
    ]


def test_resource_create_takes_a_multipart_upload(client: Client, token: str) -> None:
    dataset = post(client, "package_create", {**NEW, "resources": []}, token).json()["result"]
    upload = SimpleUploadedFile("casualties.csv", b"month,count\n2026-01,12\n", "text/csv")
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": dataset["id"], "name": "By month", "upload": upload},
        headers={"Authorization": token},
    )
    assert response.status_code == 200, response.content
    resource = response.json()["result"]
    assert (resource["format"], resource["url_type"], resource["size"]) == ("CSV", "upload", 23)
    assert resource["url"].endswith("/download/casualties.csv")
    assert resource["hash"].startswith("sha256:")

    patched = client.post(
        "/api/3/action/resource_patch",
        {"id": resource["id"], "description": "Monthly counts"},
        headers={"Authorization": token},
    ).json()["result"]
    assert (patched["description"], patched["url_type"]) == ("Monthly counts", "upload")


@pytest.mark.parametrize(
    ("filename", "body"),
    [("casualties.csv", b"\x00\x01binary"), ("casualties.exe", b"MZ"), ("data.json", b"{no")],
)
def test_an_upload_that_is_not_what_it_says_is_a_validation_error(
    client: Client, token: str, filename: str, body: bytes
) -> None:
    dataset = post(client, "package_create", {**NEW, "resources": []}, token).json()["result"]
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": dataset["id"], "upload": SimpleUploadedFile(filename, body)},
        headers={"Authorization": token},
    )
    assert response.status_code == 409
    assert response.json()["error"]["upload"]


def test_resource_create_needs_a_dataset_and_a_file_or_link(client: Client, token: str) -> None:
    missing = post(client, "resource_create", {"name": "x"}, token)
    assert (missing.status_code, missing.json()["error"]["package_id"]) == (409, ["Missing value"])
    dataset = post(client, "package_create", {**NEW, "resources": []}, token).json()["result"]
    empty = post(client, "resource_create", {"package_id": dataset["id"]}, token)
    assert empty.status_code == 409
    assert "url" in empty.json()["error"]


def test_resource_delete_removes_it(client: Client, token: str) -> None:
    dataset = post(client, "package_create", NEW, token).json()["result"]
    resource_id = dataset["resources"][0]["id"]
    assert post(client, "resource_delete", {"id": resource_id}, token).status_code == 200
    assert post(client, "resource_show", {"id": resource_id}).status_code == 404
    other = ResourceFactory.create()
    assert post(client, "resource_delete", {"id": str(other.id)}, token).status_code == 403
