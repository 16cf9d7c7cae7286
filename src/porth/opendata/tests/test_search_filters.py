"""Filters (`fq`, as CKAN's clients write Solr's syntax), sort, paging and facet counts; and a
clear SearchQueryError, never a crash, for what cannot be understood."""

import datetime

import pytest
from django.utils import timezone

from porth.accounts.tests.factories import OrganisationFactory
from porth.opendata.models import Dataset
from porth.opendata.search import MAX_ROWS, Query, SearchQueryError, search

from .factories import DatasetFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    council = OrganisationFactory.create(slug="example-council")
    agency = OrganisationFactory.create(slug="roads-agency")
    one = DatasetFactory.create(
        name="bins", title="Bin collections", organisation=council, tags=["waste", "bins"]
    )
    ResourceFactory.create(dataset=one, format="CSV")
    ResourceFactory.create(dataset=one, format="CSV")
    two = DatasetFactory.create(
        name="potholes",
        title="Potholes",
        organisation=agency,
        tags=["roads", "road safety"],
        themes=["transport"],
        license_id="CC-BY-4.0",
    )
    ResourceFactory.create(dataset=two, format="JSON")
    DatasetFactory.create(
        name="traffic", title="Traffic counts", organisation=agency, tags=["roads"]
    )


def names(**query: object) -> list[str]:
    return sorted(d.name for d in search(Query(rows=100, **query)).datasets)  # type: ignore[arg-type]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("fq", "found"),
    [
        ("organization:roads-agency", ["potholes", "traffic"]),
        ('tags:"road safety"', ["potholes"]),
        ("tags:roads tags:waste", []),  # both tags, not either
        ("+tags:roads +groups:transport", ["potholes"]),
        ("tags:roads AND license_id:CC-BY-4.0", ["potholes"]),
        ("res_format:csv", ["bins"]),  # formats in any case
        ("-tags:roads", ["bins"]),
        ("tags:waste OR tags:road\\ safety", ["bins", "potholes"]),
        ("tags:waste OR name:traffic", ["bins", "traffic"]),
        ('res_format:(JSON OR "CSV")', ["bins", "potholes"]),
        ("organization:roads-agency -name:traffic", ["potholes"]),
        ("dataset_type:dataset capacity:public", ["bins", "potholes", "traffic"]),
        ("metadata_modified:[2000-01-01T00:00:00Z TO NOW]", ["bins", "potholes", "traffic"]),
        ("metadata_created:[* TO 2000-01-01]", []),
        ("id:not-an-id", []),
    ],
)
def test_filters_as_ckan_clients_write_them(fq: str, found: list[str]) -> None:
    assert names(fq=fq) == found


@pytest.mark.usefixtures("catalogue")
def test_field_values_in_q_filter_as_ckan_allows_and_star_colon_star_is_everything() -> None:
    assert names(q="tags:roads") == ["potholes", "traffic"]
    assert names(q="tags:roads traffic") == ["traffic"]
    assert names(q="title:potholes") == ["potholes"]
    assert names(q="*:*") == ["bins", "potholes", "traffic"]


@pytest.mark.parametrize(
    ("fq", "message"),
    [
        ("colour:red", 'Can\'t filter on "colour"'),
        ("roads", "Can't parse fq"),
        ('tags:"unclosed', "Can't parse fq"),
        ("(tags:a OR tags:b)", "Can't parse fq"),
        ("OR tags:a", "can't start with OR"),
        ("metadata_modified:2024", "as a range"),
        ("metadata_modified:[yesterday TO NOW]", 'Can\'t read "yesterday"'),
        ("tags:[a TO b]", "can't take a range"),
        ("capacity:secret", "capacity"),
    ],
)
def test_filters_that_cannot_be_understood_say_what_is_wrong(fq: str, message: str) -> None:
    with pytest.raises(SearchQueryError, match=message.replace("(", r"\(")):
        search(Query(fq=fq))


@pytest.mark.usefixtures("catalogue")
def test_sorts_by_ckan_names_and_refuses_others() -> None:
    Dataset.objects.filter(name="bins").update(modified=timezone.now() - datetime.timedelta(days=3))
    ordered = [d.name for d in search(Query(sort="name desc")).datasets]
    assert ordered == ["traffic", "potholes", "bins"]
    newest_last = [d.name for d in search(Query(sort="metadata_modified asc")).datasets]
    assert newest_last[0] == "bins"
    assert [d.name for d in search(Query()).datasets][-1] == "bins"  # the default: newest first
    titles = [d.title for d in search(Query(sort="title_string asc")).datasets]
    assert titles == sorted(titles)
    with pytest.raises(SearchQueryError, match='Can\'t sort by "views_recent desc"'):
        search(Query(sort="views_recent desc"))


@pytest.mark.usefixtures("catalogue")
def test_facets_count_datasets_not_rows_most_first_up_to_the_limit() -> None:
    result = search(
        Query(facet_fields=("organization", "groups", "tags", "res_format", "license_id"))
    )
    assert result.facets["organization"] == [("roads-agency", 2), ("example-council", 1)]
    assert result.facets["groups"] == [("transport", 1)]
    assert result.facets["tags"][0] == ("roads", 2)
    assert result.facets["res_format"] == [("CSV", 1), ("JSON", 1)]  # two CSVs, one dataset
    assert result.facets["license_id"] == [("OGL-UK-3.0", 2), ("CC-BY-4.0", 1)]
    limited = search(Query(fq="organization:roads-agency", facet_fields=("tags",), facet_limit=1))
    assert limited.facets["tags"] == [("roads", 2)]


@pytest.mark.usefixtures("catalogue")
def test_pages_and_their_limits() -> None:
    result = search(Query(rows=2, start=1, sort="name asc"))
    assert result.count == 3
    assert [d.name for d in result.datasets] == ["potholes", "traffic"]
    assert search(Query(rows=0)).datasets == []
    for bad in (Query(rows=MAX_ROWS + 1), Query(start=-1), Query(facet_fields=("colour",))):
        with pytest.raises(SearchQueryError):
            search(bad)
