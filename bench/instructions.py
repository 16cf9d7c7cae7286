"""Instructions per request (the journeys of `bench http`, in process) and per engine step
(the walk of `bench engine`), counted by Valgrind.

Timings on a shared machine swing by 2x from minute to minute, so a change that saves 3% of
a request cannot be seen in them. The number of instructions the application runs does not
swing: this walks whole journeys through the WSGI application (as bench/inprocess.py does)
under Valgrind's callgrind, counting only the measured journeys, and repeats to within 0.1%.
Instructions are not time (cache misses and system calls are not in them, nor the database
server's work on PostgreSQL), so confirm a gain in time too, but compare changes with this.

Needs Valgrind (`apt-get install valgrind`); without it, it says so and does nothing. Takes
about a minute: the journeys run 50 times slower under Valgrind. The count includes the
benchmark's own client (building each request, reading the CSRF token from each page).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from . import postgres
from . import server as servers
from .inprocess import WsgiClient, configure, migrate
from .journeys import prepare, walk
from .report import table

WARMUP_JOURNEYS = 12  # templates compiled, shells rendered, caches filled
JOURNEYS = 20
ENGINE_JOURNEYS = 10  # of 100 steps each


def _toggle(state: str) -> None:
    """Counting on or off (callgrind_control talks to this process's Valgrind)."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], capture_output=True)
    time.sleep(1)  # it takes effect at Valgrind's next check


def _walk(url: str, journeys: int) -> None:
    """Under Valgrind: warm up uncounted, then count `journeys` journeys."""
    configure(url)
    from django.core.wsgi import get_wsgi_application

    client = WsgiClient(get_wsgi_application())
    prepared = prepare(date.today())
    for n in range(WARMUP_JOURNEYS):
        walk(client, prepared[n % len(prepared)])
        client.cookies.clear()
    client.cpu.clear()
    _toggle("on")
    for n in range(journeys):
        walk(client, prepared[n % len(prepared)])
        client.cookies.clear()
    _toggle("off")
    for kind, times in sorted(client.cpu.items()):
        print(f"requests {kind}: {len(times)}")


def _engine_walk(journeys: int) -> None:
    """Under Valgrind: the engine benchmark's walk, warmed up uncounted, then counted."""
    from .engine import _journey, generate

    generated = generate()
    pages = list(generated.definition.pages)
    today = date.today()
    for _ in range(2):
        _journey(generated, pages, today, None)
    _toggle("on")
    for _ in range(journeys):
        _journey(generated, pages, today, None)
    _toggle("off")
    print(f"steps: {journeys * len(pages)}")


def _callgrind(
    folder: Path, *arguments: str, env: dict[str, str] | None = None
) -> tuple[int | None, str, str]:
    """Runs this module under callgrind, counting only between toggles: (count, out, err)."""
    env = {**(env or os.environ), "PYTHONMALLOC": "malloc"}  # Valgrind's advice for Python
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--cache-sim=no",
            f"--callgrind-out-file={folder / 'callgrind.out'}",
            sys.executable,
            "-m",
            "bench.instructions",
            *arguments,
        ],
        capture_output=True,
        text=True,
        cwd=servers.ROOT,
        env=env,
    )
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or counted is None:
        return None, done.stdout, f"callgrind run failed ({done.returncode}): {done.stderr[-500:]}"
    return int(counted.group(1)), done.stdout, done.stderr


def _have_valgrind() -> bool:
    if shutil.which("valgrind") and shutil.which("callgrind_control"):
        return True
    print("(Valgrind is not installed: `apt-get install valgrind` to count instructions)")
    return False


def run_engine(*, journeys: int = ENGINE_JOURNEYS) -> list[str]:
    """Instructions per step of `bench engine`'s walk: a figure the machine's speed leaves alone."""
    print(f"\n== instructions: engine, {journeys} walks of the 100-page definition, callgrind ==")
    if not _have_valgrind():
        return []
    folder = Path(tempfile.mkdtemp(prefix="porth-instructions-"))
    try:
        instructions, out, err = _callgrind(folder, "--engine-walk", str(journeys))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    steps = re.search(r"^steps: (\d+)$", out, re.MULTILINE)
    if instructions is None or steps is None:
        return [err if instructions is None else "no steps were counted"]
    print(
        table(
            ["measure", "value"],
            [["instructions per step", f"{instructions / int(steps.group(1)):,.0f}"]],
        )
    )
    return []


