from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porth.accounts"
    verbose_name = "Staff and organisations"
