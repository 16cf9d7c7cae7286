"""ckanapi, CKAN's own client, unmodified against a running Porth: RemoteCKAN for reading and
writing, and the command line's `dump datasets --all` and `load datasets` round trips."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from porth.opendata import tokens
from porth.opendata.models import Dataset, Theme
from porth.opendata.vocabularies import THEMES

from .factories import DatasetFactory, ResourceFactory, publisher

pytestmark = pytest.mark.django_db(transaction=True)

# The venv's ckanapi; its dump and load start workers by the bare name, so PATH finds it.
BIN = Path(sys.executable).parent
CKANAPI = BIN / "ckanapi"


@pytest.fixture
def site(live_server: Any, settings: Any) -> Iterator[dict[str, Any]]:
    settings.PORTH_BASE_URL = live_server.url
    # The themes come from a data migration, which a transactional test's flush empties.
    for term in THEMES:
        Theme.objects.get_or_create(name=term.id, defaults={"title": term.en, "uri": term.uri})
    user = publisher("example-council")
    organisation = user.memberships.get().organisation
    roads = DatasetFactory.create(
        name="road-casualties",
        title="Road casualties",
        title_cy="Anafusion ar y ffyrdd",
        organisation=organisation,
        tags=["roads"],
        themes=["transport"],
    )
    ResourceFactory.create(dataset=roads, name="Casualties", url="https://example.gov.uk/roads.csv")
    DatasetFactory.create(
        name="bin-collections", title="Bin collections", organisation=organisation
    )
    DatasetFactory.create(name="draft-plans", organisation=organisation, private=True)
    token = tokens.make(user, "ckanapi", actor=user)[1]
    with (
        ckanapi.RemoteCKAN(live_server.url, apikey=token) as publisher_ckan,
        ckanapi.RemoteCKAN(live_server.url) as anonymous,
    ):
        yield {
            "url": live_server.url,
            "token": token,
            "ckan": publisher_ckan,
            "anonymous": anonymous,
        }


def test_ckanapi_reads_the_catalogue(site: dict[str, Any]) -> None:
    ckan: ckanapi.RemoteCKAN = site["anonymous"]
    assert ckan.action.package_list() == ["bin-collections", "road-casualties"]
    found = ckan.action.package_search(q="road", **{"facet.field": ["tags", "organization"]})
    assert found["count"] == 1
    assert found["search_facets"]["tags"]["items"][0]["name"] == "roads"
    shown = ckan.action.package_show(id="road-casualties")
    assert shown["title_translated"]["cy"] == "Anafusion ar y ffyrdd"
    resource = ckan.action.resource_show(id=shown["resources"][0]["id"])
    assert resource["url"] == "https://example.gov.uk/roads.csv"
    assert ckan.action.organization_list() == ["example-council"]
    assert ckan.action.organization_show(id="example-council")["package_count"] == 2
    assert "transport" in ckan.action.group_list()
    assert ckan.action.tag_list() == ["roads"]
    assert ckan.action.site_read() is True
    assert ckan.action.status_show()["ckan_version"]
    assert ckan.action.user_list()[0]["display_name"]
    # GET only, as `ckanapi action -g` and read-only mirrors call it.
    with ckanapi.RemoteCKAN(site["url"], get_only=True) as by_get:
        assert by_get.action.package_search(rows=1)["count"] == 2


def test_ckanapi_raises_ckans_own_errors(site: dict[str, Any]) -> None:
    anonymous: ckanapi.RemoteCKAN = site["anonymous"]
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_show(id="draft-plans")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="sneaky", title="x", owner_org="example-council")
    with pytest.raises(ckanapi.SearchQueryError):
        anonymous.action.package_search(sort="popularity desc")
    with pytest.raises(ckanapi.ValidationError) as invalid:
        site["ckan"].action.package_create(name="x", owner_org="example-council")
    assert invalid.value.error_dict["title"] == ["Missing value"]
    with pytest.raises(ckanapi.CKANAPIError):
        anonymous.call_action("package_frobnicate")
    assert site["ckan"].action.package_show(id="draft-plans")["private"] is True


def test_ckanapi_publishes_a_dataset_and_uploads_a_file(
    site: dict[str, Any], tmp_path: Path
) -> None:
    ckan: ckanapi.RemoteCKAN = site["ckan"]
    created = ckan.action.package_create(
        name="library-loans",
        title="Library loans",
        owner_org="example-council",
        tags=[{"name": "libraries"}],
        groups=[{"name": "society"}],
    )
    data = tmp_path / "loans.csv"
    data.write_bytes(b"month,loans\n2026-01,1200\n")
    with data.open("rb") as upload:
        resource = ckan.action.resource_create(
            package_id=created["id"], name="Loans by month", upload=upload
        )
    assert (resource["url_type"], resource["format"]) == ("upload", "CSV")
    assert resource["url"].startswith(site["url"] + "/dataset/library-loans/resource/")
    ckan.action.resource_patch(id=resource["id"], description="Monthly")
    ckan.action.package_patch(id="library-loans", notes="Loans of books and more.")
    shown = ckan.action.package_show(id="library-loans")
    assert shown["notes"] == "Loans of books and more."
    assert shown["resources"][0]["description"] == "Monthly"
    ckan.action.package_delete(id="library-loans")
    with pytest.raises(ckanapi.NotAuthorized):
        site["anonymous"].action.package_show(id="library-loans")


def _ckanapi(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(CKANAPI), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(not CKANAPI.exists(), reason="the ckanapi command is not installed")
def test_search_and_dump_all_datasets_and_load_them_back(
    site: dict[str, Any], tmp_path: Path
) -> None:
    url, token = site["url"], site["token"]
    dump = tmp_path / "datasets.jsonl"
    done = _ckanapi(
        "dump", "datasets", "--all", "-r", url, "-a", token, "-p", "1", "-O", str(dump), "-q"
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert [r["name"] for r in records] == ["bin-collections", "road-casualties"]

    # `ckanapi search` pages through package_search; a token and include_private add the
    # publisher's private dataset.
    found = _ckanapi("search", "datasets", "include_private=true", "-r", url, "-a", token)
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.splitlines()) == 3

    # Changes since the dump: loading it puts the catalogue back as it was.
    ckan: ckanapi.RemoteCKAN = site["ckan"]
    ckan.action.package_patch(id="road-casualties", title="Changed")
    ckan.action.package_delete(id="bin-collections")
    loaded = _ckanapi("load", "datasets", "-r", url, "-a", token, "-p", "1", "-I", str(dump))
    assert loaded.returncode == 0, loaded.stderr
    assert "Error" not in loaded.stdout, loaded.stdout
    assert ckan.action.package_show(id="road-casualties")["title"] == "Road casualties"
    assert ckan.action.package_show(id="bin-collections")["state"] == "active"

    # And into an empty catalogue (a new site): every dataset is made again, as it was.
    Dataset.objects.all().delete()
    again = _ckanapi("load", "datasets", "-r", url, "-a", token, "-p", "1", "-I", str(dump))
    assert again.returncode == 0, again.stderr
    roads = ckan.action.package_show(id="road-casualties")
    assert roads["id"] != records[1]["id"]  # a new dataset, with the same name
    for field in ("title", "title_translated", "tags", "license_id", "owner_org"):
        assert roads[field] == records[1][field], field
    assert [g["name"] for g in roads["groups"]] == ["transport"]
    assert roads["resources"][0]["url"] == "https://example.gov.uk/roads.csv"
