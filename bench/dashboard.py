"""`python -m bench dashboard [--events N]`: a service's performance dashboard over a year of
raw events (10,000,000 by default).

Writes the events (bench/dashboard_events.py: journeys through a service with branches, in
the shapes the recorder writes) straight into a fresh database — PostgreSQL
`porth_bench_dashboard` (created and dropped) with COPY, SQLite in a temporary folder with
executemany — then rolls them all up with the real roll-up (porth.analytics.service.roll_up)
and times the dashboard through the real view (Django's test client, every middleware,
signed in as the service owner) for each kind of period, with and without a channel, and the
list of services; p50 and p95 against the issue's target of 300 ms, PostgreSQL's plan of the
query that sums the rollups, and the size of each table.

Each database runs in a child process, so that Django is set up once per database.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import children
from . import dashboard_events as made_up
from .casework import signed_in_client

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "porth_bench_dashboard"
EVENTS = 10_000_000
REQUESTS = 50
TARGET_P95_MS = 300.0
CHUNK = 100_000  # events to a COPY write or an SQLite transaction
ROLL_UP_STEP = 500_000  # events between progress lines of the roll-up


def run(*, events: int = EVENTS, on_postgres: bool = True) -> list[str]:
    """Run the bench on PostgreSQL (if it answers) and SQLite; returns errors."""
    print(f"\n== Dashboard: a service's performance page over {events:,} raw events ==")
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-dashboard-"))
    (folder / "services").mkdir()
    (folder / "services" / f"{made_up.SLUG}.yaml").write_text(made_up.SERVICE)
    targets = children.databases(folder, "dashboard.sqlite3", PG_DB, on_postgres=on_postgres)
    try:
        for label, database in targets:
            with database as url:
                env = children.environment(url, PORTH_SERVICES_DIR=str(folder / "services"))
                done = subprocess.run(
                    [sys.executable, "-m", "bench.dashboard", "--child", str(events), label],
                    env=env,
                    cwd=ROOT,
                    timeout=4 * 3600,
                )
                if done.returncode != 0:
                    errors.append(f"dashboard on {label} exited with {done.returncode}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return errors


# --- In the child process, with Django set up on the bench database ---------------------------


def _child(events: int, label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    owner = _staff()
    began = time.monotonic()
    written = _generate(events)
    took = time.monotonic() - began
    print(f"\n{label}: wrote {written:,} events in {took:.1f} s ({written / took:,.0f} a second)")
    _analyze()
    _roll_up(label)
    _analyze()
    _sizes(label)
    _time_pages(label, owner)


def _staff() -> int:
    """The bench organisation, its queue and a service owner; the owner's id."""
    from porth.accounts.models import Membership, Organisation, Role, User
    from porth.casework.models import Queue

    org = Organisation.objects.create(slug=made_up.ORGANISATION, name="Bench Council")
    Queue.objects.create(organisation=org, slug=made_up.QUEUE, name="Applications")
    user = User.objects.create_user(username="bench-owner", display_name="Service owner")
    Membership.objects.create(user=user, organisation=org, role=Role.SERVICE_OWNER)
    return int(user.pk)


def _generate(count: int) -> int:
    """Writes about `count` events and the satisfaction answers that go with them; how many
    events."""
    from django.db import connection, transaction

    feedback = made_up.Feedback()
    rows = made_up.stream(count, int(time.time()) - 600, feedback)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            written = _copy(cursor.cursor, rows)
        else:
            written = _insert(cursor, rows)
        _feedback(cursor, feedback)
    return written


def _stamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


def _copy(raw: Any, rows: Any) -> int:
    """COPY in PostgreSQL's text format, written by hand: the values are words from the
    bench's definition (no tab, newline or backslash) and numbers."""
    written = 0
    lines: list[str] = []
    with raw.copy(f"COPY analytics_event ({made_up.COLUMNS}) FROM STDIN") as copy:
        for (
            at,
            service,
            kind,
            journey,
            page,
            field,
            detail,
            channel,
            device,
            variant,
            value,
        ) in rows:
            lines.append(
                f"{_stamp(at)}+00\t{service}\t{kind}\t{'\\N' if journey is None else journey}\t"
                f"{page}\t{field}\t{detail}\t{channel}\t{device}\t{variant}\t"
                f"{'\\N' if value is None else value}\n"
            )
            if len(lines) == CHUNK:
                copy.write("".join(lines))
                written += len(lines)
                lines.clear()
        copy.write("".join(lines))
        written += len(lines)
    return written


def _insert(cursor: Any, rows: Any) -> int:
    """executemany, CHUNK rows a statement, all in the caller's transaction. Times as Django
    stores them on SQLite: naive UTC text."""
    sql = f"INSERT INTO analytics_event ({made_up.COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"
    written = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append((_stamp(row[0]), *row[1:]))
        if len(chunk) == CHUNK:
            cursor.executemany(sql, chunk)
            written += len(chunk)
            chunk.clear()
    cursor.executemany(sql, chunk)
    return written + len(chunk)


