from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "porth.services"
    verbose_name = "Services"
