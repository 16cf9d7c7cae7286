from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "porth.applications"
    verbose_name = "Your applications (signed-in citizens)"

    def ready(self) -> None:
        from porth.exchange import service as exchange
        from porth.fastpath.shells import add_page_slot

        from . import navigation, sections

        add_page_slot("citizen_nav", navigation.menu)
        add_page_slot("citizen_bar", navigation.bar)
        # Parts other apps add to the pages register here (sections.py says why here):
        # consents given for "tell us once", and the way to "who has asked about you".
        sections.register(exchange.ConsentsSection())
