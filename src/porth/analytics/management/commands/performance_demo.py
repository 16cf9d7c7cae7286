"""`porth performance_demo`: made-up performance data for the demo services (`porth run`
runs it after `porth demo`), so the dashboards have figures. Safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from porth.analytics import demo


class Command(BaseCommand):
    help = "Record made-up journeys for the demo dashboards (not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("porth performance_demo makes up figures: not in production")
        for slug, count in demo.seed().items():
            if options["verbosity"] > 0:
                self.stdout.write(f"recorded {count} demo performance events for {slug}")
