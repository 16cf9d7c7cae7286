"""`python -m bench exchange`: signed exchange calls per second between two organisations on
loopback.

The production server (`porth serve`, 2 Granian workers) is the providing organisation; a
process of its own (`python -m bench.exchange --worker URL`), against the same database, is
the calling one and uses the client API (`porth.exchange.service.call`). Each call is the
whole round: the caller signs (Ed25519, RFC 9421 over an RFC 9530 digest), the provider
verifies, checks replay and grant, answers a `confirm-reference` query over its cases, logs
(hash chain) and audits in one transaction and signs the answer; the caller verifies it, and
logs and audits on its side. Timed with 1 caller and with CONCURRENT callers in threads, on
SQLite and (when it answers) PostgreSQL.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import postgres
from .report import table
from .server import ROOT, running

CALLS = 400
CONCURRENT = 4
WARM_UP = 20


def _setup(base_url: str) -> Any:
    from porth.accounts.models import Organisation, Role
    from porth.casework.tests.helpers import staff
    from porth.exchange import actions
    from porth.exchange.models import Partner
    from porth.exchange.tests.helpers import make_case

    caller = Organisation.objects.create(slug="borough-council", name="Borough Council")
    provider = Organisation.objects.create(slug="benefits-agency", name="Benefits Agency")
    for organisation in (caller, provider):
        Partner.objects.create(slug=organisation.slug, name=organisation.name, base_url=base_url)
    service = actions.publish(
        provider, slug="confirm", name="Confirm", config={"query": "confirm-reference"}
    )
    owner = staff((provider, Role.SERVICE_OWNER))
    actions.grant(service, caller=caller.slug, purpose="bench", actor=owner)
    make_case(provider, reference="BA-0001-AAAA")
    return caller


def _timed(caller: Any, calls: int, threads: int) -> float:
    from django.db import connection

    from porth.exchange.service import call

    def one(number: int) -> None:
        try:
            reply = call(
                caller=caller,
                provider="benefits-agency",
                service="confirm",
                purpose="bench",
                reference=f"BC-{number:05d}",
                query={"reference": "BA-0001-AAAA"},
            )
            assert reply.data["found"] is True
        finally:
            if threads > 1:
                connection.close()  # each thread has its own connection

    began = time.perf_counter()
    if threads == 1:
        for number in range(calls):
            one(number)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(calls)))
    return time.perf_counter() - began


def worker(base_url: str, calls: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    import django

    django.setup()
    from django.db import connection

    from porth.exchange import log
    from porth.exchange.models import MessageLog

    caller = _setup(base_url)
    _timed(caller, WARM_UP, 1)  # keys made, connections and caches warm
    one = _timed(caller, calls, 1)
    many = _timed(caller, calls, CONCURRENT)
    count, broken = log.verify(caller)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "calls": calls,
                "sequential": calls / one,
                "concurrent": calls / many,
                "logged": MessageLog.objects.count(),
                "intact": broken is None and count == WARM_UP + 2 * calls,
            }
        )
    )


def _run_on(database: str, calls: int) -> dict[str, Any]:
    with running(database) as server:
        env = {**os.environ, "PORTH_ENV": "dev", "DATABASE_URL": server.database_url}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "bench.exchange", "--worker", server.base, str(calls)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"exchange bench worker failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(*, on_postgres: bool = True, calls: int = CALLS) -> list[str]:
    print(f"\n== Exchange: {calls:,} signed calls between two organisations on loopback ==")
    runs = [_run_on("sqlite", calls)]
    if on_postgres and postgres.available():
        runs.append(_run_on("postgres", calls))
    elif on_postgres:
        print(postgres.SKIPPED)
    rows = [
        [
            figures["database"],
            f"{figures['calls']:,}",
            f"{figures['sequential']:,.0f}",
            f"{figures['concurrent']:,.0f}",
            f"{figures['logged']:,}",
        ]
        for figures in runs
    ]
    print(
        table(
            ["database", "calls", "calls/s, 1 caller", f"calls/s, {CONCURRENT} callers", "logged"],
            rows,
        )
    )
    return [f"{f['database']}: the caller's log does not verify" for f in runs if not f["intact"]]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.exchange")
    parser.add_argument("--worker", nargs=2, metavar=("URL", "CALLS"), help="(internal)")
    parser.add_argument("--calls", type=int, default=CALLS)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
    else:
        raise SystemExit(1 if run(on_postgres=not args.no_postgres, calls=args.calls) else 0)
