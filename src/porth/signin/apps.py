from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "porth.signin"
    verbose_name = "Citizen sign-in (OpenID Connect)"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
