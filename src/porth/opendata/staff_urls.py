"""The data publishers' pages, under /staff/open-data/ (porth.urls includes these)."""

from django.urls import URLPattern, URLResolver, path

from . import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/", staff_views.datasets, name="opendata-staff-datasets"),
    path("open-data/new", staff_views.new_dataset, name="opendata-staff-new"),
    path("open-data/api-tokens", staff_views.api_tokens, name="opendata-staff-tokens"),
    path(
        "open-data/api-tokens/<int:token_id>",
        staff_views.revoke_token,
        name="opendata-staff-revoke-token",
    ),
    path("open-data/dataset/<slug:name>", staff_views.dataset, name="opendata-staff-dataset"),
    path(
        "open-data/dataset/<slug:name>/delete",
        staff_views.delete_dataset,
        name="opendata-staff-delete",
    ),
    path(
        "open-data/dataset/<slug:name>/resources/new",
        staff_views.new_resource,
        name="opendata-staff-new-resource",
    ),
    path(
        "open-data/dataset/<slug:name>/resources/<uuid:resource_id>",
        staff_views.resource,
        name="opendata-staff-resource",
    ),
    path(
        "open-data/dataset/<slug:name>/resources/<uuid:resource_id>/delete",
        staff_views.delete_resource,
        name="opendata-staff-delete-resource",
    ),
]
