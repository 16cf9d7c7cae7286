from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "porth.background"
    verbose_name = "Background work"
