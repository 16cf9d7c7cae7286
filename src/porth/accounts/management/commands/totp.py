"""`porth totp <user name>`: the code a demo user's authenticator app would show now."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from porth.accounts import totp
from porth.accounts.models import User


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code for a user (demo and development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("porth totp would defeat the second factor: not in production")
        user = User.objects.filter(username=options["username"]).first()
        device = totp.confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{options['username']} has no authenticator app set up")
        self.stdout.write(totp.current_code(device))
