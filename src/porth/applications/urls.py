from django.urls import path

from . import views

# Citizen pages, listed in porth.urls before the journey pages' catch-all patterns.
urlpatterns = [
    path("your-applications", views.your_applications, name="your-applications"),
    path("your-applications/continue", views.continue_journey, name="your-applications-continue"),
    path(
        "your-applications/who-used-your-data",
        views.who_used_your_data,
        name="who-used-your-data",
    ),
    path(
        "your-applications/consents/<int:consent_id>/withdraw",
        views.withdraw_consent,
        name="withdraw-consent",
    ),
    path("your-applications/<str:reference>", views.application, name="your-application"),
]
