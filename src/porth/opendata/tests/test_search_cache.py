"""Counts and facets cached under the catalogue's version (facets.py), which the database
changes on every write: a cached answer is reused only while nothing it counted has changed;
and package dicts made from plain values (package_dicts) are package_show's own."""

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from porth.opendata.models import CatalogueVersion, Dataset, Resource, Tag, Theme
from porth.opendata.packages import package_dict, package_dicts
from porth.opendata.search import Query, search_ids

from .factories import DatasetFactory, ResourceFactory

pytestmark = pytest.mark.django_db
FACETS = ("organization", "groups", "tags", "res_format", "license_id")


def front_page() -> tuple[int, dict[str, list[tuple[str, int]]]]:
    found = search_ids(Query(facet_fields=FACETS))
    return found.count, found.facets


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_a_repeated_search_counts_once_and_every_kind_of_write_shows_at_once() -> None:
    dataset = DatasetFactory.create(tags=["roads"])
    ResourceFactory.create(dataset=dataset, format="CSV")
    first = front_page()
    with CaptureQueriesContext(connection) as again:
        assert front_page() == first
    assert len(again) == 2  # the version and the page: no counting
    writes = [
        lambda: DatasetFactory.create(tags=["schools"]),
        lambda: dataset.tags.add(Tag.objects.create(name="buses")),
        lambda: Tag.objects.filter(name="roads").update(name="streets"),
        lambda: Resource.objects.filter(dataset=dataset).update(format="JSON"),
        lambda: dataset.themes.set(Theme.objects.filter(name="transport")),
        lambda: (
            type(dataset.organisation)
            .objects.filter(pk=dataset.organisation_id)
            .update(slug="renamed")
        ),
        lambda: Dataset.objects.filter(pk=dataset.pk).update(private=True),
    ]
    seen = [first]
    for write in writes:
        write()
        counted = front_page()
        cache.clear()
        assert counted == front_page()  # what a search without the cache finds
        assert counted != seen[-1]
        seen.append(counted)


def test_a_rolled_back_write_leaves_no_answer_a_later_write_could_meet() -> None:
    DatasetFactory.create(tags=["roads"])
    before = CatalogueVersion.objects.get().version
    with pytest.raises(RuntimeError), transaction.atomic():
        DatasetFactory.create(tags=["inside"])
        front_page()  # cached under the version the rolled-back write made
        raise RuntimeError
    assert CatalogueVersion.objects.get().version == before
    DatasetFactory.create(tags=["after"])
    tags = dict(front_page()[1]["tags"])
    assert "after" in tags and "inside" not in tags


def test_a_search_relative_to_now_is_not_cached() -> None:
    DatasetFactory.create()
    query = Query(fq="metadata_modified:[* TO NOW]", facet_fields=("tags",))
    search_ids(query)
    with CaptureQueriesContext(connection) as again:
        search_ids(query)
    assert len(again) == 3  # the page, the count and the facet


def test_package_dicts_are_package_shows_own(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    dataset = DatasetFactory.create(
        tags=["roads", "accidents"], themes=["transport", "health"], extras={"b": 1, "a": "x"}
    )
    ResourceFactory.create(dataset=dataset, position=1)
    ResourceFactory.create(
        dataset=dataset, position=0, url="", upload=ContentFile(b"a,b\n", name="counts.csv")
    )
    other = DatasetFactory.create()
    loaded = Dataset.objects.select_related("organisation").prefetch_related(
        "tags", "themes", "resources"
    )
    expected = [package_dict(loaded.get(pk=pk)) for pk in (other.pk, dataset.pk)]
    assert package_dicts([other.pk, dataset.pk]) == expected
    assert package_dicts([]) == []
