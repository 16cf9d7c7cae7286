from django.urls import path

from . import views

# Citizen pages, listed in porth.urls before the journey pages' catch-all patterns.
urlpatterns = [
    path("your-applications", views.your_applications, name="your-applications"),
    path("your-applications/continue", views.continue_journey, name="your-applications-continue"),
    path("your-applications/<str:reference>", views.application, name="your-application"),
]
