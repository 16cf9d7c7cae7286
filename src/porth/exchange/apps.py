from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "porth.exchange"
    verbose_name = "Exchange between organisations"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