def _feedback(cursor: Any, feedback: made_up.Feedback) -> None:
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    rows = [
        (made_up.SLUG, _stamp(at) + ("+00" if postgresql else ""), key, rating, comment, channel)
        for at, key, rating, comment, channel in feedback.rows
    ]
    cursor.executemany(
        "INSERT INTO analytics_feedback (service, at, journey, rating, comment, channel, language)"
        " VALUES (%s, %s, %s, %s, %s, %s, 'en')",
        rows,
    )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _roll_up(label: str) -> None:
    from datetime import datetime

    from django.utils import timezone

    from porth.analytics.models import Count, MonthCount, Progress
    from porth.analytics.service import roll_up

    # Far enough ahead that the lag holds nothing back.
    now: datetime = timezone.now() + timedelta(days=1)
    began = time.monotonic()
    done = 0
    while True:
        counted = roll_up(limit=ROLL_UP_STEP, now=now)
        done += counted
        if counted:
            took = time.monotonic() - began
            print(f"  rolled up {done:,} events, {done / took:,.0f} a second", flush=True)
        if counted < ROLL_UP_STEP:
            break
    took = time.monotonic() - began
    print(
        f"{label}: rolled up {done:,} events in {took:.1f} s ({done / took:,.0f} a second): "
        f"{Count.objects.count():,} Count rows, {MonthCount.objects.count():,} MonthCount rows, "
        f"{Progress.objects.count():,} Progress rows"
    )


def _sizes(label: str) -> None:
    """The size of each analytics table with its indexes."""
    from django.db import connection

    tables = ["analytics_event", "analytics_count", "analytics_monthcount", "analytics_progress"]
    sizes: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
            else:
                try:  # dbstat is compiled into some SQLite builds, not all
                    cursor.execute(
                        "SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR tbl_name = %s",
                        [table, table],
                    )
                except Exception:
                    cursor.execute("PRAGMA page_count")
                    pages = cursor.fetchone()[0]
                    cursor.execute("PRAGMA page_size")
                    whole = pages * cursor.fetchone()[0] / 2**20
                    print(f"{label}: the whole database file: {whole:,.1f} MB")
                    return
                sizes[table] = cursor.fetchone()[0] or 0
    shown = ", ".join(f"{table[10:]} {size / 2**20:,.1f} MB" for table, size in sizes.items())
    print(f"{label}: table sizes with indexes: {shown}")


def _pages(today: date) -> list[tuple[str, str]]:
    """The pages timed: the last whole period of each kind, as a service owner looks back."""
    from porth.analytics.service import Period

    slug = made_up.SLUG
    found = []
    for kind in ("day", "week", "month", "quarter"):
        period = Period.containing(kind, today).previous()
        query = f"period={kind}&start={period.start.isoformat()}"
        found.append((f"{kind}, all channels", f"/staff/performance/{slug}?{query}"))
        found.append((f"{kind}, online only", f"/staff/performance/{slug}?{query}&channel=online"))
    month = Period.containing("month", today).previous()
    found.append(
        ("list of services, month", f"/staff/performance/?period=month&start={month.start}")
    )
    return found


def _time_pages(label: str, owner: int) -> None:
    from django.db import connection
    from django.utils import timezone

    client = signed_in_client(owner)
    pages = _pages(timezone.localdate())
    print(f"{label}: p50 and p95 of {REQUESTS} requests (target p95 ≤ {TARGET_P95_MS:.0f} ms)")
    for name, url in pages:
        first = client.get(url)  # warm
        if first.status_code != 200 or b"Completion rate" not in first.content:
            raise RuntimeError(f"{url} answered {first.status_code} without the figures")
        times = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        mark = "ok" if p95 <= TARGET_P95_MS else "SLOW"
        print(f"  {name:<26} p50 {times[len(times) // 2]:7.1f} ms   p95 {p95:7.1f} ms  {mark}")
    if connection.vendor == "postgresql":
        _plans(client, pages)


def _plans(client: Any, pages: list[tuple[str, str]]) -> None:
    """The scans of each query on the rollups, per kind of period, and the whole plan of the
    week's sums (the most Count rows a dashboard reads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shown = False
    for name, url in pages:
        if "online" in name:
            continue
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        scans = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if "analytics_count" not in sql and "analytics_monthcount" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                scans.append(f"{_scans(plan)} {plan[0]['Execution Time']:.1f} ms")
                if not shown and name.startswith("week") and '"metric", "analytics' in sql:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    text = "\n    ".join(row[0] for row in cursor.fetchall())
                    print(f"  plan of the week's sums:\n    {sql}\n    {text}")
                    shown = True
        print(f"  {name:<26} queries on the rollups: {'; '.join(scans)}")


def _scans(plan: Any) -> str:
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node.get("Node Type", "")
        if "Scan" in kind:
            found.append(f"{kind} {node.get('Index Name') or node.get('Relation Name', '')}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return ", ".join(found)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[3])
    else:
        raise SystemExit(bool(run(events=int(sys.argv[1]) if len(sys.argv) > 1 else EVENTS)))
