"""`python -m bench [engine|inprocess|instructions|http|weight|audit|casework|notifications|analytics|dashboard|opendata|exchange|webhooks|all] [--profile] [--full] [--attribution] [--events N]`.

Porth's figures. `dashboard` writes a year of raw performance events (10,000,000, or
`--events N`), rolls them up and times the service dashboard on PostgreSQL and SQLite: with
the default number of events it takes the best part of an hour. `opendata` times
package_search at 10,000 datasets on PostgreSQL and SQLite (a few minutes).

Targets are printed beside the figures and never enforced: the exit status is non-zero only
when something errored (a wrong answer from the server, a server that would not start).
"""

import argparse
import subprocess
import sys
import time
import traceback
from collections.abc import Callable

from . import (
    analytics,
    audit,
    casework,
    dashboard,
    engine,
    exchange,
    instructions,
    notifications,
    opendata_search,
    postgres,
    webhooks,
    weight,
)
from . import http as http_bench
from . import server as servers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "which",
        nargs="?",
        default="all",
        choices=[
            "engine",
            "inprocess",
            "instructions",
            "http",
            "weight",
            "audit",
            "casework",
            "notifications",
            "webhooks",
            "analytics",
            "dashboard",
            "opendata",
            "exchange",
            "all",
        ],
    )
    parser.add_argument("--profile", action="store_true", help="also profile (engine, inprocess)")
    parser.add_argument(
        "--attribution",
        action="store_true",
        help="also what each fast-path optimisation buys (about 10 minutes per database)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    parser.add_argument(
        "--full", action="store_true", help="audit and casework: 1,000,000 rows, not 200,000"
    )
    parser.add_argument(
        "--events",
        type=int,
        default=dashboard.EVENTS,
        help=f"dashboard: raw events to write (default {dashboard.EVENTS:,})",
    )
    args = parser.parse_args(argv)
    began = time.monotonic()
    failures: list[str] = []

    def attempt(name: str, step: Callable[[], list[str] | None]) -> None:
        try:
            errors = step()
        except Exception as error:
            traceback.print_exc()
            failures.append(f"{name}: {type(error).__name__}: {error}")
            return
        if errors:
            failures.append(f"{name}: {len(errors)} errors, first: {errors[0]}")

    if args.which in {"engine", "all"}:
        attempt("engine", lambda: engine.run(with_profile=args.profile))
    if args.which in {"inprocess", "all"}:
        # Its own process: it sets Django up, which the server benchmarks leave to the server.
        command = [
            sys.executable,
            "-m",
            "bench.inprocess",
            *(["--profile"] if args.profile else []),
        ]
        attempt("inprocess", lambda: [] if subprocess.run(command).returncode == 0 else ["failed"])
    if args.attribution:
        attempt("attribution", instructions.attribution)
        in_time = [sys.executable, "-m", "bench.inprocess", "--attribution"]
        attempt(
            "attribution", lambda: [] if subprocess.run(in_time).returncode == 0 else ["failed"]
        )
        if not args.no_postgres and postgres.available():
            attempt("attribution", lambda: instructions.attribution(database="postgres"))
            pg_in_time = [*in_time, "--postgres"]
            attempt(
                "attribution",
                lambda: [] if subprocess.run(pg_in_time).returncode == 0 else ["failed"],
            )
    if args.which in {"instructions", "all"}:
        attempt("instructions", instructions.run_engine)
        attempt("instructions", lambda: instructions.run(database="sqlite"))
        if not args.no_postgres and postgres.available():
            attempt("instructions", lambda: instructions.run(database="postgres"))
    if args.which in {"http", "weight", "all"}:
        sqlite_runs: dict[str, dict[str, str]] = {"on": {}, "off": {}}

        def sqlite() -> list[str]:
            with servers.running("sqlite") as server:
                errors: list[str] = []
                if args.which in {"weight", "all"}:
                    errors += weight.run(server)
                if args.which in {"http", "all"}:
                    errors += http_bench.run(server, sqlite_runs["on"])
                return errors

        def sqlite_plain() -> list[str]:
            with servers.running("sqlite", collectstatic=False, fast_path="off") as server:
                return http_bench.run(server, sqlite_runs["off"])

        attempt("sqlite", sqlite)
        if args.which in {"http", "all"}:
            attempt("sqlite, fast path off", sqlite_plain)
            http_bench.side_by_side("SQLite", sqlite_runs)
    if args.which in {"http", "all"} and not args.no_postgres:
        if postgres.available():
            postgres_runs: dict[str, dict[str, str]] = {}

            def on_postgres(fast_path: str) -> list[str]:
                with servers.running(
                    "postgres", collectstatic=False, fast_path=fast_path
                ) as server:
                    return http_bench.run(server, postgres_runs.setdefault(fast_path, {}))

            attempt("postgres", lambda: on_postgres("on"))
            attempt("postgres, fast path off", lambda: on_postgres("off"))
            http_bench.side_by_side("PostgreSQL", postgres_runs)
        else:
            print(f"\n{postgres.SKIPPED}")
    if args.which in {"audit", "all"}:
        attempt("audit", lambda: audit.run(full=args.full, on_postgres=not args.no_postgres))
    if args.which in {"casework", "all"}:
        cases = 1_000_000 if args.full else 200_000
        attempt("casework", lambda: casework.run(cases=cases, on_postgres=not args.no_postgres))
    if args.which in {"notifications", "all"}:
        attempt("notifications", lambda: notifications.run(on_postgres=not args.no_postgres))
    if args.which in {"webhooks", "all"}:
        attempt("webhooks", lambda: webhooks.run(on_postgres=not args.no_postgres))
    if args.which in {"analytics", "all"}:
        attempt("analytics", lambda: analytics.run(on_postgres=not args.no_postgres))
    if args.which in {"dashboard", "all"}:
        attempt(
            "dashboard",
            lambda: dashboard.run(events=args.events, on_postgres=not args.no_postgres),
        )
    if args.which in {"opendata", "all"}:
        attempt("opendata", lambda: opendata_search.run(on_postgres=not args.no_postgres))
    if args.which in {"exchange", "all"}:
        attempt("exchange", lambda: exchange.run(on_postgres=not args.no_postgres))
    print(f"\nbench finished in {time.monotonic() - began:.0f} s")
    for failure in failures:
        print(f"ERROR {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
