"""The CKAN Action API's addresses: /api/3/action/<name> and /api/action/<name>."""

from django.urls import URLPattern, URLResolver, path

from . import api_reads, api_writes  # noqa: F401  (register the actions, reads first)
from .api import api, register_routes

register_routes()

urlpatterns: list[URLPattern | URLResolver] = [path("api/", api.urls)]
