"""The `porth` command: `porth schema`, `porth run`, `porth serve`, `porth load`, …

`porth worker` (background tasks and the scheduler) is a management command of
porth.background, as Django's own commands are reached through this one.

Anything it does not know is passed to Django's manage.py (`porth migrate`, `porth shell`).
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from porth.supervise import supervise

if TYPE_CHECKING:
    from porth.signin.demo_provider import Provider

VAR = Path(__file__).resolve().parents[2] / "var"  # the repository's, made by `porth run`


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    import django

    django.setup()


def schema_json() -> str:
    from porth.services.definition.models import Definition

    schema = Definition.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://porth.example/schema/service-definition.schema.json"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_json())
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Check every definition in the folder and record its version."""
    _django()
    from django.conf import settings

    from porth.services.definition import DefinitionError, load_folder
    from porth.services.service import record_version

    folder = Path(args.folder or settings.PORTH_SERVICES_DIR)
    try:
        found = load_folder(folder)
    except DefinitionError as error:
        print(error, file=sys.stderr)
        return 1
    for definition in found.values():
        record_version(definition)
        print(f"loaded {definition.slug} (version {definition.version})")
        for warning in definition.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def _deployable() -> bool:
    """In production, run the deployment checks (Django's and Porth's, `porth check --deploy`)
    and say whether the server may start: a missing secret stops it here, with the reason,
    rather than on a citizen's first answer."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    if not settings.PRODUCTION:
        return True
    try:
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as error:
        print(f"{error}\nPorth will not serve until these are fixed.", file=sys.stderr)
        return False
    return True


def _serve(bind: str, workers: int) -> int:
    """Serve with Granian, a production HTTP server with a Rust core (WSGI interface).

    Chosen over gunicorn by measurement (make bench, 20 users, SQLite, 2 workers): 68 against
    53 journeys/s, as it keeps connections alive and parses HTTP outside Python. Granian runs
    as a child process, started again if it fails (porth.supervise; docs/deploy.md).
    """
    _django()
    from django.conf import settings

    from porth.services.definition import DefinitionError, load_folder

    if not _deployable():
        return 1
    try:  # fail here, with the reason, rather than in every worker as it starts
        load_folder(settings.PORTH_SERVICES_DIR)
    except DefinitionError as error:
        print(error, file=sys.stderr)
        return 1
    host, _, port = bind.rpartition(":")
    granian = str(Path(sys.executable).with_name("granian"))
    return supervise(
        [
            granian,
            "--interface=wsgi",
            f"--host={host}",
            f"--port={port}",
            f"--workers={workers}",
            "--blocking-threads=1",  # one request at a time per worker, like a sync worker
            # A worker that dies is replaced while the others serve on. Granian gives up (and
            # exits non-zero) if a worker it has just replaced dies again within seconds:
            # supervise() starts it again then.
            "--respawn-failed-workers",
            # A worker that will not stop (a request stuck on the database) is killed, so a
            # stop or a replacement cannot hang.
            "--workers-kill-timeout=30",
            "porth.wsgi:application",
        ],
        name="Granian",
    )


def cmd_serve(args: argparse.Namespace) -> int:
    return _serve(args.bind, args.workers)


def cmd_run(args: argparse.Namespace) -> int:
    """Everything a newcomer needs: database, services, assets, then the server."""
    from django.core.management import call_command

    VAR.mkdir(exist_ok=True)
    # Links in messages (resume a journey, reply to a request) lead to this server, also
    # when it is bound elsewhere than 127.0.0.1:8000; the worker inherits it.
    os.environ.setdefault("PORTH_BASE_URL", f"http://{args.bind}")
    _django()
    if not _deployable():
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if cmd_load(argparse.Namespace(folder=None)) != 0:
        return 1
    call_command("demo")  # demo organisations and staff, and how to sign in as them
    # A provider to sign in with as a demo citizen; it serves as long as this process does.
    signin, _provider = _demo_signin(VAR)
    if signin:
        print(signin)
    call_command("performance_demo")  # figures for the performance dashboards
    call_command("opendata_demo")  # the catalogue: performance datasets and the council's own
    call_command("exchange_demo")  # a second organisation to prefill from ("tell us once")
    print(f"\nPorth is serving the example services on http://{args.bind}/\n")
    with _worker():
        return _serve(args.bind, args.workers)


def _demo_signin(var: Path) -> tuple[str, "Provider | None"]:
    """Start the demo OpenID provider in a thread of this process (which lives as long as the
    server) and point the server's and worker's environment at it; say how to sign in.
    Development only, and not if the user has configured a provider (porth.signin.demo)."""
    from django.conf import settings

    from porth.signin import demo

    if not demo.wanted(os.environ, production=settings.PRODUCTION):
        return "", None
    base_url = os.environ["PORTH_BASE_URL"]
    try:
        provider = demo.start(var, base_url, demo.port(os.environ))
    except OSError as error:
        message = (
            f"\nCitizen sign-in is off: the demo provider could not start ({error}). "
            "Set PORTH_DEMO_SIGNIN_PORT to a free port (or 0).\n"
        )
        return message, None
    os.environ.update(demo.environment(provider.issuer, var))
    return demo.instructions(base_url, provider.issuer), provider


@contextlib.contextmanager
def _worker() -> Iterator[None]:
    """One `porth worker` beside the server (messages are sent by it, never by a request),
    stopped with the server. In its own process group, so that Ctrl-C reaches it only once,
    from here: it finishes the task in hand, then stops."""
    from django.conf import settings

    if settings.PORTH_TASKS == "immediate":  # tasks run where they are enqueued
        yield
        return
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("porth")), "worker"], process_group=0
    )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def cmd_keygen(args: argparse.Namespace) -> int:
    from porth.utils.crypto import new_key

    print(f"{args.key_id}:{new_key()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="porth", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("schema", help="print the JSON Schema of service definitions")
    load = sub.add_parser("load", help="check the service definitions and record their versions")
    load.add_argument("folder", nargs="?")
    for name, text in (("run", "set up the demo and serve it"), ("serve", "serve with Granian")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--bind", default=os.environ.get("PORTH_BIND", "127.0.0.1:8000"))
        p.add_argument("--workers", type=int, default=int(os.environ.get("PORTH_WORKERS", "2")))
    keygen = sub.add_parser(
        "keygen",
        help="print a new key for PORTH_ENCRYPTION_KEYS, PORTH_INDEX_KEY or PORTH_AUDIT_KEY",
    )
    keygen.add_argument("key_id", nargs="?", default="k1")
    retention = sub.add_parser(
        "retention", help="erase personal data past each service's retention period"
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="only say what would be erased, per service"
    )
    messages = sub.add_parser("messages", help="extract and compile the Welsh translations")
    messages.add_argument("--check", action="store_true", help="fail if anything is untranslated")
    handlers = {
        "schema": cmd_schema,
        "load": cmd_load,
        "run": cmd_run,
        "serve": cmd_serve,
        "keygen": cmd_keygen,
        "messages": cmd_messages,
        "retention": cmd_retention,
    }
    if argv and argv[0] not in handlers and not argv[0].startswith("-"):
        # Any other command is Django's: `porth migrate`, `porth shell`, …
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["porth", *argv])
        return 0
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return handlers[args.command](args)


def cmd_retention(args: argparse.Namespace) -> int:
    """Erase what each service's retention period says is due (what the daily task does),
    or with --dry-run only count it; print what, per service."""
    _django()
    from porth import retention

    report = retention.plan() if args.dry_run else retention.run(by="porth retention")
    print(retention.describe(report))
    return 0


def cmd_messages(args: argparse.Namespace) -> int:
    from porth.utils.messages import update_catalogue

    return update_catalogue(check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
