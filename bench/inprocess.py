"""CPU per request, in process: the journeys of `bench http` through the WSGI application itself.

No server, no network, no load generator: each request is a WSGI call, timed with the process
CPU clock, so the figures are the application's own cost and repeat within a few per cent on a
quiet machine (the HTTP figures swing more). `--profile` adds a cProfile of the measured
journeys. Runs in its own process (`python -m bench.inprocess`), as it sets Django up.
"""

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from . import postgres
from . import server as servers
from .journeys import prepare, walk
from .loadgen import Response, Samples, keep_cookie
from .profiling import Profiler
from .report import table

WARMUP_JOURNEYS = 30
JOURNEYS = 300
HOST = "127.0.0.1:8000"


def _kind(method: str, path: str) -> str:
    if path.endswith("/"):
        return "start page"
    if path.endswith("/check-answers"):
        return "send (POST)" if method == "POST" else "check answers"
    if path.endswith("/confirmation"):
        return "confirmation"
    return f"question {method}"


class WsgiClient:
    """Enough of bench.loadgen.Client for bench.http.walk, calling the application directly."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self.cookies: dict[str, str] = {}
        self.samples = Samples()
        self.cpu: dict[str, list[float]] = defaultdict(list)

    def request(
        self, method: str, path: str, body: str | None = None, kind: str | None = None
    ) -> Response:
        data = (body or "").encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": HOST,
            "HTTP_ACCEPT_ENCODING": "gzip",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(data))
            environ["HTTP_ORIGIN"] = f"http://{HOST}"
        seen: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"], seen["headers"] = status, headers
            return lambda chunk: None

        began = time.process_time()
        result = self.application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        self.cpu[_kind(method, path)].append(time.process_time() - began)
        headers: list[tuple[str, str]] = seen["headers"]
        location, gzipped = "", False
        for name, value in headers:
            lower = name.lower()
            if lower == "set-cookie":
                keep_cookie(self.cookies, value)
            elif lower == "location":
                location = value.removeprefix(f"http://{HOST}")
            elif lower == "content-encoding":
                gzipped = value == "gzip"
        return Response(int(seen["status"].split()[0]), location, content, gzipped)


def calibrate() -> float:
    """Milliseconds this machine takes for a fixed pure-Python loop (best of 5), printed
    beside the figures: shared machines change speed from minute to minute, and this shows
    when they did (roughly: memory-heavy request handling slows differently)."""
    best = float("inf")
    for _ in range(5):
        began = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - began)
    return 1000 * best


def configure(url: str) -> None:
    """Django set up in this process, on the database at `url`, with production's storage."""
    os.environ.update(
        PORTH_ENV="dev", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="porth.conf.settings"
    )
    import django

    django.setup()


def migrate() -> None:
    """The database migrated and the example services' versions recorded, as `porth load`."""
    from django.conf import settings
    from django.core.management import call_command

    from porth.services.definition import load_folder
    from porth.services.service import record_version

    call_command("migrate", interactive=False, verbosity=0)
    for definition in load_folder(settings.PORTH_SERVICES_DIR).values():
        record_version(definition)
    if settings.STATIC_ROOT and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # production's storage


def _setup(folder: Path, database: str = "sqlite") -> Any:
    if database == "postgres":
        url = postgres.create(servers.PG_DB)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    configure(url)
    from django.core.wsgi import get_wsgi_application

    migrate()  # collects the static files too, if they are not
    return get_wsgi_application()


