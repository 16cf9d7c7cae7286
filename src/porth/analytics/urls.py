"""Staff performance pages, under /staff/performance/ (porth.urls includes these)."""

from django.urls import path

from . import views

urlpatterns = [
    path("performance/", views.service_list, name="performance"),
    path("performance/services.<str:fmt>", views.list_export, name="performance-list-export"),
    path("performance/<slug:slug>", views.dashboard, name="performance-service"),
    path(
        "performance/<slug:slug>/figures.<str:fmt>", views.service_export, name="performance-export"
    ),
    path("performance/<slug:slug>/costs", views.costs, name="performance-costs"),
]
