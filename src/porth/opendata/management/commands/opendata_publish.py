"""`porth opendata_publish`: make or refresh every live service's performance dataset now,
as the periodic task does every PORTH_OPENDATA_REFRESH_HOURS. Safe to run again: a run that
finds nothing new changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from porth.opendata.performance import publish


class Command(BaseCommand):
    help = "Publish every live service's performance data as open data, now."

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = publish()
        if options["verbosity"] > 0:
            for outcome in outcomes:
                what = f" ({', '.join(outcome.changed)})" if outcome.changed else ""
                self.stdout.write(f"{outcome.action}: {outcome.dataset}{what}")
            if not outcomes:
                self.stdout.write("No live service has a whole month of figures yet.")