def run(*, with_profile: bool = False, database: str = "sqlite") -> list[str]:
    label = "PostgreSQL" if database == "postgres" else "SQLite"
    print(f"\n== in-process: CPU per request over {JOURNEYS} whole journeys, {label}, WSGI ==")
    folder = Path(tempfile.mkdtemp(prefix="porth-inprocess-"))
    try:
        application = _setup(folder, database)
        prepared = prepare(date.today())
        client = WsgiClient(application)
        for n in range(WARMUP_JOURNEYS):
            walk(client, prepared[n % len(prepared)])
            client.cookies.clear()
        client.cpu.clear()
        profiler = Profiler(on=with_profile)
        began, began_wall = time.process_time(), time.perf_counter()
        with profiler:
            for n in range(JOURNEYS):
                walk(client, prepared[n % len(prepared)])
                client.cookies.clear()  # a new citizen each time
        spent, wall = time.process_time() - began, time.perf_counter() - began_wall
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database == "postgres":
            from django.db import connections

            connections.close_all()
            postgres.drop(servers.PG_DB)
    loop_ms = calibrate()
    total = sum(sum(v) for v in client.cpu.values())
    requests = sum(len(v) for v in client.cpu.values())
    rows = []
    for kind, times in sorted(client.cpu.items(), key=lambda kv: -sum(kv[1])):
        ordered = sorted(times)
        rows.append(
            [
                kind,
                f"{len(times) / JOURNEYS:.1f}",
                f"{1000 * sum(times) / len(times):.2f}",
                f"{1000 * ordered[len(ordered) // 2]:.2f}",
                f"{100 * sum(times) / total:.0f}%",
            ]
        )
    print(table(["request", "per journey", "mean ms CPU", "median ms", "share"], rows))
    # Read by `attribution` (wall time includes the database's round trips and its work).
    print(f"per request: {1000 * total / requests:.4f} ms CPU, {1000 * wall / requests:.4f} ms")
    print(
        f"{requests / JOURNEYS:.1f} requests per journey, {1000 * total / requests:.2f} ms CPU per "
        f"request on average; {JOURNEYS / spent:.1f} journeys per CPU-second in process "
        f"(no HTTP server, no compression of static files)"
    )
    print(
        f"calibration: a 1,000,000-step Python loop took {loop_ms:.0f} ms (best of 5). On a "
        f"shared machine it swings by 2× within minutes and does not track these figures "
        f"closely: compare changes side by side in one process, or in runs made close together"
    )
    if profiler.on:
        print("\n" + profiler.report(f"{JOURNEYS} journeys", by_own_time=30, by_cumulative=40))
    return []


def attribution(*, database: str = "sqlite", pairs: int = 2) -> list[str]:
    """Time per request with each fast-path optimisation off alone, against all on, in
    process: each run in a process of its own, the two of a pair one after the other (the
    machine's speed drifts), `pairs` pairs per optimisation."""
    from porth.fastpath import OPTIMISATIONS

    label = "PostgreSQL" if database == "postgres" else "SQLite"
    print(
        f"\n== attribution in time: each fast-path optimisation off alone, in process, {label} =="
    )
    command = [
        sys.executable,
        "-m",
        "bench.inprocess",
        *(["--postgres"] if database == "postgres" else []),
    ]

    def measure(fast_path: str) -> tuple[float, float]:
        done = subprocess.run(
            command,
            env={**os.environ, "PORTH_FAST_PATH": fast_path},
            capture_output=True,
            text=True,
            cwd=servers.ROOT,
        )
        found = re.search(r"per request: ([\d.]+) ms CPU, ([\d.]+) ms", done.stdout)
        if found is None:
            raise RuntimeError(f"{fast_path}: {done.stderr[-500:]}")
        return float(found.group(1)), float(found.group(2))

    rows = []
    for name in [*OPTIMISATIONS, "off"]:
        fast_path = "off" if name == "off" else f"on,-{name}"
        cpu_saved, wall_saved = [], []
        for _ in range(pairs):
            on_cpu, on_wall = measure("on")
            off_cpu, off_wall = measure(fast_path)
            cpu_saved.append((off_cpu - on_cpu) / off_cpu)
            wall_saved.append((off_wall - on_wall) / off_wall)
        rows.append(
            [
                "(all off: plain Django)" if name == "off" else name,
                f"{100 * statistics.mean(cpu_saved):.1f}%",
                f"{100 * statistics.mean(wall_saved):.1f}%",
            ]
        )
    print(table(["off", "CPU it buys", "time it buys (with the database)"], rows))
    print(
        f"mean of {pairs} pairs (all on, then it off) of {JOURNEYS} journeys each; a pair's "
        "two runs swing by a few per cent on a shared machine: read the instruction counts "
        "(bench.instructions --attribution) for small differences"
    )
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"on PostgreSQL ({postgres.HOST}:{postgres.PORT}), not SQLite",
    )
    parser.add_argument(
        "--attribution", action="store_true", help="each fast-path optimisation off alone"
    )
    args = parser.parse_args(argv)
    database = "postgres" if args.postgres else "sqlite"
    if args.attribution:
        return 1 if attribution(database=database) else 0
    return 1 if run(with_profile=args.profile, database=database) else 0


if __name__ == "__main__":
    raise SystemExit(main())
