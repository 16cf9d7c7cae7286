from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "porth.exchange"
    verbose_name = "Exchange between organisations"
