"""`porth audit verify`: check the audit log's hash chain from the first entry to the head,
and against every checkpoint. `porth audit checkpoint`: sign the head and append it to the
checkpoints file; run it on a schedule (cron, a systemd timer: docs/security.md)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from porth.audit import checkpoints
from porth.audit.verify import CHUNK, verify_chain


class Command(BaseCommand):
    help = (
        "Work with the audit log. `verify` checks every entry's hash and link, the head and "
        "the checkpoints; `checkpoint` records the head outside the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser("verify", help="check the hash chain; exit 1 if broken")
        checkpoint = commands.add_parser(
            "checkpoint", help="sign the head and append it to the checkpoints file"
        )
        for command in (verify, checkpoint):
            command.add_argument("--database", default="default")
            command.add_argument(
                "--checkpoints",
                type=Path,
                help="the checkpoints file (default: PORTH_AUDIT_CHECKPOINTS)",
            )
        verify.add_argument("--chunk-size", type=int, default=CHUNK)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["checkpoints"] or Path(settings.PORTH_AUDIT_CHECKPOINTS)
        if options["subcommand"] == "checkpoint":
            written = checkpoints.append(path, checkpoints.take(using=options["database"]))
            self.stdout.write(f"{written.count} entries, head {written.hash[:12]}… → {path}")
            return
        self.verify(path, options)

    def verify(self, path: Path, options: dict[str, Any]) -> None:
        found: list[checkpoints.Checkpoint] = []
        if path.exists():
            try:
                found = checkpoints.read(path)
            except checkpoints.CheckpointError as error:
                raise CommandError(
                    f"audit checkpoints not trusted: {error}", returncode=1
                ) from None
        else:
            self.stderr.write(f"No checkpoints file at {path}: the chain alone is checked")
        result = verify_chain(
            using=options["database"], chunk_size=options["chunk_size"], checkpoints=found
        )
        if result.broken is not None:
            raise CommandError(
                f"audit log broken at {result.broken} ({result.count} entries before it verified)",
                returncode=1,
            )
        self.stdout.write(
            f"{result.count} entries verified, chain intact, against {len(found)} checkpoints "
            f"({result.rate:,.0f} entries/s, {result.seconds:.2f} s)"
        )
        if result.unkeyed:
            self.stdout.write(
                f"{result.unkeyed} entries were made before the chain was keyed (plain "
                "SHA-256): checkpoints taken since protect them"
            )
