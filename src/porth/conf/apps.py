from django.apps import AppConfig


class PorthConfig(AppConfig):
    """Project-wide configuration checks (see checks.py), and Django's per-request state
    kept in faster Locals (see porth.utils.locals)."""

    name = "porth.conf"
    label = "porth"
    verbose_name = "Porth"

    def ready(self) -> None:
        from porth.utils import locals

        from . import checks  # noqa: F401 - registers the system checks

        # First in INSTALLED_APPS, so this runs before any other app's ready(), request or
        # connection.
        locals.install()
