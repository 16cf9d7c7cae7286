"""`porth demo`: the demo organisations and staff, and how to sign in as them.

Here, not in accounts: it makes an organisation for each service's, and accounts sit below
services (the `layers` contract in pyproject.toml)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from porth.accounts.service import demo_instructions, ensure_demo
from porth.services import registry


class Command(BaseCommand):
    help = "Create the demo organisations and staff (not in production). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "porth demo makes accounts with a public password: not in production"
            )
        ensure_demo(
            (d.organisation.id, d.organisation.name.en, d.organisation.name.cy or "")
            for d in registry.definitions().values()
        )
        if options["verbosity"] > 0:
            self.stdout.write(demo_instructions())
