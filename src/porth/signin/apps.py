from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "porth.signin"
    verbose_name = "Citizen sign-in (OpenID Connect)"
