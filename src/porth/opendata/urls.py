"""The catalogue's pages, at CKAN's own addresses (links.py), so that links to a CKAN site
keep working when it moves to Porth. `<slug:name>` matches no dot: /dataset/<name>.ttl and
the other DCAT forms are dcat_urls.py's."""

from django.urls import URLPattern, URLResolver, path

from . import dataset_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dataset", views.datasets, name="opendata-datasets"),
    path("dataset/<slug:name>", dataset_views.dataset, name="opendata-dataset"),
    path(
        "dataset/<slug:name>/resource/<uuid:resource_id>",
        dataset_views.resource,
        name="opendata-resource",
    ),
    path(
        "dataset/<slug:name>/resource/<uuid:resource_id>/download",
        dataset_views.download,
        name="opendata-download-any",
    ),
    path(
        "dataset/<slug:name>/resource/<uuid:resource_id>/download/<str:filename>",
        dataset_views.download,
        name="opendata-download",
    ),
    path("organization", views.organisations, name="opendata-organisations"),
    path("organization/<slug:slug>", views.organisation, name="opendata-organisation"),
    path("group", views.themes, name="opendata-themes"),
    path("group/<slug:name>", views.theme, name="opendata-theme"),
]