def _per_request(database: str, journeys: int, fast_path: str) -> tuple[float | None, str]:
    """Instructions per journey request with PORTH_FAST_PATH=`fast_path`: (count, error)."""
    folder = Path(tempfile.mkdtemp(prefix="porth-instructions-"))
    env = {**os.environ, "PORTH_FAST_PATH": fast_path}  # read by the children's settings
    # Performance events written when a batch fills (PORTH_ANALYTICS_BATCH), as on a busy
    # site, not after the flush interval: under Valgrind's fiftyfold slowdown its 2 s would
    # come around fifty times as often per request as for real. (The writer thread's work is
    # counted with the requests'.)
    env.setdefault("PORTH_ANALYTICS_FLUSH_SECONDS", "3600")
    try:
        if database == "postgres":
            url = postgres.create(servers.PG_DB)
        else:
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
        here = [sys.executable, "-m", "bench.instructions"]
        subprocess.run([*here, "--prepare", url], check=True, cwd=servers.ROOT, env=env)
        instructions, out, err = _callgrind(folder, "--walk", url, str(journeys), env=env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database == "postgres":
            postgres.drop(servers.PG_DB)
    kinds = dict(re.findall(r"^requests (.+): (\d+)$", out, re.MULTILINE))
    if instructions is None or not kinds:
        return None, err if instructions is None else "no requests were counted"
    return instructions / sum(int(n) for n in kinds.values()), ""


def _label(database: str) -> str:
    return "PostgreSQL" if database == "postgres" else "SQLite"


def run(*, database: str = "sqlite", journeys: int = JOURNEYS) -> list[str]:
    """Instructions per request with the fast path on and off, side by side."""
    print(
        f"\n== instructions: {journeys} whole journeys in process, {_label(database)}, "
        "callgrind, fast path on and off =="
    )
    if not _have_valgrind():
        return []
    rows, errors = [], []
    for fast_path in ("on", "off"):
        count, error = _per_request(database, journeys, fast_path)
        if count is None:
            errors.append(error)
            continue
        rows.append([f"instructions per request, fast path {fast_path}", f"{count:,.0f}"])
    print(table(["measure", "value"], rows))
    print("user-space instructions of this process only (not the kernel's, not PostgreSQL's)")
    return errors


def attribution(*, database: str = "sqlite", journeys: int = JOURNEYS) -> list[str]:
    """What each fast-path optimisation buys: instructions per request with it alone off,
    against all on (docs/performance.md's table)."""
    from porth.fastpath import OPTIMISATIONS

    print(
        f"\n== attribution: each fast-path optimisation off alone, {journeys} whole journeys, "
        f"{_label(database)}, callgrind =="
    )
    if not _have_valgrind():
        return []
    base, error = _per_request(database, journeys, "on")
    if base is None:
        return [error]
    rows, errors = [["(all on)", f"{base:,.0f}", ""]], []
    for name in [*OPTIMISATIONS, "off"]:
        count, error = _per_request(database, journeys, "off" if name == "off" else f"on,-{name}")
        if count is None:
            errors.append(f"{name}: {error}")
            continue
        label = "(all off: plain Django)" if name == "off" else name
        rows.append([label, f"{count:,.0f}", f"{100 * (count - base) / count:.1f}%"])
    print(table(["off", "instructions per request", "share it buys"], rows))
    print("share it buys: of the request's instructions with it off, what it saves")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    parser.add_argument("--engine", action="store_true", help="per engine step, not per request")
    parser.add_argument("--journeys", type=int, default=None)
    parser.add_argument(
        "--attribution", action="store_true", help="each fast-path optimisation off alone"
    )
    parser.add_argument("--engine-walk", type=int, metavar="JOURNEYS", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--walk", nargs=2, metavar=("URL", "JOURNEYS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:  # natively: migrating is slow under Valgrind
        configure(args.prepare)
        migrate()
        return 0
    if args.walk:
        _walk(args.walk[0], int(args.walk[1]))
        return 0
    if args.engine_walk:
        _engine_walk(args.engine_walk)
        return 0
    if args.engine:
        return 1 if run_engine(journeys=args.journeys or ENGINE_JOURNEYS) else 0
    database = "postgres" if args.postgres else "sqlite"
    measure = attribution if args.attribution else run
    errors = measure(database=database, journeys=args.journeys or JOURNEYS)
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
