"""`python -m bench casework [--full]`: the staff queue page against a large case table.

Generates cases (200,000 by default, 1,000,000 with --full) straight into a fresh database
— PostgreSQL `porth_bench_cases` (created and dropped) and SQLite in a temporary folder —
then times the queue page through the real view (Django's test client, every middleware)
for the default view and the filtered ones, and prints p95 per view, with PostgreSQL's plan.

Each database runs in a child process, so that Django is set up once per database.
"""

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import children

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "porth_bench_cases"
REQUESTS = 50
TARGET_P95_MS = 100.0
STAFF = 50  # caseworkers sharing the queue; the bench signs in as the first
ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"
SERVICE = """
slug: bench-service
name: {en: Bench service}
summary: {en: For the bench}
organisation: {id: bench-council, name: {en: Bench Council}}
start: {body: {en: Start.}}
declaration: {body: {en: True.}}
confirmation: {body: {en: Done.}}
pages:
  - id: name
    fields: [{id: full_name, type: text, label: {en: Name}}]
on_submit:
  - case: {queue: applications, sla: P10D, name: full_name}
"""
FIRST = ["Jo", "Sam", "Alex", "Siân", "Rhys", "Priya", "Tomasz", "Aisha", "Dewi", "Mair"]
LAST = ["Bloggs", "Jones", "Davies", "Evans", "Khan", "Nowak", "Prydderch", "Smith", "Owen"]


def reference(n: int) -> str:
    body = ""
    for _ in range(8):
        n, digit = divmod(n, 24)
        body += ALPHABET[digit]
    return f"BN-{body[:4]}-{body[4:]}"


