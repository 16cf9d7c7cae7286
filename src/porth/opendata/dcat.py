"""The catalogue as linked data, following DCAT-AP 3: a dcat:Catalog of dcat:Datasets, each
with its dcat:Distributions, as an rdflib graph that dcat_views.py serialises as Turtle,
RDF/XML or JSON-LD.

Harvesters (data.europa.eu, ckanext-dcat's harvester, other CKANs) read it without change:
- a dataset's URI is /dataset/<id> and a distribution's /dataset/<id>/resource/<id>, as
  ckanext-dcat makes them (an id never changes; a name may), and its page, /dataset/<name>,
  is its dcat:landingPage;
- the catalogue is paged 100 datasets at a time, described with Hydra's PagedCollection as
  ckanext-dcat does (both the current `first`/`next`… and the deprecated `firstPage`/
  `nextPage`… that older harvesters follow);
- controlled values are the EU vocabularies' URIs (licences, frequencies, data themes, file
  types, languages) and IANA's for media types, typed with the classes DCAT-AP's shapes ask
  for (dct:LicenseDocument, dct:Frequency …), so that the graph validates on its own.
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from . import links
from .access import visible
from .models import Dataset, Resource
from .vocabularies import FREQUENCIES, THEMES, UPLOAD_FORMATS, licence

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_THEMES = URIRef("http://publications.europa.eu/resource/authority/data-theme")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
DCAT_AP_3 = URIRef("http://data.europa.eu/r5r/")
# DCAT 3 terms that rdflib's DCAT namespace (DCAT 2) lacks.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
PER_PAGE = 100  # ckanext-dcat's default (ckanext.dcat.datasets_per_page)

# CKAN's format names → the EU file-type code (dct:format). A format not here is left out
# rather than guessed: dct:format is optional, a wrong one misleads.
FILE_TYPES = {
    "CSV": "CSV",
    "JSON": "JSON",
    "XLSX": "XLSX",
    "XLS": "XLS",
    "ODS": "ODS",
    "PDF": "PDF",
    "XML": "XML",
    "HTML": "HTML",
    "TXT": "TXT",
    "ZIP": "ZIP",
    "GEOJSON": "GEOJSON",
    "RDF": "RDF",
    "TTL": "RDF_TURTLE",
    "JSON-LD": "JSON_LD",
    "JSONLD": "JSON_LD",
    "DOCX": "DOCX",
    "ODT": "ODT",
    "KML": "KML",
    "SHP": "SHP",
    "API": "REST",
}
# The EU data themes' English names (DCAT-AP asks each skos:Concept for a skos:prefLabel).
EU_THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
MEDIA_TYPES = {fmt: mimetype for fmt, (_, mimetype) in UPLOAD_FORMATS.items()}

# What the catalogue calls itself. Porth has no setting for the name of whoever runs it, so
# the catalogue's publisher is the platform, at its own address.
CATALOGUE_TITLE = {"en": "Open data catalogue", "cy": "Catalog data agored"}
CATALOGUE_DESCRIPTION = {
    "en": "Datasets published by the organisations that run their services on Porth, "
    "including each live service's performance figures.",
    "cy": "Setiau data a gyhoeddir gan y sefydliadau sy'n rhedeg eu gwasanaethau ar Porth, "
    "gan gynnwys ffigurau perfformiad pob gwasanaeth byw.",
}
PLATFORM_NAME = "Porth"


@dataclass(frozen=True)
class Page:
    """Where one page of the catalogue sits among the others (1-based)."""

    number: int
    count: int  # datasets in the whole catalogue (changed since `modified_since`, if given)
    per_page: int = PER_PAGE
    # ckanext-dcat's `modified_since`: only what changed since, for incremental harvests.
    modified_since: datetime | None = None

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def exists(self) -> bool:
        return 1 <= self.number <= self.last


def published(modified_since: datetime | None = None) -> QuerySet[Dataset]:
    """The datasets anyone may see (public and active), with what a graph needs fetched in a
    fixed number of queries."""
    datasets = Dataset.objects.filter(visible(set()))
    if modified_since is not None:
        datasets = datasets.filter(modified__gte=modified_since)
    return datasets.select_related("organisation").prefetch_related("tags", "themes", "resources")


PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "skos": SKOS,
    "vcard": VCARD,
    "spdx": SPDX,
    "locn": LOCN,
    "hydra": HYDRA,
    "xsd": XSD,
}


def _graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


# Characters XML 1.0 cannot hold: a publisher's text may carry one (pasted from a
# spreadsheet), and RDF/XML would then be unreadable to every harvester.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str, lang: str | None = None) -> Literal:
    """A literal of what people typed, safe in every serialisation."""
    return Literal(_NOT_XML.sub("", value), lang=lang)


def _texts(graph: Graph, subject: URIRef | BNode, predicate: URIRef, en: str, cy: str) -> None:
    graph.add((subject, predicate, text(en, "en")))
    if cy:
        graph.add((subject, predicate, text(cy, "cy")))


def _languages(graph: Graph, subject: URIRef, welsh: bool) -> None:
    for code in ("ENG", "CYM") if welsh else ("ENG",):
        language = URIRef(EU_LANGUAGE + code)
        graph.add((subject, DCTERMS.language, language))
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))


def catalogue_uri(request: HttpRequest | None = None) -> URIRef:
    return URIRef(links.absolute("/", request))


def dataset_uri(dataset: Dataset, request: HttpRequest | None = None) -> URIRef:
    """A dataset's URI, by its id as ckanext-dcat makes it: a name may change, the id never
    does. Its page (dcat:landingPage) is /dataset/<name>."""
    return URIRef(links.absolute(f"/dataset/{dataset.id}", request))


def catalogue_graph(page: Page, request: HttpRequest | None = None) -> Graph:
    """One page of the catalogue: the dcat:Catalog, the page's datasets in full, and the
    Hydra paging that leads to the other pages."""
    graph = _graph()
    catalogue = catalogue_uri(request)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, CATALOGUE_TITLE["en"], CATALOGUE_TITLE["cy"])
    _texts(
        graph,
        catalogue,
        DCTERMS.description,
        CATALOGUE_DESCRIPTION["en"],
        CATALOGUE_DESCRIPTION["cy"],
    )
    platform = URIRef(links.absolute("/", request) + "#publisher")
    graph.add((catalogue, DCTERMS.publisher, platform))
    graph.add((platform, RDF.type, FOAF.Agent))
    graph.add((platform, FOAF.name, Literal(PLATFORM_NAME)))
    graph.add((catalogue, FOAF.homepage, _document(graph, links.absolute("/dataset", request))))
    graph.add((catalogue, DCTERMS.conformsTo, DCAT_AP_3))
    graph.add((DCAT_AP_3, RDF.type, DCTERMS.Standard))
    graph.add((catalogue, DCAT.themeTaxonomy, EU_THEMES))
    graph.add((EU_THEMES, RDF.type, SKOS.ConceptScheme))
    graph.add((EU_THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
    _languages(graph, catalogue, welsh=True)

    datasets = list(
        published(page.modified_since).order_by("-modified", "id")[
            (page.number - 1) * page.per_page : page.number * page.per_page
        ]
    )
    if datasets:
        graph.add((catalogue, DCTERMS.modified, Literal(max(d.modified for d in datasets))))
    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, add_dataset(graph, dataset, request)))
    _add_paging(graph, page, request)
    return graph


def _page_url(page: Page, number: int, request: HttpRequest | None) -> str:
    path = request.path if request is not None else "/catalog.ttl"
    query: dict[str, str | int] = {"page": number}
    if page.modified_since is not None:  # kept, so a harvester's next page is the same set
        query = {"modified_since": page.modified_since.isoformat(), **query}
    return links.absolute(f"{path}?{urlencode(query)}", request)


def _add_paging(graph: Graph, page: Page, request: HttpRequest | None) -> None:
    if not page.count:
        return  # as ckanext-dcat: an empty catalogue has no pages to link
    current = URIRef(_page_url(page, page.number, request))
    graph.add((current, RDF.type, HYDRA.PagedCollection))
    graph.add((current, HYDRA.totalItems, Literal(page.count)))
    graph.add((current, HYDRA.itemsPerPage, Literal(page.per_page)))
    pages = {"first": 1, "last": page.last}
    if page.number > 1:
        pages["previous"] = page.number - 1
    if page.number < page.last:
        pages["next"] = page.number + 1
    for name, number in pages.items():
        url = Literal(_page_url(page, number, request))
        graph.add((current, HYDRA[name], url))
        graph.add((current, HYDRA[f"{name}Page"], url))  # deprecated, still read by harvesters


def dataset_graph(dataset: Dataset, request: HttpRequest | None = None) -> Graph:
    graph = _graph()
    add_dataset(graph, dataset, request)
    return graph


def _document(graph: Graph, url: str) -> URIRef:
    document = URIRef(url)
    graph.add((document, RDF.type, FOAF.Document))
    return document


def add_dataset(graph: Graph, dataset: Dataset, request: HttpRequest | None = None) -> URIRef:
    """Add `dataset` (with its organisation, tags, themes and resources loaded) to `graph`."""
    subject = dataset_uri(dataset, request)
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(str(dataset.id))))
    _texts(graph, subject, DCTERMS.title, dataset.title, dataset.title_cy)
    # DCAT-AP requires a description: a dataset without notes is described by its title.
    _texts(
        graph,
        subject,
        DCTERMS.description,
        dataset.notes or dataset.title,
        dataset.notes_cy or (dataset.title_cy if not dataset.notes else ""),
    )
    landing_page = links.absolute(links.dataset_path(dataset), request)
    graph.add((subject, DCAT.landingPage, _document(graph, landing_page)))
    graph.add((subject, DCTERMS.issued, Literal(dataset.created)))
    graph.add((subject, DCTERMS.modified, Literal(dataset.modified)))
    _languages(graph, subject, welsh=bool(dataset.title_cy or dataset.notes_cy))
    if dataset.version:
        graph.add((subject, DCAT_VERSION, text(dataset.version)))
    if dataset.url:
        # CKAN's `url` is the source's page, documentation in DCAT-AP's terms (its
        # dct:source must be another dcat:Dataset).
        graph.add((subject, FOAF.page, _document(graph, dataset.url)))

    organisation = dataset.organisation
    publisher = URIRef(links.absolute(f"/organization/{organisation.slug}", request))
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    _texts(graph, publisher, FOAF.name, organisation.name, organisation.name_cy)

    if dataset.maintainer or dataset.maintainer_email:
        contact = BNode()
        graph.add((subject, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, text(dataset.maintainer or organisation.name)))
        if dataset.maintainer_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.maintainer_email}")))

    for tag in dataset.tags.all():
        graph.add((subject, DCAT.keyword, text(tag.name)))
    _add_themes(graph, subject, dataset, request)

    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((subject, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))

    if dataset.spatial_uri or dataset.spatial:
        place: URIRef | BNode = URIRef(dataset.spatial_uri) if dataset.spatial_uri else BNode()
        graph.add((subject, DCTERMS.spatial, place))
        graph.add((place, RDF.type, DCTERMS.Location))
        if dataset.spatial:
            graph.add((place, SKOS.prefLabel, text(dataset.spatial, "en")))

    frequency = FREQUENCIES.get(dataset.frequency)
    if frequency:
        uri = URIRef(frequency.uri)
        graph.add((subject, DCTERMS.accrualPeriodicity, uri))
        graph.add((uri, RDF.type, DCTERMS.Frequency))

    for resource in dataset.resources.all():
        graph.add(
            (subject, DCAT.distribution, _add_distribution(graph, dataset, resource, request))
        )
    return subject


def _add_themes(
    graph: Graph, subject: URIRef, dataset: Dataset, request: HttpRequest | None
) -> None:
    """Each theme twice over: the EU data theme it falls under (which DCAT-AP asks for) and
    Porth's own (CKAN's group, with its English and Welsh name)."""
    eu_theme = {term.id: term.uri for term in THEMES}
    scheme = URIRef(links.absolute("/group", request))
    for theme in dataset.themes.all():
        eu = theme.uri or eu_theme.get(theme.name, "")
        if eu:
            graph.add((subject, DCAT.theme, URIRef(eu)))
            graph.add((URIRef(eu), RDF.type, SKOS.Concept))
            graph.add((URIRef(eu), SKOS.inScheme, EU_THEMES))
            code = eu.rsplit("/", 1)[-1]
            graph.add(
                (URIRef(eu), SKOS.prefLabel, Literal(EU_THEME_LABELS.get(code, code), lang="en"))
            )
        own = URIRef(links.absolute(f"/group/{theme.name}", request))
        graph.add((subject, DCAT.theme, own))
        graph.add((own, RDF.type, SKOS.Concept))
        graph.add((own, SKOS.inScheme, scheme))
        _texts(graph, own, SKOS.prefLabel, theme.title, theme.title_cy)
    if dataset.themes.all():
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        _texts(graph, scheme, DCTERMS.title, "Themes", "Themâu")


def _add_distribution(
    graph: Graph, dataset: Dataset, resource: Resource, request: HttpRequest | None
) -> URIRef:
    page = links.absolute(links.resource_path(resource, dataset), request)
    subject = URIRef(links.absolute(f"/dataset/{dataset.id}/resource/{resource.id}", request))
    graph.add((subject, RDF.type, DCAT.Distribution))
    _texts(graph, subject, DCTERMS.title, resource.name or dataset.title, resource.name_cy)
    if resource.description:
        _texts(graph, subject, DCTERMS.description, resource.description, resource.description_cy)
    if resource.upload:
        # An upload: its page gives access, its file is the download.
        graph.add((subject, DCAT.accessURL, URIRef(page)))
        graph.add((subject, DCAT.downloadURL, URIRef(links.access_url(resource, request, dataset))))
    else:
        graph.add((subject, DCAT.accessURL, URIRef(resource.url or page)))
    fmt = resource.format.upper()
    if fmt in FILE_TYPES:
        file_type = URIRef(EU_FILE_TYPE + FILE_TYPES[fmt])
        graph.add((subject, DCTERMS.format, file_type))
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    mimetype = resource.mimetype or MEDIA_TYPES.get(fmt, "")
    if mimetype:
        media_type = URIRef(IANA_MEDIA_TYPE + mimetype)
        graph.add((subject, DCAT.mediaType, media_type))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
    term = licence(dataset.license_id)
    if term and term.uri:
        uri = URIRef(term.uri)
        graph.add((subject, DCTERMS.license, uri))
        graph.add((uri, RDF.type, DCTERMS.LicenseDocument))
    if resource.size is not None:
        graph.add((subject, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if resource.hash.startswith("sha256:"):
        checksum = BNode()
        graph.add((subject, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
        graph.add(
            (checksum, SPDX.checksumValue, Literal(resource.hash[7:], datatype=XSD.hexBinary))
        )
    graph.add((subject, DCTERMS.issued, Literal(resource.created)))
    graph.add((subject, DCTERMS.modified, Literal(resource.last_modified)))
    return subject


# Serialisations: the URL's extension → (rdflib's format name, content type).
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def serialise(graph: Graph, extension: str) -> bytes:
    rdflib_format, _ = FORMATS[extension]
    if rdflib_format == "json-ld":
        # Compact with the graph's own prefixes, so that keys read dct:title, not full URIs.
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=rdflib_format, encoding="utf-8")
