"""Finding datasets by their words: full-text search (PostgreSQL tsvector, SQLite FTS5), its
ranking, and an index that follows every change. Run on both databases (DATABASE_URL)."""

import pytest

from porth.accounts.tests.factories import OrganisationFactory
from porth.opendata.models import Dataset, State, Tag
from porth.opendata.search import Query, search

from .factories import DatasetFactory

pytestmark = pytest.mark.django_db


def names(q: str = "", **more: object) -> list[str]:
    return [dataset.name for dataset in search(Query(q=q, rows=100, **more)).datasets]  # type: ignore[arg-type]


def test_words_find_datasets_by_title_notes_name_and_tags_with_english_stemming() -> None:
    DatasetFactory.create(name="libraries", title="Library opening hours", notes="")
    DatasetFactory.create(name="loans", title="Book loans", notes="Books borrowed from libraries.")
    DatasetFactory.create(name="bins", title="Bin collections", notes="", tags=["recycling"])
    DatasetFactory.create(name="parking-fines", title="Penalties", notes="")
    assert sorted(names("library")) == ["libraries", "loans"]
    assert names("recycled") == ["bins"]  # by its tag, stemmed
    assert names("parking") == ["parking-fines"]  # by its name
    assert names("swimming") == []


def test_welsh_words_find_the_welsh_title_and_notes() -> None:
    DatasetFactory.create(name="roads", title="Road casualties", title_cy="Anafusion ar y ffyrdd")
    DatasetFactory.create(name="libraries", title="Libraries", notes_cy="Oriau agor llyfrgelloedd")
    assert names("ffyrdd") == ["roads"]
    assert names("llyfrgelloedd") == ["libraries"]


def test_every_word_must_match_and_a_title_match_ranks_above_a_notes_match() -> None:
    DatasetFactory.create(name="in-notes", title="Monthly figures", notes="Road traffic accidents.")
    DatasetFactory.create(name="in-title", title="Road traffic accidents", notes="Monthly figures.")
    DatasetFactory.create(name="road-only", title="Road works", notes="")
    assert names("road accidents") == ["in-title", "in-notes"]


def test_web_search_syntax_phrases_or_and_minus() -> None:
    DatasetFactory.create(name="a", title="Road traffic counts", notes="")
    DatasetFactory.create(name="b", title="Traffic on the road", notes="")
    DatasetFactory.create(name="c", title="School places", notes="")
    assert names('"road traffic"') == ["a"]
    assert sorted(names("school or counts")) == ["a", "c"]
    assert names("traffic -counts") == ["b"]
    assert sorted(names("-traffic")) == ["c"]


@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(a b)", "a* ^b", "title:", "AND OR NOT", "(((", "'; DROP", "-", "*"]
)
def test_search_syntax_of_the_databases_typed_as_words_is_never_an_error(q: str) -> None:
    DatasetFactory.create(name="roads", title="Roads")
    search(Query(q=q))


def test_the_index_follows_edits_tags_renamed_tags_and_deletion() -> None:
    dataset = DatasetFactory.create(name="x", title="Potholes", notes="")
    assert names("potholes") == ["x"]
    dataset.title = "Street lights"
    dataset.save()
    assert names("potholes") == []
    assert names("lights") == ["x"]
    dataset.tags.add(Tag.objects.create(name="lamps"))
    assert names("lamps") == ["x"]
    Tag.objects.filter(name="lamps").update(name="lanterns")
    assert names("lamps") == []
    assert names("lanterns") == ["x"]
    dataset.tags.clear()
    assert names("lanterns") == []
    Dataset.objects.filter(pk=dataset.pk).delete()
    assert names("lights") == []


def test_words_never_find_drafts_private_or_deleted_datasets_of_others() -> None:
    mine = OrganisationFactory.create()
    DatasetFactory.create(name="public", title="Roads")
    DatasetFactory.create(name="draft", title="Roads", state=State.DRAFT, organisation=mine)
    DatasetFactory.create(name="private", title="Roads", private=True, organisation=mine)
    DatasetFactory.create(name="deleted", title="Roads", state=State.DELETED, organisation=mine)
    assert names("roads") == ["public"]
    own = {"organisations": frozenset({mine.pk}), "include_private": True, "include_drafts": True}
    assert sorted(names("roads", **own)) == ["draft", "private", "public"]


def test_words_count_facets_and_pages_agree() -> None:
    for number in range(5):
        DatasetFactory.create(name=f"road-{number}", title=f"Road survey {number}", tags=["roads"])
    DatasetFactory.create(name="school", title="School survey", tags=["schools"])
    result = search(Query(q="road", rows=2, start=2, facet_fields=("tags",)))
    assert result.count == 5
    assert len(result.datasets) == 2
    assert result.facets["tags"] == [("roads", 5)]


def test_without_fts5_sqlite_still_finds_every_word_unranked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the fallback is SQLite's")
    monkeypatch.setattr("porth.opendata.search._sqlite_has_fts5", lambda: False)
    DatasetFactory.create(name="a", title="Road traffic", notes="", tags=["speed"])
    DatasetFactory.create(name="b", title="Road works", notes="")
    assert names("road traffic") == ["a"]
    assert names("speed") == ["a"]
