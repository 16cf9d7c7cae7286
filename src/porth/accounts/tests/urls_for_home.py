"""A URL configuration for the staff home tests: the accounts pages, and a queues page."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def queues(request: HttpRequest) -> HttpResponse:
    return HttpResponse("queues")


urlpatterns = [
    path("staff/", include("porth.accounts.urls")),
    path("staff/cases", queues, name="queues"),
]
