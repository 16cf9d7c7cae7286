from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "porth.opendata"
    verbose_name = "Open data"
