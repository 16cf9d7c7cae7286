from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porth.accounts"
    verbose_name = "Staff and organisations"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
