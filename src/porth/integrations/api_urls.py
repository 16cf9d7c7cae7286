"""The REST API's addresses: /api/v1/… (and a JSON 404 for any other address under it)."""

from django.urls import URLPattern, URLResolver, path, re_path

from . import api_cases, api_submissions
from .api import api, not_found

api.add_router("", api_submissions.router)
api.add_router("", api_cases.router)

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", not_found),
]
