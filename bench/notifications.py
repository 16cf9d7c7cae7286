"""`python -m bench notifications`: messages delivered per second, and citizens' latency
while they are delivered.

Throughput: 1,000 notifications are written to a fresh database (SQLite in a temporary
folder, and PostgreSQL `porth_bench_notifications` when it answers), each queued as a task
(PORTH_TASKS=database); then 2 `porth worker` processes deliver them through the SMTP
channel (`channel("smtp")`) to a local aiosmtpd server, which counts them. The rate is taken
from the first message the server receives to the last (the workers' start-up is left out).

Citizens: the production server (2 Granian workers) takes 10 virtual users walking the
example services' journeys, whose submissions write a confirmation; in turns with no worker
running and while 2 workers deliver those confirmations to an SMTP server that takes 0.2 s
over each message. Were a message sent during the request, the request that submits would
take 0.2 s more.
"""

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import postgres
from .http import _process_cpu
from .journeys import Prepared, prepare, walk
from .loadgen import BenchError, Client, Response, Samples, run_users
from .report import percentile, table
from .server import BIN, ROOT, free_port, running

MESSAGES = 1_000
WORKERS = 2
PG_DB = "porth_bench_notifications"
DEADLINE = 600.0
USERS = 10
MEASURE = 12.0  # seconds of journeys on each side, over ROUNDS turns
ROUNDS = 3
WORKER_START = 2.5  # seconds for a worker to set Django up, before a turn is measured
SLOW_SMTP = 0.2  # seconds the slow SMTP server takes over each message


# --- A local SMTP server ------------------------------------------------------------------


