"""Publishing: who may, what a valid dataset is (CKAN's messages), uploads checked, audited."""

import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from porth.accounts.tests.factories import UserFactory
from porth.audit.models import AuditEvent
from porth.opendata import actions
from porth.opendata.datasets import Invalid
from porth.opendata.models import Dataset, State

from .factories import DatasetFactory, publisher

pytestmark = pytest.mark.django_db

VALID = {
    "name": "road-casualties",
    "title": "Road casualties",
    "title_translated": {"en": "Road casualties", "cy": "Anafusion ar y ffyrdd"},
    "notes": "Casualties **by month**.",
    "owner_org": "example-council",
    "tags": [{"name": "roads"}, {"name": "safety"}],
    "groups": [{"name": "transport"}],
    "temporal_start": "2025-04-01",
    "temporal_end": "2026-03-31",
    "frequency": "monthly",
    "maintainer_email": "data@example.gov.uk",
    "resources": [{"name": "Data", "url": "https://example.gov.uk/data.csv", "format": "csv"}],
}


def test_a_publisher_creates_a_dataset_with_its_welsh_title_tags_and_themes() -> None:
    user = publisher()
    dataset = actions.create_dataset(VALID, actor=user)
    assert dataset.title_cy == "Anafusion ar y ffyrdd"
    assert dataset.license_id == "OGL-UK-3.0"  # the default
    assert dataset.frequency == "MONTHLY"
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["roads", "safety"]
    assert list(dataset.themes.values_list("name", flat=True)) == ["transport"]
    assert dataset.resources.get().format == "CSV"
    entry = AuditEvent.objects.get(action="opendata.dataset_created")
    assert entry.actor_id == user.pk


def test_someone_who_is_not_a_publisher_of_the_organisation_may_not() -> None:
    publisher("other-council")
    with pytest.raises(actions.NotAuthorised):
        actions.create_dataset(VALID, actor=UserFactory.create())
    with pytest.raises(Invalid) as error:
        actions.create_dataset(VALID, actor=publisher("another-council"))
    assert error.value.errors == {
        "owner_org": ["Organization does not exist"]
    } or error.value.errors["owner_org"] == ["You cannot add a dataset to this organization"]


def test_errors_are_by_field_in_ckan_words() -> None:
    publisher()
    DatasetFactory(name="taken")
    with pytest.raises(Invalid) as error:
        actions.create_dataset(
            {
                **VALID,
                "name": "taken",
                "title": "",
                "title_translated": None,
                "tags": [{"name": "ok"}, {"name": "x"}],
                "temporal_end": "2020-01-01",
                "maintainer_email": "not an address",
            },
            actor=publisher(),
        )
    errors = error.value.errors
    assert errors["name"] == ["That URL is already in use."]
    assert errors["title"] == ["Missing value"]
    assert errors["tags"][0] == {} and "name" in errors["tags"][1]
    assert errors["temporal_end"] == ["Must be on or after the start of the period"]
    assert "maintainer_email" in errors
    assert not Dataset.objects.filter(title="").exists()


def test_an_upload_must_be_what_its_name_says() -> None:
    user = publisher()
    dataset = actions.create_dataset({**VALID, "resources": []}, actor=user)
    good = SimpleUploadedFile("casualties.csv", b"month,count\n2026-01,12\n")
    resource = actions.add_resource(dataset, {"name": "Casualties"}, good, actor=user)
    assert (resource.format, resource.size) == ("CSV", 23)
    assert resource.hash.startswith("sha256:")
    for name, body, message in [
        ("fake.xlsx", b"month,count\n", "not an Excel workbook"),
        ("broken.json", b"{", "not valid JSON"),
        ("program.exe", b"MZ", "must be a CSV, JSON, XLSX file"),
        ("latin1.csv", "caf\xe9\n".encode("latin-1"), "UTF-8"),
    ]:
        with pytest.raises(Invalid) as error:
            actions.add_resource(dataset, {}, SimpleUploadedFile(name, body), actor=user)
        assert message in error.value.errors["upload"][0], name


def test_deleting_keeps_the_name_taken() -> None:
    user = publisher()
    dataset = actions.create_dataset(VALID, actor=user)
    actions.delete_dataset(dataset, actor=user)
    assert Dataset.objects.get(name="road-casualties").state == State.DELETED
    with pytest.raises(Invalid):
        actions.create_dataset(VALID, actor=user)


def test_an_upload_whose_change_fails_leaves_no_file_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = publisher()
    dataset = actions.create_dataset({**VALID, "resources": []}, actor=user)
    upload = SimpleUploadedFile("casualties.csv", b"month,count\n2026-01,12\n")
    folder = f"opendata/{dataset.id}"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(actions, "_audit", broken)
    with pytest.raises(RuntimeError):
        actions.add_resource(dataset, {"name": "Casualties"}, upload, actor=user)
    assert not dataset.resources.exists()
    assert not default_storage.exists(folder) or not any(
        files for _, _, files in os.walk(default_storage.path(folder))
    )


def test_a_write_queues_on_the_catalogue_version_before_it_touches_any_dataset() -> None:
    # Taken first, the version's lock makes concurrent writers wait in turn; taken by the
    # triggers after a first write, two writers could deadlock (CatalogueVersion.lock).
    user = publisher()
    with CaptureQueriesContext(connection) as writing:
        actions.create_dataset(VALID, actor=user)
    touching = [q["sql"] for q in writing if "opendata_" in q["sql"]]
    first_write = next(i for i, sql in enumerate(touching) if sql.startswith(("INSERT", "UPDATE")))
    locks = [i for i, sql in enumerate(touching) if "opendata_catalogueversion" in sql]
    assert locks and locks[0] < first_write
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in touching[locks[0]]
