"""`porth reindex`: remake cases' name index with the current PORTH_INDEX_KEY."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porth.casework.reindex import BATCH, reindex_names
from porth.utils.crypto import KeyError_, index_keys


class Command(BaseCommand):
    help = (
        "Remake the name index (search by applicant's name) of every case not yet indexed "
        "with the first key of PORTH_INDEX_KEY. Run it after rotating that key; safe to run "
        "again, and an interrupted run carries on where it stopped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="remake every case's index, even those already made with the current key",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH, help="cases per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")
        try:
            key_id, _ = index_keys()
        except KeyError_ as error:
            raise CommandError(str(error)) from None
        # A progress line rewritten in place on a terminal; nothing in a log.
        live = options["verbosity"] > 0 and self.stderr.isatty()
        shown = False

        def progress(done: int, total: int) -> None:
            nonlocal shown
            if live:
                self.stderr.write(f"\rreindexed {done} of {total} cases", ending="", style_func=str)
                shown = True

        try:
            count = reindex_names(
                everything=options["everything"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except KeyError_ as error:
            raise CommandError(
                f"{error}. The cases before it were reindexed; run again when the key is back."
            ) from None
        finally:
            if shown:
                self.stderr.write("", style_func=str)  # end the progress line
        self.stdout.write(
            f"{count} case{'' if count == 1 else 's'} reindexed with index key {key_id!r}"
        )
