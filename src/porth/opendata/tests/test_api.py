"""The CKAN Action API read by a client as CKAN's own: the envelope, the actions' results, and
CKAN's errors and status codes for bad calls."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from porth.accounts.models import User
from porth.opendata import tokens
from porth.opendata.models import State

from .factories import DatasetFactory, ResourceFactory, publisher

pytestmark = pytest.mark.django_db


def call(
    client: Client, action: str, token: str = "", /, version: str = "3/", **params: Any
) -> Any:
    headers = {"Authorization": token} if token else {}
    return client.get(f"/api/{version}action/{action}", params, headers=headers)


def token_for(user: User) -> str:
    return tokens.make(user, "test", actor=user)[1]


@pytest.fixture
def roads() -> Any:
    user = publisher("example-council")
    dataset = DatasetFactory.create(
        name="road-casualties",
        title="Road casualties",
        title_cy="Anafusion ar y ffyrdd",
        organisation=user.memberships.get().organisation,
        tags=["roads", "safety"],
        themes=["transport"],
        frequency="MONTHLY",
    )
    ResourceFactory.create(dataset=dataset, name="Casualties by month")
    return dataset


def test_package_show_gives_the_dataset_as_ckan_does_in_either_address(
    client: Client, roads: Any
) -> None:
    for version in ("3/", ""):
        response = call(client, "package_show", version=version, id="road-casualties")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*"  # web pages of any site may read
        body = response.json()
        assert body["success"] is True
        assert body["help"].endswith("/api/3/action/help_show?name=package_show")
    result = body["result"]
    assert result["id"] == str(roads.id)
    assert result["title_translated"] == {"en": "Road casualties", "cy": "Anafusion ar y ffyrdd"}
    assert result["organization"]["name"] == "example-council"
    assert [tag["name"] for tag in result["tags"]] == ["roads", "safety"]
    assert result["groups"][0]["name"] == "transport"
    assert result["license_id"] == "OGL-UK-3.0"
    assert result["license_title"] == "Open Government Licence v3.0"
    assert result["num_resources"] == 1
    assert result["resources"][0]["url"] == "https://data.example.gov.uk/file.csv"
    assert result["resources"][0]["url_type"] is None
    assert result["frequency"] == "MONTHLY"
    # By id too.
    by_id = call(client, "package_show", id=str(roads.id)).json()["result"]
    assert by_id["name"] == "road-casualties"


def test_a_missing_dataset_is_not_found_and_a_private_one_is_not_authorised(
    client: Client, roads: Any
) -> None:
    missing = call(client, "package_show", id="no-such-dataset")
    assert missing.status_code == 404
    assert missing.json()["success"] is False
    assert missing.json()["error"]["__type"] == "Not Found Error"

    roads.private = True
    roads.save()
    hidden = call(client, "package_show", id="road-casualties")
    assert hidden.status_code == 403
    assert hidden.json()["error"]["__type"] == "Authorization Error"
    assert call(client, "package_search").json()["result"]["count"] == 0
    # Its publisher, with a token, sees it.
    token = token_for(User.objects.get(memberships__organisation=roads.organisation))
    assert call(client, "package_show", token, id="road-casualties").status_code == 200
    search = call(client, "package_search", token, include_private="true").json()["result"]
    assert search["count"] == 1


def test_a_draft_or_deleted_dataset_is_hidden_from_everyone_but_its_publishers(
    client: Client, roads: Any
) -> None:
    for state in (State.DRAFT, State.DELETED):
        roads.state = state
        roads.save()
        assert call(client, "package_show", id="road-casualties").status_code == 403
        assert call(client, "package_list").json()["result"] == []


def test_an_unknown_action_is_a_bad_request(client: Client) -> None:
    response = call(client, "package_frobnicate")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "package_frobnicate" in response.json()["error"]["message"]


def test_package_search_finds_filters_pages_and_counts_facets(client: Client, roads: Any) -> None:
    other = DatasetFactory.create(name="bin-collections", title="Bin collections", tags=["waste"])
    DatasetFactory.create_batch(11, organisation=other.organisation)
    found = call(client, "package_search", q="road").json()["result"]
    assert found["count"] == 1
    assert found["results"][0]["name"] == "road-casualties"

    everything = call(client, "package_search").json()["result"]
    assert everything["count"] == 13
    assert len(everything["results"]) == 10  # rows defaults to 10
    page = call(client, "package_search", rows=5, start=10).json()["result"]
    assert len(page["results"]) == 3
    # More than 1,000 rows are cut to 1,000, as in CKAN, not refused.
    assert call(client, "package_search", rows=5000).status_code == 200

    filtered = call(client, "package_search", fq="organization:example-council").json()
    assert [r["name"] for r in filtered["result"]["results"]] == ["road-casualties"]

    faceted = call(
        client, "package_search", **{"facet.field": '["organization", "tags"]', "facet.limit": "1"}
    ).json()["result"]
    organisations = faceted["search_facets"]["organization"]["items"]
    assert organisations == [
        {
            "name": other.organisation.slug,
            "display_name": other.organisation.name,
            "count": 12,
        }
    ]
    assert faceted["facets"]["organization"] == {other.organisation.slug: 12}
    assert len(faceted["search_facets"]["tags"]["items"]) == 1


@pytest.mark.parametrize(
    ("params", "status", "kind"),
    [
        ({"sort": "popularity desc"}, 400, "Search Query Error"),
        ({"fq": "colour:blue"}, 400, "Search Query Error"),
        ({"fq": 'tags:"unclosed'}, 400, "Search Query Error"),
        ({"facet.field": '["secrets"]'}, 400, "Search Query Error"),
        ({"facet.field": "[not json"}, 409, "Validation Error"),
        ({"rows": "ten"}, 409, "Validation Error"),
        ({"start": "-1"}, 409, "Validation Error"),
    ],
)
def test_a_bad_search_is_a_clear_error_never_a_server_error(
    client: Client, params: dict[str, str], status: int, kind: str
) -> None:
    response = call(client, "package_search", **params)
    assert response.status_code == status
    assert response.json()["error"]["__type"] == kind


def test_the_lists_of_datasets_organisations_themes_tags_and_licences(
    client: Client, roads: Any
) -> None:
    DatasetFactory.create(name="secret", organisation=roads.organisation, private=True)
    assert call(client, "package_list").json()["result"] == ["road-casualties"]
    assert call(client, "organization_list").json()["result"] == ["example-council"]
    organisations = call(client, "organization_list", all_fields="true").json()["result"]
    assert organisations[0]["package_count"] == 1  # the private one is not counted
    shown = call(client, "organization_show", id="example-council", include_datasets="true")
    assert [p["name"] for p in shown.json()["result"]["packages"]] == ["road-casualties"]
    assert call(client, "organization_show", id="nowhere").status_code == 404
    assert "transport" in call(client, "group_list").json()["result"]
    group = call(client, "group_show", id="transport").json()["result"]
    assert (group["title"], group["package_count"]) == ("Transport", 1)
    assert call(client, "tag_list").json()["result"] == ["roads", "safety"]
    licences = call(client, "license_list").json()["result"]
    assert "OGL-UK-3.0" in [licence["id"] for licence in licences]


def test_resource_show_and_the_site_actions(client: Client, roads: Any) -> None:
    resource = roads.resources.get()
    shown = call(client, "resource_show", id=str(resource.id)).json()["result"]
    assert (shown["package_id"], shown["format"]) == (str(roads.id), "CSV")
    assert call(client, "resource_show", id="not-an-id").status_code == 404
    assert call(client, "site_read").json()["result"] is True
    assert call(client, "status_show").json()["result"]["ckan_version"].startswith("2.")
    assert "rows" in call(client, "help_show", name="package_search").json()["result"]


def test_user_list_gives_publishers_public_fields_never_how_they_sign_in(
    client: Client, roads: Any
) -> None:
    user = User.objects.get(memberships__organisation=roads.organisation)
    user.email = "pedr@example.gov.uk"
    user.save()
    body = call(client, "user_list").content.decode()
    assert user.username not in body
    assert "pedr@example.gov.uk" not in body
    assert call(client, "user_list").json()["result"][0]["id"] == str(user.pk)


def test_post_with_a_json_body_reads_like_get(client: Client, roads: Any) -> None:
    response = client.post(
        "/api/3/action/package_search", {"q": "road"}, content_type="application/json"
    )
    assert response.json()["result"]["count"] == 1
    # curl -d '{...}' sends JSON as if it were a form; CKAN reads it, and so does Porth.
    legacy = client.post(
        "/api/3/action/package_show",
        '{"id": "road-casualties"}',
        content_type="application/x-www-form-urlencoded",
    )
    assert legacy.json()["result"]["name"] == "road-casualties"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(client: Client, body: str) -> None:
    response = client.post("/api/3/action/package_list", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False


def test_a_page_of_results_takes_the_same_few_queries_however_long(
    client: Client, roads: Any
) -> None:
    def queries(rows: int) -> int:
        cache.clear()  # counted afresh each time (facets.py caches the count and facets)
        with CaptureQueriesContext(connection) as captured:
            response = call(client, "package_search", rows=rows, **{"facet.field": '["tags"]'})
        assert len(response.json()["result"]["results"]) == rows
        return len(captured)

    for n in range(20):
        ResourceFactory.create(
            dataset=DatasetFactory.create(organisation=roads.organisation, tags=["x", f"t{n}"])
        )
    assert queries(2) == queries(20)
