"""Service owners' pages, under /staff/exchange/ (porth.urls includes these)."""

from django.urls import URLPattern, path

from . import staff_views

urlpatterns: list[URLPattern] = [
    path("exchange/", staff_views.services, name="exchange-staff-services"),
    path(
        "exchange/<slug:organisation>/<slug:service>",
        staff_views.service,
        name="exchange-staff-service",
    ),
    path(
        "exchange/grants/<int:grant_id>/revoke",
        staff_views.revoke,
        name="exchange-staff-revoke",
    ),
]
