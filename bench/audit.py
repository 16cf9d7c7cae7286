"""Audit log: fill a fresh database with a hash-chained log, then time `porth audit verify`.

Each database runs in its own process (`python -m bench.audit --worker N`), so Django is set
up against a fresh SQLite file, or a PostgreSQL database made and dropped for the run.
Entries are written with executemany, their chain computed here as `record()` would.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import postgres
from .report import table, verdict
from .server import ROOT

FULL = 1_000_000
QUICK = 200_000
VERIFY_TARGET = 50_000.0  # entries per second
BATCH = 10_000
PG_AUDIT_DB = "porth_bench_audit"
ACTIONS = ["case.opened", "case.assigned", "case.decided", "audit.viewed", "submission.created"]


def _fill(count: int) -> float:
    """Write `count` chained entries and the head; seconds taken."""
    from django.db import connection, transaction

    from porth.audit.service import GENESIS, canonical_row, entry_hash, reference_of
    from porth.utils.crypto import audit_keys

    began = time.perf_counter()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        "INSERT INTO audit_auditevent (at, actor_label, action, object_type, object_id, "
        "reference, ip, data, previous_hash, hash, key_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    key_id, keys = audit_keys()
    previous = GENESIS
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, count, BATCH):
            rows = []
            for n in range(first, min(first + BATCH, count)):
                at = start + timedelta(milliseconds=n * 37)
                action = ACTIONS[n % len(ACTIONS)]
                data = {"reference": f"BB-{n:09d}", "n": n}
                object_id = str(n // 7)
                ip = f"10.0.{n % 250}.{n % 199}"
                fields = (at, None, "Bench user", action, None, "case", object_id, ip, data)
                digest = entry_hash(canonical_row(*fields, previous, key_id), keys[key_id])
                rows.append(
                    (adapt(at), "Bench user", action, "case", object_id, reference_of(data),
                     ip, json.dumps(data), previous, digest, key_id)
                )  # fmt: skip
                previous = digest
            cursor.executemany(sql, rows)
        # A head starts the chain and moves forward past the entries (the triggers see to it).
        cursor.execute("INSERT INTO audit_audithead (id, hash, count) VALUES (1, %s, 0)", [GENESIS])
        cursor.execute(
            "UPDATE audit_audithead SET hash = %s, count = %s WHERE id = 1", [previous, count]
        )
    return time.perf_counter() - began


def worker(count: int) -> None:
    """In a process of its own, against DATABASE_URL: migrate, fill, verify; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from porth.audit.verify import verify_chain

    call_command("migrate", verbosity=0, interactive=False)
    fill_seconds = _fill(count)
    result = verify_chain()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "entries": count,
                "fill_seconds": fill_seconds,
                "verify_seconds": result.seconds,
                "verified": result.count,
                "intact": result.intact,
                "broken": str(result.broken) if result.broken else None,
            }
        )
    )


def _in_process(count: int, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "PORTH_ENV": "test", "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.audit", "--worker", str(count)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"audit bench worker failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(*, full: bool = False, on_postgres: bool = True) -> list[str]:
    count = FULL if full else QUICK
    print(f"\n== Audit log: write {count:,} chained entries, then verify the chain ==")
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="porth-bench-audit-") as folder:
        runs.append(_in_process(count, f"sqlite:///{Path(folder) / 'audit.sqlite3'}"))
    if on_postgres and postgres.available():
        with postgres.fresh(PG_AUDIT_DB) as url:
            runs.append(_in_process(count, url))
    elif on_postgres:
        print(postgres.SKIPPED)
    rows = []
    errors = []
    for figures in runs:
        rate = figures["verified"] / figures["verify_seconds"]
        rows.append(
            [
                figures["database"],
                f"{figures['entries']:,}",
                f"{figures['fill_seconds']:.1f} s",
                f"{figures['verify_seconds']:.1f} s",
                f"{rate:,.0f}",
                f"≥ {VERIFY_TARGET:,.0f}",
                verdict(rate >= VERIFY_TARGET),
            ]
        )
        if not figures["intact"]:
            errors.append(f"{figures['database']}: chain reported broken: {figures['broken']}")
    print(table(["database", "entries", "write", "verify", "entries/s", "target", ""], rows))
    return errors


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.audit")
    parser.add_argument("--worker", type=int, help="(internal) run in this process")
    parser.add_argument("--full", action="store_true", help=f"{FULL:,} entries, not {QUICK:,}")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
    else:
        raise SystemExit(1 if run(full=args.full) else 0)
