from datetime import timedelta

from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "porth.signin"
    verbose_name = "Citizen sign-in (OpenID Connect)"

    def ready(self) -> None:
        from porth.background.service import periodic

        from . import checks  # noqa: F401 - registers the system checks
        from .tasks import forget_old_sessions

        periodic("signin.forget_old_sessions", every=timedelta(days=1), task=forget_old_sessions)
