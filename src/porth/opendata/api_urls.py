"""The CKAN Action API's addresses: /api/3/action/<name> and /api/action/<name>."""

from django.urls import URLPattern, URLResolver, path

from . import api_actions  # noqa: F401  (registers the actions)
from .api import api, register_routes

register_routes()

urlpatterns: list[URLPattern | URLResolver] = [path("api/", api.urls)]
