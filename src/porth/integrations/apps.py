from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "porth.integrations"
    verbose_name = "REST API and webhooks for departments' systems"
