"""`porth exchange keys rotate|list ORG`, `porth exchange export ORG FILE`, `porth exchange
verify ORG` or `porth exchange verify --file FILE [--jwks JWKS]`, `porth exchange publish ORG
SLUG --name … (--query Q | --url URL)`, `porth exchange partner SLUG BASE_URL [--jwks-url
URL]`: the exchange's keys, its message log, its services and its partners."""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.exchange import actions, handlers, keys, log
from porth.exchange.models import Handler, Partner, SigningKey


class Command(BaseCommand):
    help = "Work with the exchange: signing keys, the message log, partners."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        key = commands.add_parser("keys", help="rotate or list an organisation's signing keys")
        key.add_argument("action", choices=["rotate", "list"])
        key.add_argument("organisation")
        key.add_argument("--days", type=int, help="how long a new key verifies")
        export = commands.add_parser("export", help="write the message log, head signed")
        export.add_argument("organisation")
        export.add_argument("file", help="where to write it ('-' for standard output)")
        verify = commands.add_parser("verify", help="check a message log; exit 1 if broken")
        verify.add_argument("organisation", nargs="?")
        verify.add_argument("--file", type=Path, help="an export to check instead")
        verify.add_argument("--jwks", type=Path, help="the organisation's JWK Set (a file)")
        publish = commands.add_parser("publish", help="publish (or change) an exchange service")
        publish.add_argument("organisation")
        publish.add_argument("slug")
        publish.add_argument("--name", required=True)
        publish.add_argument("--description", default="")
        answered = publish.add_mutually_exclusive_group(required=True)
        answered.add_argument("--query", help="a registered query, e.g. confirm-reference")
        answered.add_argument("--url", help="a legacy system to POST the query to")
        publish.add_argument("--timeout", type=float, default=5.0, help="(--url) seconds")
        publish.add_argument("--token-env", default="", help="(--url) env var of a bearer token")
        publish.add_argument(
            "--config", default="{}", help="more settings as a JSON object (e.g. map, services)"
        )
        partner = commands.add_parser("partner", help="register (or change) a partner")
        partner.add_argument("slug")
        partner.add_argument("base_url")
        partner.add_argument("--name", default="")
        partner.add_argument("--jwks-url", default="", help="blank: its keys are in this Porth")

    def _organisation(self, slug: str | None) -> Organisation:
        found = Organisation.objects.filter(slug=slug or "").first()
        if found is None:
            raise CommandError(f"no organisation {slug!r}")
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['subcommand']}")(options)

    def do_keys(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        if options["action"] == "rotate":
            made = actions.rotate_key(organisation, days=options["days"])
            self.stdout.write(f"{made.kid} signs from now on, until {made.not_after:%Y-%m-%d}")
            return
        now = timezone.now()
        signing = next(iter(keys.usable(organisation)), None)
        for key in SigningKey.objects.filter(organisation=organisation).order_by("-created_at"):
            state = (
                "retired"
                if key.retired_at
                else "expired"
                if key.not_after <= now
                else "signs"
                if signing and key.pk == signing.pk
                else "verifies"
            )
            self.stdout.write(
                f"{key.kid}  created {key.created_at:%Y-%m-%d}  "
                f"not after {key.not_after:%Y-%m-%d}  {state}"
            )

    def do_export(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        if options["file"] == "-":
            count = log.export(organisation, sys.stdout)
        else:
            with open(options["file"], "w", encoding="utf-8") as out:
                count = log.export(organisation, out)
        self.stderr.write(f"{count} entries exported, head signed")

    def do_verify(self, options: dict[str, Any]) -> None:
        path: Path | None = options["file"]
        if path is not None:
            jwks = json.loads(options["jwks"].read_text()) if options["jwks"] else None
            with path.open(encoding="utf-8") as lines:
                count, broken, signed = log.verify_export(lines, jwks)
        else:
            count, broken = log.verify(self._organisation(options["organisation"]))
            signed = ""
        if broken is not None:
            raise CommandError(
                f"exchange log broken at {broken} ({count} entries before it verified)",
                returncode=1,
            )
        self.stdout.write(
            f"{count} entries verified, chain intact" + (f"; {signed}" * bool(signed))
        )

    def do_publish(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        try:
            config = json.loads(options["config"])
        except ValueError as error:
            raise CommandError(f"--config is not JSON: {error}") from None
        if not isinstance(config, dict):
            raise CommandError("--config must be a JSON object")
        if options["query"]:
            if options["query"] not in handlers.queries():
                known = ", ".join(sorted(handlers.queries()))
                raise CommandError(f"no query {options['query']!r}; there are: {known}")
            config["query"] = options["query"]
        else:
            config.update(url=options["url"], timeout=options["timeout"])
            if options["token_env"]:
                config["token_env"] = options["token_env"]
        try:
            service = actions.publish(
                organisation,
                slug=options["slug"],
                name=options["name"],
                description=options["description"],
                handler=Handler.QUERY if options["query"] else Handler.HTTP,
                config=config,
            )
        except actions.Invalid as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Published {service} at /exchange/v1/{service}")

    def do_partner(self, options: dict[str, Any]) -> None:
        partner, made = Partner.objects.update_or_create(
            slug=options["slug"],
            defaults={
                "name": options["name"] or options["slug"],
                "base_url": options["base_url"],
                "jwks_url": options["jwks_url"],
            },
        )
        self.stdout.write(f"{'Registered' if made else 'Changed'} partner {partner.slug}")
