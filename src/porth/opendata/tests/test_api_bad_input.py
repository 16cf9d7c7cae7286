"""Whatever a client sends, the API answers with CKAN's envelope and a 2xx or 4xx: never a
server error. Values of any JSON type are sent for every field the actions read."""

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porth.opendata import tokens

from .factories import DatasetFactory, publisher

pytestmark = pytest.mark.django_db

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
FIELDS = [
    "id", "name", "title", "title_translated", "notes", "owner_org", "private", "state",
    "license_id", "tags", "tag_string", "groups", "extras", "resources", "temporal_start",
    "temporal_end", "frequency", "url", "spatial_uri", "maintainer_email", "q", "fq", "sort",
    "rows", "start", "facet.field", "facet.limit", "include_private", "limit", "offset",
    "all_fields", "include_datasets", "package_id", "format",
]  # fmt: skip
ACTIONS = [
    "package_create", "package_update", "package_patch", "package_search", "package_show",
    "package_list", "organization_list", "organization_show", "group_show", "tag_list",
    "resource_create", "resource_patch", "resource_show", "user_list",
]  # fmt: skip


@pytest.fixture
def token() -> str:
    user = publisher("example-council")
    DatasetFactory.create(name="roads", organisation=user.memberships.get().organisation)
    return tokens.make(user, "test", actor=user)[1]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    action=st.sampled_from(ACTIONS),
    data=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6),
    known=st.booleans(),
)
def test_any_json_gives_an_answer_never_a_server_error(
    client: Client, token: str, action: str, data: dict[str, Any], known: bool
) -> None:
    if known:  # aim at the real dataset sometimes, so that updates get past the lookup
        data.setdefault("id", "roads")
    response = client.post(
        f"/api/3/action/{action}",
        data,
        content_type="application/json",
        headers={"Authorization": token},
    )
    assert response.status_code < 500, response.content
    body = response.json()
    assert body["success"] is (response.status_code == 200)
