from django.apps import AppConfig


class PorthConfig(AppConfig):
    """Project-wide configuration checks (see checks.py)."""

    name = "porth.conf"
    label = "porth"
    verbose_name = "Porth"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
