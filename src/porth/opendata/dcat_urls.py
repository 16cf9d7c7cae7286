"""DCAT addresses, ckanext-dcat's own so harvesters configured for a CKAN site keep working.
A dataset's page is /dataset/<name> (urls.py); `<slug:name>` takes no dot, so the
extensions here never clash with it."""

from django.urls import URLPattern, URLResolver, path, register_converter

from . import dcat_views


class Extension:
    """One of the serialisations dcat.FORMATS knows (ttl, rdf, jsonld)."""

    regex = "|".join(["ttl", "rdf", "jsonld"])

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Extension, "rdfext")

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalog.<rdfext:extension>", dcat_views.catalogue, name="opendata-dcat-catalogue"),
    path(
        "dataset/<slug:name>.<rdfext:extension>",
        dcat_views.dataset,
        name="opendata-dcat-dataset",
    ),
]
