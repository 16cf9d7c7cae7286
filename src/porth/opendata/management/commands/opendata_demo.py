"""`porth opendata_demo`: the demo's open data catalogue (`porth run` runs it after `porth demo`
and `porth performance_demo`): the example services' performance datasets and the Example
Council's own datasets. Safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from porth.opendata import demo


class Command(BaseCommand):
    help = "Fill the open data catalogue for the demo (not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("porth opendata_demo makes up datasets: not in production")
        try:
            done = demo.seed()
        except demo.NoPublisher as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 0:
            for line in done:
                self.stdout.write(line)
