"""Partners' addresses (porth.urls lists these): /exchange/v1/<organisation>/<service>."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("exchange/v1/<slug:organisation>/jwks.json", views.jwks, name="exchange-jwks"),
    path("exchange/v1/<slug:organisation>/<slug:service>", views.exchange, name="exchange-call"),
]
