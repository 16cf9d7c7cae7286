"""`porth audit verify`: check the audit log's hash chain from the first entry to the head."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porth.audit.verify import CHUNK, verify_chain


class Command(BaseCommand):
    help = "Work with the audit log. `verify` checks every entry's hash and link, and the head."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser("verify", help="check the hash chain; exit 1 if broken")
        verify.add_argument("--database", default="default")
        verify.add_argument("--chunk-size", type=int, default=CHUNK)

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(using=options["database"], chunk_size=options["chunk_size"])
        if result.broken is not None:
            raise CommandError(
                f"audit log broken at {result.broken} ({result.count} entries before it verified)",
                returncode=1,
            )
        self.stdout.write(
            f"{result.count} entries verified, chain intact "
            f"({result.rate:,.0f} entries/s, {result.seconds:.2f} s)"
        )
