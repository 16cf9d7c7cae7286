from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "porth.applications"
    verbose_name = "Your applications (signed-in citizens)"
