"""`python -m bench analytics`: how fast performance events are taken in.

Records journeys' events through `porth.analytics.recorder.record` as the journey pages do
(buffered: PORTH_ANALYTICS_FLUSH_SECONDS > 0) and writes them with `flush`, into a fresh
database — PostgreSQL `porth_bench_analytics` (created and dropped) and SQLite in a temporary
folder — and prints:

- what `record` costs a request: microseconds per event, buffered and not yet written;
- how fast `flush` writes them (multi-row INSERTs of PORTH_ANALYTICS_BATCH);
- record and flush together, as a busy site does, in events per second;
- how fast the roll-up counts them into the dashboards' rollups (rollups.roll_up).

Each database runs in a child process, so that Django is set up once per database.
"""

import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import children
from .report import table

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "porth_bench_analytics"
EVENTS = 200_000
BATCH = 500
# A journey's events, as the journey pages send them (submissions.events).
JOURNEY = [
    ("page_viewed", "where", ""),
    ("page_answered", "where", ""),
    ("page_viewed", "name", ""),
    ("validation_error", "name", "full_name"),
    ("page_answered", "name", ""),
    ("page_viewed", "email", ""),
    ("page_answered", "email", ""),
    ("page_viewed", "check-answers", ""),
    ("back_used", "name", ""),
    ("page_viewed", "name", ""),
]


def run(*, events: int = EVENTS, on_postgres: bool = True) -> list[str]:
    """The bench on SQLite and (if it answers) PostgreSQL; returns errors."""
    print(f"\n== Analytics: {events:,} events through record() and flush() ==")
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-analytics-"))
    targets = children.databases(folder, "analytics.sqlite3", PG_DB, on_postgres=on_postgres)
    rows: list[list[str]] = []
    try:
        for label, database in targets:
            with database as url:
                env = children.environment(
                    url,
                    env="dev",
                    PORTH_ANALYTICS_FLUSH_SECONDS="3600",  # only full batches are written
                    PORTH_ANALYTICS_BATCH=str(BATCH),
                    PORTH_ANALYTICS_LAG="0",  # the roll-up counts every event at once
                )
                done = subprocess.run(
                    [sys.executable, "-m", "bench.analytics", "--child", str(events)],
                    env=env,
                    cwd=ROOT,
                    timeout=1800,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    errors.append(f"analytics on {label}: {done.stderr[-500:]}")
                    continue
                for line in done.stdout.splitlines():
                    if line.startswith("row\t"):
                        rows.append([label, *line.split("\t")[1:]])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(table(["database", "measure", "value"], rows))
    print(f"events of {events // len(JOURNEY):,} journeys of {len(JOURNEY)} events each")
    return errors


# --- In the child process, with Django set up on the bench database ---------------------------


def _row(measure: str, value: str) -> None:
    print(f"row\t{measure}\t{value}", flush=True)


def _record_all(journeys: list[str], *, flushing: bool) -> float:
    """Seconds to record every journey's events; `flushing`: batches written as they fill."""
    from porth.analytics import recorder

    record = recorder.record
    began = time.perf_counter()
    for journey_id in journeys:
        for kind, page, field in JOURNEY:
            record(
                kind,
                "bench-service",
                journey_id=journey_id,
                page=page,
                field=field,
                detail="Enter your name" if field else "",
                channel="online",
            )
            if not flushing and recorder.pending() >= BATCH - 1:
                # Kept out of the timing: the buffer is emptied before it would be written.
                paused = time.perf_counter()
                with recorder._lock:
                    recorder._buffer.clear()
                began += time.perf_counter() - paused
    seconds = time.perf_counter() - began
    if not flushing:
        with recorder._lock:
            recorder._buffer.clear()
    return seconds


def _child(events: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from porth.analytics import recorder
    from porth.analytics.models import Event

    call_command("migrate", verbosity=0)
    journeys = [secrets.token_urlsafe(32) for _ in range(events // len(JOURNEY))]
    total = len(journeys) * len(JOURNEY)

    seconds = _record_all(journeys, flushing=False)
    _row("record(): per event, buffered", f"{seconds / total * 1e6:.1f} µs")

    seconds = _record_all(journeys, flushing=True)
    began = time.perf_counter()
    recorder.flush()
    seconds += time.perf_counter() - began
    assert Event.objects.count() == total, "every event written"
    _row("record() + flush(): events/s", f"{total / seconds:,.0f}")

    # flush() alone: the buffer filled without timing, written a batch at a time.
    Event.objects.all().delete()
    written, seconds = 0, 0.0
    for number, journey_id in enumerate(journeys, 1):
        key = recorder.journey_key(journey_id)
        now = timezone.now()
        with recorder._lock:
            recorder._buffer.extend(
                (now, "bench-service", kind, key, page, field, "", "online", "", "", None)
                for kind, page, field in JOURNEY
            )
        if recorder.pending() >= BATCH or number == len(journeys):
            began = time.perf_counter()
            written += recorder.flush()
            seconds += time.perf_counter() - began
    _row(f"flush(): events/s written, {BATCH} a batch", f"{written / seconds:,.0f}")

    from porth.analytics import rollups

    began = time.perf_counter()
    counted = rollups.roll_up()
    seconds = time.perf_counter() - began
    _row("roll_up(): events/s counted", f"{counted / seconds:,.0f}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        _child(int(args[1]))
        return 0
    errors = run(on_postgres="--no-postgres" not in args)
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
