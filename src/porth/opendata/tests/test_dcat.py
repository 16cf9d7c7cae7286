"""DCAT: what a harvester reads parses with rdflib and validates against the DCAT-AP 3 SHACL
shapes (tests/shacl/, SEMIC's, as ckanext-dcat ships them). pyshacl takes about a second a
graph, so only two graphs are validated: one rich dataset, and a catalogue page holding a
bare one."""

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns  # not its names: pytest would probe them as it collects

from porth.opendata import dcat
from porth.opendata.models import Dataset, State

from .factories import DatasetFactory, ResourceFactory

pytestmark = [
    pytest.mark.django_db,
    # rdflib 7 warns about its own internals when pyshacl infers and when JSON-LD is parsed.
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated"),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated"),
]

SHAPES = Path(__file__).parent / "shacl" / "dcat-ap_3_shacl_shapes.ttl"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PARSERS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
CSV = b"month,applications\n2026-01,120\n"


def conforms(graph: Graph) -> None:
    # RDFS entailment, as the shapes assume: it is what makes every URL an rdfs:Resource,
    # the class DCAT-AP gives dcat:accessURL and dcat:downloadURL.
    ok, _, report = validate(graph, shacl_graph=str(SHAPES), inference="rdfs")
    assert ok, report


def fetch(client: Client, url: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200, response.content
    extension = url.split("?")[0].rsplit(".", 1)[1]
    return Graph().parse(data=response.content, format=PARSERS[extension])


def rich_dataset() -> Dataset:
    dataset: Dataset = DatasetFactory.create(
        name="road-casualties",
        title="Road casualties",
        title_cy="Anafusion ar y ffyrdd",
        notes="Casualties **by month**.",
        notes_cy="Anafusion **fesul mis**.",
        tags=["roads", "safety"],
        themes=["transport"],
        temporal_start=date(2025, 4, 1),
        temporal_end=date(2026, 3, 31),
        spatial="Wales",
        spatial_uri="http://statistics.data.gov.uk/id/statistical-geography/W92000004",
        frequency="MONTHLY",
        maintainer="Road safety team",
        maintainer_email="roads@example.gov.uk",
        version="2.1",
        url="https://example.gov.uk/road-safety",
    )
    ResourceFactory(
        dataset=dataset,
        name="Casualties by month",
        name_cy="Anafusion fesul mis",
        url="",
        upload=ContentFile(CSV, name="casualties.csv"),
        mimetype="text/csv",
        size=len(CSV),
        hash="sha256:" + hashlib.sha256(CSV).hexdigest(),
    )
    ResourceFactory(dataset=dataset, name="Map", format="GEOJSON", url="https://maps.example/x")
    return dataset


def test_a_dataset_validates_against_dcat_ap_3_with_its_welsh_and_its_download(
    client: Client,
) -> None:
    dataset = rich_dataset()
    graph = fetch(client, "/dataset/road-casualties.ttl")
    conforms(graph)

    subject = URIRef(f"http://testserver/dataset/{dataset.id}")
    assert (subject, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert Literal("Anafusion ar y ffyrdd", lang="cy") in set(
        graph.objects(subject, ns.DCTERMS.title)
    )
    assert graph.value(subject, ns.DCAT.landingPage) == URIRef(
        "http://testserver/dataset/road-casualties"
    )
    assert graph.value(subject, ns.DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    )
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/TRAN") in set(
        graph.objects(subject, ns.DCAT.theme)
    )
    period = graph.value(subject, ns.DCTERMS.temporal)
    assert graph.value(period, ns.DCAT.startDate) == Literal(date(2025, 4, 1))
    downloads = {str(url) for url in graph.objects(None, ns.DCAT.downloadURL)}
    upload = dataset.resources.get(name="Casualties by month")
    assert downloads == {
        f"http://testserver/dataset/road-casualties/resource/{upload.id}/download/casualties.csv"
    }
    licences = set(graph.objects(None, ns.DCTERMS.license))
    assert licences == {URIRef("http://publications.europa.eu/resource/authority/licence/OGL_3_0")}
    media_types = set(graph.objects(None, ns.DCAT.mediaType))
    assert URIRef("https://www.iana.org/assignments/media-types/text/csv") in media_types


def test_the_three_serialisations_say_the_same_with_their_own_content_types(
    client: Client,
) -> None:
    rich_dataset()
    sizes = set()
    for extension, content_type in [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ]:
        response = client.get(f"/dataset/road-casualties.{extension}")
        assert response["Content-Type"].startswith(content_type)
        sizes.add(len(Graph().parse(data=response.content, format=PARSERS[extension])))
        catalogue = client.get(f"/catalog.{extension}")
        assert catalogue["Content-Type"].startswith(content_type)
    assert len(sizes) == 1  # every format carries every triple


def test_the_catalogue_validates_and_pages_with_hydra_as_ckanext_dcat_does(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dcat, "PER_PAGE", 2)
    rich_dataset()
    DatasetFactory(name="bare", title="Bare", notes="")  # no notes, tags, themes or files
    DatasetFactory(name="third", title="Third")

    first = fetch(client, "/catalog.ttl")
    conforms(first)
    page = URIRef("http://testserver/catalog.ttl?page=1")
    assert (page, ns.RDF.type, HYDRA.PagedCollection) in first
    assert first.value(page, HYDRA.totalItems) == Literal(3)
    assert first.value(page, HYDRA.itemsPerPage) == Literal(2)
    assert str(first.value(page, HYDRA.next)) == "http://testserver/catalog.ttl?page=2"
    assert str(first.value(page, HYDRA.nextPage)) == "http://testserver/catalog.ttl?page=2"
    assert str(first.value(page, HYDRA.last)) == "http://testserver/catalog.ttl?page=2"
    assert first.value(page, HYDRA.previous) is None
    assert len(set(first.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 2

    second = fetch(client, "/catalog.jsonld?page=2")
    page = URIRef("http://testserver/catalog.jsonld?page=2")
    assert str(second.value(page, HYDRA.previous)) == "http://testserver/catalog.jsonld?page=1"
    assert second.value(page, HYDRA.next) is None
    assert len(set(second.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 1


def test_only_public_active_datasets_are_published(client: Client) -> None:
    DatasetFactory(name="public")
    DatasetFactory(name="private", private=True)
    DatasetFactory(name="draft", state=State.DRAFT)
    DatasetFactory(name="gone", state=State.DELETED)
    for name in ["private", "draft", "gone", "never-was"]:
        assert client.get(f"/dataset/{name}.ttl").status_code == 404
    catalogue = fetch(client, "/catalog.ttl")
    pages = {str(page) for page in catalogue.objects(None, ns.DCAT.landingPage)}
    assert pages == {"http://testserver/dataset/public"}


@pytest.mark.parametrize(
    ("page", "status", "message"),
    [
        ("0", 400, "Page param must be a positive integer starting in 1"),
        ("two", 400, "Page param must be a positive integer starting in 1"),
        ("-1", 400, "Page param must be a positive integer starting in 1"),
        ("9", 404, "There is no page 9: the last is 1."),
    ],
)
def test_a_page_that_is_not_there_is_a_clear_error_not_a_500(
    client: Client, page: str, status: int, message: str
) -> None:
    DatasetFactory()
    response = client.get("/catalog.ttl", {"page": page})
    assert response.status_code == status
    assert response.content.decode().strip() == message


def test_an_empty_catalogue_is_still_a_catalogue(client: Client) -> None:
    graph = fetch(client, "/catalog.rdf")
    assert len(set(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))) == 1
    assert not set(graph.subjects(ns.RDF.type, HYDRA.PagedCollection))


def test_a_catalogue_page_costs_the_same_few_queries_however_many_datasets(
    client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(12):
        dataset = DatasetFactory(tags=["a", f"t{n}"], themes=["health"])
        ResourceFactory(dataset=dataset)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert client.get("/catalog.ttl").status_code == 200


def test_pages_can_link_to_a_datasets_dcat_by_url_name() -> None:
    # For <link rel="alternate" type="text/turtle" …> in the dataset page's head.
    assert reverse("opendata-dcat-dataset", kwargs={"name": "car-parks", "extension": "ttl"}) == (
        "/dataset/car-parks.ttl"
    )
    assert reverse("opendata-dcat-catalogue", kwargs={"extension": "jsonld"}) == "/catalog.jsonld"


def test_control_characters_pasted_into_a_dataset_do_not_break_rdf_xml(client: Client) -> None:
    # (No NUL: PostgreSQL refuses it before it is ever stored.)
    DatasetFactory(name="pasted", notes="Tonnes\x0bby month\x1f", tags=["waste\x01"])
    graph = fetch(client, "/dataset/pasted.rdf")  # parses: the XML is well formed
    assert Literal("Tonnesby month", lang="en") in set(graph.objects(None, ns.DCTERMS.description))


def test_a_harvester_can_ask_only_for_what_changed_since_its_last_visit(client: Client) -> None:
    old: Dataset = DatasetFactory.create(name="old")
    Dataset.objects.filter(pk=old.pk).update(modified=datetime(2025, 1, 1, tzinfo=UTC))
    DatasetFactory(name="new")
    graph = fetch(client, "/catalog.ttl?modified_since=2026-01-01")
    pages = {str(page) for page in graph.objects(None, ns.DCAT.landingPage)}
    assert pages == {"http://testserver/dataset/new"}
    page = URIRef(
        "http://testserver/catalog.ttl?modified_since=2026-01-01T00%3A00%3A00%2B00%3A00&page=1"
    )
    assert graph.value(page, HYDRA.totalItems) == Literal(1)
    response = client.get("/catalog.ttl", {"modified_since": "last Tuesday"})
    assert response.status_code == 400
    assert response.content.decode().strip() == "Wrong modified date format. Use ISO-8601 format"
    assert client.get("/catalog.ttl", {"modified_since": "2026-02-30"}).status_code == 400