@dataclass
class Received:
    """What the SMTP server took: when each message arrived, and for whom."""

    times: list[float] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler:
    def __init__(self, received: Received, delay: float) -> None:
        self.received = received
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.received.lock:
            self.received.times.append(time.perf_counter())
            self.received.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server(delay: float = 0.0) -> Iterator[tuple[str, Received]]:
    """An aiosmtpd server on a free port of 127.0.0.1; yields its URL and what it receives."""
    from aiosmtpd.controller import Controller

    received = Received()
    controller = Controller(_Handler(received, delay), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", received
    finally:
        controller.stop()


# --- Workers ------------------------------------------------------------------------------


@contextlib.contextmanager
def workers(
    env: dict[str, str], log: Path, count: int = WORKERS
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` real `porth worker` processes, stopped (SIGTERM, then SIGKILL) afterwards."""
    processes: list[subprocess.Popen[bytes]] = []
    with log.open("ab") as output:
        try:
            for _ in range(count):
                processes.append(
                    subprocess.Popen(
                        [str(BIN / "porth"), "worker", "--interval", "0.1", "-v0"],
                        env=env,
                        cwd=ROOT,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            yield processes
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _cpu(processes: list[subprocess.Popen[bytes]]) -> float:
    """CPU seconds the worker processes have used so far (Linux /proc)."""
    return sum(_process_cpu(process.pid) for process in processes)


def _env(database_url: str, smtp_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PORTH_ENV": "dev",
        "DATABASE_URL": database_url,
        "PORTH_TASKS": "database",
        "PORTH_NOTIFICATION_CHANNEL": "smtp",
        "PORTH_SMTP_URL": smtp_url,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


# --- Throughput -----------------------------------------------------------------------------


def _throughput(label: str, database_url: str, folder: Path) -> tuple[list[str], list[str]]:
    """One database: the row of figures, and errors."""
    log = folder / f"{label}.log"
    with smtp_server() as (smtp_url, received):
        env = _env(database_url, smtp_url)
        for args in (["migrate", "--noinput", "-v0"],):
            done = subprocess.run([str(BIN / "porth"), *args], env=env, cwd=ROOT, timeout=600)
            if done.returncode != 0:
                return [], [f"{label}: porth migrate failed"]
        made = subprocess.run(
            [sys.executable, "-m", "bench.notifications", "--child", str(MESSAGES)],
            env=env,
            cwd=ROOT,
            timeout=600,
        )
        if made.returncode != 0:
            return [], [f"{label}: writing the notifications failed"]
        began = time.perf_counter()
        with workers(env, log) as started:
            deadline = began + DEADLINE
            cpu_at_first = None
            while len(received.times) < MESSAGES and time.perf_counter() < deadline:
                if cpu_at_first is None and received.times:
                    cpu_at_first = _cpu(started)  # start-up done: sending has begun
                time.sleep(0.02)
            cpu = _cpu(started) - (cpu_at_first or 0.0)
        times = sorted(received.times)
    if len(times) < MESSAGES:
        return [], [f"{label}: {len(times)} of {MESSAGES} messages arrived; see {log}"]
    duplicates = len(received.recipients) - len(set(received.recipients))
    span = times[-1] - times[0]
    rate = (len(times) - 1) / span if span > 0 else float("nan")
    row = [
        label,
        f"{rate:,.0f}",
        f"{times[-1] - began:.1f}",
        f"{1000 * WORKERS / rate:.1f}" if rate == rate else "",
        f"{1000 * cpu / (len(times) - 1):.1f}",
        str(duplicates),
    ]
    return row, [f"{label}: {duplicates} messages arrived twice"] if duplicates else []


def _make(count: int) -> None:
    """In the child: `count` notifications, each written and queued as a submission's is."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    django.setup()
    from django.db import transaction

    from porth.notifications import content, delivery
    from porth.notifications.models import Notification

    for number in range(count):
        with transaction.atomic():
            row = Notification(
                kind="email",
                channel="smtp",
                event="submitted",
                service="bench",
                next_attempt_at=delivery.now(),
            )
            row.content, row.key_id = content.seal(
                row.reference,
                content.Content(
                    to=f"applicant{number}@example.com",
                    subject=f"Application BN-{number:06d} received",
                    body="We have your application. Your reference is BN-000000.\n" * 5,
                ),
            )
            row.save()
            delivery.schedule(row.pk)


# --- Citizens' latency ------------------------------------------------------------------------


class _Tagging:
    """A client that tags the request that submits ("submit") apart from other POSTs."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def request(
        self, method: str, path: str, body: str | None = None, kind: str | None = None
    ) -> Response:
        if method == "POST" and path.endswith("/check-answers"):
            kind = "submit"
        return self.client.request(method, path, body, kind)


def _journeys(prepared: list[Prepared]) -> Any:
    def user(index: int, client: Client, stop: threading.Event) -> None:
        tagged = _Tagging(client)
        for n in range(1_000_000):
            if stop.is_set():
                return
            try:
                walk(tagged, prepared[(index + n) % len(prepared)])
            except (BenchError, OSError) as error:
                client.samples.errors.append(str(error))
                client.cookies.clear()
                client.close()
                if len(client.samples.errors) >= 5:
                    return
                continue
            client.samples.journeys.append(time.perf_counter())

    return user


def _figures(samples: list[Samples], seconds: float) -> list[str]:
    requests = [(lat, kind) for s in samples for (_, lat, kind) in s.requests]
    submits = sorted(1000 * lat for lat, kind in requests if kind == "submit")
    others = sorted(1000 * lat for lat, kind in requests if kind != "submit")
    journeys = sum(len(s.journeys) for s in samples)
    return [
        f"{journeys / seconds:,.1f}",
        f"{percentile(submits, 50):,.1f} / {percentile(submits, 95):,.1f}",
        f"{percentile(others, 50):,.1f} / {percentile(others, 95):,.1f}",
    ]


def _citizens(database: str, folder: Path) -> list[str]:
    """Journeys with no worker running and while workers deliver, in turns (ROUNDS of each,
    so that a machine whose speed drifts moves both sides alike)."""
    errors: list[str] = []
    quiet: list[Samples] = []
    busy: list[Samples] = []
    delivered = 0
    with smtp_server(delay=SLOW_SMTP) as (smtp_url, received):
        extra = {"PORTH_NOTIFICATION_CHANNEL": "smtp", "PORTH_SMTP_URL": smtp_url}
        # Static files are collected once (into var/static), by the first server.
        with running(database, collectstatic=database == "sqlite", extra_env=extra) as server:
            prepared = prepare(date.today())
            check = Client(server.host, server.port, Samples())
            for journey in prepared:
                walk(check, journey)  # each once, alone, before the load
            check.close()
            user = _journeys(prepared)
            run_users(USERS, user, server.host, server.port, 3.0)  # templates, caches
            env = _env(server.database_url, smtp_url)
            for _ in range(ROUNDS):
                quiet += run_users(USERS, user, server.host, server.port, MEASURE / ROUNDS)
                with workers(env, folder / f"citizens-{database}.log"):
                    time.sleep(WORKER_START)  # they start, and take up the backlog
                    before = len(received.times)
                    busy += run_users(USERS, user, server.host, server.port, MEASURE / ROUNDS)
                    delivered += len(received.times) - before
            label = server.database
    errors += [e for s in quiet + busy for e in s.errors]
    rows = [
        ["no worker running", *_figures(quiet, MEASURE), "0"],
        [
            f"{WORKERS} workers delivering (SMTP {SLOW_SMTP:g} s/message)",
            *_figures(busy, MEASURE),
            str(delivered),
        ],
    ]
    headers = ["journeys/s", "submit p50 / p95 ms", "other requests p50 / p95 ms", "delivered"]
    print(table([label, *headers], rows))
    if delivered == 0:
        errors.append(f"{database}: no message was delivered while the citizens were served")
    return errors


# --- The run ------------------------------------------------------------------------------


def run(*, on_postgres: bool = True) -> list[str]:
    print(
        f"\n== Notifications: {MESSAGES:,} messages by {WORKERS} workers to a local SMTP "
        "server (aiosmtpd) =="
    )
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-notifications-"))
    targets: list[tuple[str, contextlib.AbstractContextManager[str]]] = [
        ("SQLite", contextlib.nullcontext(f"sqlite:///{folder / 'notifications.sqlite3'}"))
    ]
    if on_postgres and postgres.available():
        targets.append(("PostgreSQL", postgres.fresh(PG_DB)))
    elif on_postgres:
        print(postgres.SKIPPED)
    rows = []
    for label, database in targets:
        with database as url:
            row, found = _throughput(label, url, folder)
        errors += found
        if row:
            rows.append(row)
    print(
        table(
            [
                "database",
                "messages/s",
                "all delivered after s",
                "ms per message per worker",
                "worker CPU ms per message",
                "twice",
            ],
            rows,
        )
    )
    print(
        "The rate and the workers' CPU run from the first message received to the last; the\n"
        "time after which all had arrived counts from the workers' start (Django's set-up\n"
        "included). Each message: the task claimed from the queue, the row read and claimed,\n"
        "an SMTP connection to the server, the row and the task recorded. Wall-clock figures\n"
        "depend on what else the machine runs (the SMTP server runs in the bench's process);\n"
        "CPU per message much less."
    )

    print(
        f"\n== Notifications: citizens' latency while messages are delivered, {USERS} users, "
        f"{MEASURE:.0f} s each =="
    )
    for kind in ["sqlite", *(["postgres"] if on_postgres and postgres.available() else [])]:
        try:
            errors += _citizens(kind, folder)
        except (BenchError, RuntimeError) as error:
            errors.append(f"citizens on {kind}: {error}")
    print(
        "Submitting writes the message and queues its task, in the citizen's request; sending\n"
        "it is the workers' work. The workers share the machine's cores with the server, so a\n"
        "busy machine moves both rows a little; a send in the request would add "
        f"{1000 * SLOW_SMTP:.0f} ms to each submit."
    )
    return errors


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _make(int(sys.argv[2]))
    else:
        raise SystemExit(1 if run() else 0)
