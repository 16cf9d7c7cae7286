"""`python -m bench webhooks`: webhook deliveries per second to a loopback receiver.

Each database runs in its own process (`python -m bench.webhooks --worker URL`), with Django
set up against a fresh SQLite file or a PostgreSQL database made and dropped for the run. It
writes DELIVERIES deliveries for one endpoint, then sends them all with the delivery task's own
code (`delivery.attempt`: claim the row, decrypt the endpoint's secret, sign the body the
Standard Webhooks way, POST it with httpx, record the answer): from one thread, then (on
PostgreSQL) from THREADS threads at once, as several workers would. The receiver is an HTTP
server in this (the parent) process that answers 204 to each, so that it does not take the
sender's CPU.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import postgres
from .report import table
from .server import ROOT

DELIVERIES = 2_000
THREADS = 4
PG_DB = "porth_bench_webhooks"


@contextmanager
def receiver() -> Iterator[tuple[str, list[int]]]:
    """A loopback HTTP/1.1 server (keep-alive) that answers 204 and counts what it gets."""
    count = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                count[0] += 1
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", count
    finally:
        server.shutdown()
        server.server_close()


def _rows(endpoint: Any, count: int) -> list[int]:
    from porth.integrations.models import WebhookDelivery

    payload = {"type": "case.created", "timestamp": "2026-12-07T10:00:00+00:00",
               "data": {"reference": "BB-K7MQ-R4XD", "service": "apply-for-a-blue-badge"}}  # fmt: skip
    made = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint, event="case.created", reference="BB-K7MQ-R4XD", payload=payload
        )
        for _ in range(count)
    )
    return [row.pk for row in made]


def worker(url: str, count: int, threads: int) -> None:
    """In a process of its own, against DATABASE_URL: migrate, write, send; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from porth.accounts.models import Organisation, User
    from porth.integrations import actions, delivery
    from porth.integrations.models import DeliveryStatus, WebhookDelivery

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(slug="bench-council", name="Bench Council")
    owner = User.objects.create(username="bench-owner")
    endpoint, _ = actions.register(org, url, ["case.created"], actor=owner)
    figures: dict[str, Any] = {"database": connection.vendor, "deliveries": count}

    ids = _rows(endpoint, count)
    began = time.perf_counter()
    for pk in ids:
        delivery.attempt(pk)
    figures["one_thread"] = count / (time.perf_counter() - began)

    if connection.vendor == "postgresql":
        ids = _rows(endpoint, count)

        def send(chunk: list[int]) -> None:
            try:
                for pk in chunk:
                    delivery.attempt(pk)
            finally:
                connections.close_all()

        began = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(send, [ids[n::threads] for n in range(threads)]))
        figures["threads"] = threads
        figures["many_threads"] = count / (time.perf_counter() - began)
    figures["delivered"] = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
    print(json.dumps(figures))


def _in_process(url: str, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "PORTH_ENV": "test", "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.webhooks", "--worker", url],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"webhooks bench worker failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(*, on_postgres: bool = True) -> list[str]:
    print(f"\n== Webhooks: {DELIVERIES:,} deliveries signed, sent to loopback and logged ==")
    runs: list[dict[str, Any]] = []
    with receiver() as (url, received):
        with tempfile.TemporaryDirectory(prefix="porth-bench-webhooks-") as folder:
            runs.append(_in_process(url, f"sqlite:///{Path(folder) / 'webhooks.sqlite3'}"))
        if on_postgres and postgres.available():
            with postgres.fresh(PG_DB) as database_url:
                runs.append(_in_process(url, database_url))
        elif on_postgres:
            print(postgres.SKIPPED)
    rows, errors = [], []
    for figures in runs:
        rows.append(
            [
                figures["database"],
                f"{figures['one_thread']:,.0f}",
                f"{figures['many_threads']:,.0f} ({figures['threads']} threads)"
                if "many_threads" in figures
                else "",
            ]
        )
        sent = figures["deliveries"] * (2 if "many_threads" in figures else 1)
        if figures["delivered"] != sent:
            errors.append(f"{figures['database']}: {figures['delivered']} of {sent} delivered")
    print(table(["database", "deliveries/s, 1 thread", "deliveries/s, several"], rows))
    print(f"(the receiver counted {received[0]:,})")
    return errors


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks")
    parser.add_argument("--worker", help="(internal) run in this process, sending to this URL")
    parser.add_argument("--count", type=int, default=DELIVERIES)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.count, args.threads)
    else:
        raise SystemExit(1 if run(on_postgres=not args.no_postgres) else 0)