def run(*, cases: int = 200_000, on_postgres: bool = True) -> list[str]:
    """Run the bench on SQLite and (if it answers) PostgreSQL; returns errors."""
    print(f"\n== Casework: the queue page over {cases:,} cases ==")
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-cases-"))
    targets = children.databases(folder, "cases.sqlite3", PG_DB, on_postgres=on_postgres)
    try:
        for label, database in targets:
            with database as url:
                done = subprocess.run(
                    [sys.executable, "-m", "bench.casework", "--child", str(cases), label],
                    env=children.environment(url),
                    cwd=ROOT,
                    timeout=1800,
                )
                if done.returncode != 0:
                    errors.append(f"casework on {label} exited with {done.returncode}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return errors


# --- In the child process, with Django set up on the bench database ---------------------------


def _child(cases: int, label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    began = time.monotonic()
    user_id, references = _generate(cases)
    generated = time.monotonic() - began
    print(f"\n{label}: generated {cases:,} submissions and cases in {generated:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _time_views(label, user_id, references)


def _generate(count: int) -> tuple[int, list[str]]:
    from django.db import connection, transaction

    from porth.accounts.models import Membership, Organisation, Role, User
    from porth.casework.models import Queue
    from porth.services.definition import parse
    from porth.services.service import record_version
    from porth.utils.crypto import blind_index, encrypt

    rng = random.Random(20261126)
    definition = parse(SERVICE, "bench-service.yaml")
    version = record_version(definition)
    org = Organisation.objects.create(slug="bench-council", name="Bench Council")
    queue = Queue.objects.create(organisation=org, slug="applications", name="Applications")
    users = []
    for n in range(STAFF):
        user = User.objects.create_user(username=f"bench{n}", display_name=f"Caseworker {n}")
        Membership.objects.create(user=user, organisation=org, role=Role.CASEWORKER)
        users.append(user.pk)
    # Names repeat, so their index tokens (and the id of the key that made them) are
    # computed once per name.
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    tokens = {name: blind_index(name) for name in names}
    now = datetime.now(UTC)
    start = now - timedelta(days=730)
    step = (now - start) / count
    submissions: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    for i in range(1, count + 1):
        ref = reference(i)
        created = start + step * i
        age = (now - created).days
        name = names[i % len(names)]
        blob, key_id = encrypt({"full_name": name}, context=f"submission:{ref}")
        if age > 30:
            status = rng.choices(
                ["closed", "approved", "rejected", "in_progress", "awaiting_information"],
                [85, 6, 6, 2, 1],
            )[0]
        else:
            status = rng.choices(["new", "in_progress", "awaiting_information"], [40, 45, 15])[0]
        assigned = None if status == "new" else users[i % STAFF]
        submissions.append(
            (i, ref, "bench-service", version.pk, blob, key_id, "en", "online", created)
        )
        rows.append(
            (i, i, ref, org.pk, queue.pk, "bench-service", status, assigned, "online",
             *tokens[name], created + timedelta(days=10), created, created, 1)
        )  # fmt: skip
    submission_columns = (
        "id, reference, service, definition_id, answers, key_id, language, channel, submitted_at"
    )
    case_columns = (
        "id, submission_id, reference, organisation_id, queue_id, service, status, "
        "assigned_to_id, channel, name_index, name_index_key, due_at, created_at, updated_at, "
        "version"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            for table, columns, data in [
                ("submissions_submission", submission_columns, submissions),
                ("casework_case", case_columns, rows),
            ]:
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        else:
            marks = ", ".join(["%s"] * 9)
            cursor.executemany(
                f"INSERT INTO submissions_submission ({submission_columns}) VALUES ({marks})",
                submissions,
            )
            marks = ", ".join(["%s"] * 15)
            cursor.executemany(f"INSERT INTO casework_case ({case_columns}) VALUES ({marks})", rows)
    picks = [reference(rng.randint(1, count)) for _ in range(REQUESTS)]
    return users[0], picks


def signed_in_client(user_id: int) -> Any:
    """A test client signed in as the member of staff `user_id`, with both factors."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from porth.accounts import staff_session
    from porth.accounts.models import User

    user = User.objects.get(pk=user_id)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    staff_session.begin(request, user, device)
    request.session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return client


def _time_views(label: str, user_id: int, references: list[str]) -> None:
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(user_id)
    first = client.get("/staff/cases").content.decode()
    found = re.search(r'href="([^"]+)" rel="next"', first)
    page_two = found.group(1).replace("&amp;", "&") if found else "/staff/cases"
    views: list[tuple[str, Any]] = [
        ("default (newest first)", lambda n: "/staff/cases"),
        ("next page (cursor)", lambda n: page_two),
        ("status: in progress", lambda n: "/staff/cases?status=in_progress"),
        ("assigned to me", lambda n: "/staff/cases?assigned=me"),
        ("unassigned", lambda n: "/staff/cases?assigned=unassigned"),
        ("overdue only", lambda n: "/staff/cases?overdue=on"),
        ("sorted by due date", lambda n: "/staff/cases?sort=due&order=asc"),
        ("search by reference", lambda n: f"/staff/cases?search={references[n].lower()}"),
        ("search by name", lambda n: "/staff/cases?search=Prydderch"),
    ]
    print(f"{label}: queue page, p95 of {REQUESTS} requests (target ≤ {TARGET_P95_MS:.0f} ms)")
    for name, url in views:
        client.get(url(0))  # warm
        times = []
        for n in range(REQUESTS):
            began = time.perf_counter()
            response = client.get(url(n))
            times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url(n)} answered {response.status_code}")
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        mark = "ok" if p95 <= TARGET_P95_MS else "SLOW"
        print(f"  {name:<24} p50 {times[len(times) // 2]:7.1f} ms   p95 {p95:7.1f} ms  {mark}")
        if connection.vendor == "postgresql":
            with CaptureQueriesContext(connection) as captured:
                client.get(url(0))
            plans = []
            for query in captured.captured_queries:
                sql = query["sql"]
                if 'FROM "casework_case"' in sql and "LIMIT" in sql:
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                        plans.append(_indexes(cursor.fetchone()[0]))
            print(f"  {'':<24} plan: {'; '.join(plans) or 'no case query'}")


def _indexes(plan: Any) -> str:
    """The scans in a plan, e.g. `Index Scan case_org_recent`."""
    if isinstance(plan, str):
        plan = json.loads(plan)
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
        raise SystemExit(bool(run(cases=int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)))
