from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "porth.services"
    verbose_name = "Services"

    def ready(self) -> None:
        from porth.fastpath import shells

        from . import checks  # noqa: F401 - registers the system checks
        from .definition import Definition, Page

        # A definition renders the same for the same slug and version, and a page of it by its
        # id and experiment variant (the pages that show one name its definition too).
        shells.key_by(Definition, lambda d: ("definition", d.slug, d.version))
        shells.key_by(Page, lambda p: ("page", p.id, p.variant))
