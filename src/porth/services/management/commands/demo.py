"""`porth demo`: the demo organisations and staff, and how to sign in as them.

Here, not in accounts: it makes an organisation for each service's, and accounts sit below
services (the `layers` contract in pyproject.toml)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from porth.accounts import demo
from porth.services import registry


class Command(BaseCommand):
    help = "Create the demo organisations and staff (not in production). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "porth demo makes accounts with a public password: not in production"
            )
        for definition in registry.definitions().values():
            organisation = definition.organisation
            demo.ensure_organisation(
                organisation.id, organisation.name.en, organisation.name.cy or ""
            )
        demo.ensure_organisation(demo.HOME, "Example Council", "Cyngor Enghraifft")
        demo.ensure_organisation(*demo.OTHER)
        for user in demo.USERS:
            demo.ensure_user(user)
        if options["verbosity"] > 0:
            self.stdout.write(self.instructions())

    def instructions(self) -> str:
        names = ", ".join(user.username for user in demo.USERS[1:])
        return f"""
Staff sign-in (demo accounts)
  Go to:       http://127.0.0.1:8000/staff/sign-in
  User name:   caseworker   (also: {names})
  Password:    {demo.PASSWORD}
  Code:        add this key to an authenticator app (it is the same for every demo user):
                 {demo.SECRET}
               or, without an app, print the current code with:
                 .venv/bin/porth totp caseworker
"""
