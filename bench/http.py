"""HTTP throughput and latency of whole citizen journeys, against a static file on the same server.

20 virtual users each complete journeys through the three example services (start page,
every question page GET and POST with 303 redirects, check answers, send, confirmation;
see journeys.py). In turns with that, the same users fetch one static file of about the size
of a question page, so the ratio says how close the dynamic pages come to the server's
ceiling; the turns alternate so that a machine whose speed drifts affects both sides alike.
"""

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .journeys import Prepared, prepare, walk
from .loadgen import BenchError, Client, Samples, run_users
from .report import percentile, table, verdict
from .server import PAGE_SIZED, PG_DB, ROOT, Server

USERS = 20
WARMUP = 3.0  # each worker compiles its templates on its first requests
ROUNDS = 3  # dynamic and static windows alternate this many times
ROUND_WARMUP = 0.5  # before each window: connections opened, the queue filled
MEASURE = 12.0  # seconds of journeys measured, over all rounds
STATIC_MEASURE = 6.0
P95_TARGET_MS = 50.0
RATIO_TARGET = 0.3
XGOV_JOURNEYS_PER_CORE = 30.0  # XGovFormBuilder's runner, one core
JOURNEYS_TARGET = 3 * XGOV_JOURNEYS_PER_CORE


SIDE_BY_SIDE = [
    "journeys/s",
    "journeys per server CPU-second",
    "latency p95 ms",
    "server CPU ms per journey request",
    "ratio dynamic steps/s ÷ static/s",
]


def side_by_side(database: str, runs: dict[str, dict[str, str]]) -> None:
    """The main figures of servers run with different PORTH_FAST_PATH values, in columns."""
    print(f"\n== http: fast path on and off side by side, {database} ==")
    modes = list(runs)
    rows = [[name, *(runs[mode].get(name, "") for mode in modes)] for name in SIDE_BY_SIDE]
    print(table(["measure", *(f"fast path {mode}" for mode in modes)], rows))
    print("the runs follow each other: a machine whose speed drifts moves them apart too")


def _journey_user(prepared: list[Prepared]) -> Any:
    def user(index: int, client: Client, stop: threading.Event) -> None:
        for n in range(1_000_000):  # bounded; `stop` ends it long before
            if stop.is_set():
                return
            journey = prepared[(index + n) % len(prepared)]
            try:
                walk(client, journey)
            except (BenchError, OSError) as error:
                client.samples.errors.append(f"{journey.slug}: {error}")
                client.cookies.clear()
                client.close()
                if len(client.samples.errors) >= 5:
                    return
                continue
            client.samples.journeys.append(time.perf_counter())

    return user


def _static_user(path: str) -> Any:
    def user(index: int, client: Client, stop: threading.Event) -> None:
        for _ in range(10_000_000):
            if stop.is_set():
                return
            response = client.request("GET", path, kind="static")
            if response.status != 200:
                raise BenchError(f"GET {path}: HTTP {response.status}")

    return user


def _process_cpu(pid: int | str) -> float:
    """CPU seconds a process has used so far (utime + stime; Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server's main process and its workers (Linux /proc)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    return sum((_process_cpu(p) for p in [str(pid), *children]), 0.0)


def _database_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backends serving the benchmark database (their
    process titles name it); 0 on SQLite, which runs inside the server's workers."""
    marker = f" {PG_DB} ".encode()
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and marker in title:
            total += _process_cpu(entry.name)
    return total


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all processes, all cores; Linux /proc)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Window:
    requests: list[tuple[float, str]]  # latency, kind
    journeys: int
    seconds: float
    errors: list[str]
    connections: int


def _window(samples: Sequence[Samples], start: float, end: float) -> Window:
    requests = [(lat, kind) for s in samples for (t, lat, kind) in s.requests if start <= t < end]
    done = sum(1 for s in samples for t in s.journeys if start <= t < end)
    errors = [e for s in samples for e in s.errors]
    return Window(requests, done, end - start, errors, sum(s.connections for s in samples))


def _latencies(window: Window, kinds: set[str] | None = None) -> list[float]:
    return sorted(1000 * lat for lat, kind in window.requests if kinds is None or kind in kinds)


@dataclass
class Phase:
    window: Window  # after the phase's warm-up
    server_cpu: float  # over the whole phase
    database_cpu: float  # PostgreSQL's backends, over the whole phase
    requests: int  # over the whole phase
    journeys: int  # over the whole phase


def _phase(server: Server, user: Any, warmup: float, measure: float) -> Phase:
    cpu0, db0 = _server_cpu(server.pid), _database_cpu()
    began = time.perf_counter()
    samples = run_users(USERS, user, server.host, server.port, warmup + measure)
    return Phase(
        _window(samples, began + warmup, began + warmup + measure),
        _server_cpu(server.pid) - cpu0,
        _database_cpu() - db0,
        sum(len(s.requests) for s in samples),
        sum(len(s.journeys) for s in samples),
    )


def _merge(phases: Sequence[Phase]) -> Window:
    windows = [phase.window for phase in phases]
    return Window(
        [r for w in windows for r in w.requests],
        sum(w.journeys for w in windows),
        sum(w.seconds for w in windows),
        [e for w in windows for e in w.errors],
        sum(w.connections for w in windows),
    )


def pick_static(page_bytes: int) -> tuple[str, int]:
    """A static file as large as a question page: the server writes one (see server.py) of
    the usual page size; failing that, the collected asset closest in size."""
    import json

    static = ROOT / "var" / "static"
    own = static / PAGE_SIZED
    if own.exists():
        return f"/assets/{PAGE_SIZED}", own.stat().st_size
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    sizes = [
        (abs((static / hashed).stat().st_size - page_bytes), hashed) for hashed in manifest.values()
    ]
    _, best = min(sizes)
    return f"/assets/{best}", (static / best).stat().st_size


def run(server: Server, figures: dict[str, str] | None = None) -> list[str]:
    """Returns the errors seen (empty when every request answered as expected); the main
    figures go into `figures` too, for `side_by_side`."""
    print(
        f"\n== http: {USERS} virtual users, whole journeys, {server.database}, Granian, "
        f"{server.workers} workers, fast path {server.fast_path} =="
    )
    prepared = prepare(date.today())
    # Check each journey once, alone, before loading the server with it.
    check = Samples()
    client = Client(server.host, server.port, check)
    for journey in prepared:
        walk(client, journey)
    client.close()
    page = Client(server.host, server.port, Samples(), gzip=False).request(
        "GET", prepared[0].steps[0][0]
    )
    page_gz = Client(server.host, server.port, Samples()).request("GET", prepared[0].steps[0][0])
    static_path, static_size = pick_static(len(page.body))
    static_gz = Client(server.host, server.port, Samples()).request(
        "GET", static_path, kind="static"
    )
    cores = os.cpu_count() or 1

    user = _journey_user(prepared)
    static_user = _static_user(static_path)
    # Dynamic and static windows take turns, so that a machine whose speed drifts (shared
    # cloud cores do, by half at times) affects both sides of the ratio alike.
    run_users(USERS, user, server.host, server.port, WARMUP)  # templates, caches, WAL
    busy0 = _machine_busy()
    own0 = time.process_time()
    began = time.perf_counter()
    dyn_phases: list[Phase] = []
    static_phases: list[Phase] = []
    for _ in range(ROUNDS):
        dyn_phases.append(_phase(server, user, ROUND_WARMUP, MEASURE / ROUNDS))
        static_phases.append(_phase(server, static_user, ROUND_WARMUP, STATIC_MEASURE / ROUNDS))
    total = time.perf_counter() - began
    dyn, stat = _merge(dyn_phases), _merge(static_phases)
    server_cpu = sum(phase.server_cpu for phase in dyn_phases)
    static_cpu = sum(phase.server_cpu for phase in static_phases)
    own_cpu = time.process_time() - own0
    others = _machine_busy() - busy0 - server_cpu - static_cpu - own_cpu

    steps_per_s = len(dyn.requests) / dyn.seconds
    # Server CPU per request over whole phases (their warm-ups included) on both sides.
    dyn_cpu_ms = 1000 * server_cpu / max(1, sum(phase.requests for phase in dyn_phases))
    static_cpu_ms = 1000 * static_cpu / max(1, sum(phase.requests for phase in static_phases))
    journeys_per_s = dyn.journeys / dyn.seconds
    # Server CPU over whole phases (warm-ups included), so per-CPU-second uses the same span.
    all_journeys = sum(phase.journeys for phase in dyn_phases)
    per_cpu_s = all_journeys / server_cpu if server_cpu > 0 else float("nan")
    database_cpu = sum(phase.database_cpu for phase in dyn_phases)
    static_per_s = len(stat.requests) / stat.seconds
    ratio = steps_per_s / static_per_s if static_per_s else 0.0
    lat = _latencies(dyn)
    gets, posts = _latencies(dyn, {"GET"}), _latencies(dyn, {"POST"})
    slat = _latencies(stat)
    p95 = percentile(lat, 95)
    steps_per_journey = sum(len(p.steps) * 2 + 4 for p in prepared) / len(prepared)
    rows = [
        [
            "journeys/s",
            f"{journeys_per_s:,.1f}",
            f"≥ {JOURNEYS_TARGET:.0f}",
            verdict(journeys_per_s >= JOURNEYS_TARGET),
        ],
        [
            f"journeys/s per worker core (÷ {server.workers})",
            f"{journeys_per_s / server.workers:,.1f}",
            f"≥ {JOURNEYS_TARGET:.0f}",
            verdict(journeys_per_s / server.workers >= JOURNEYS_TARGET),
        ],
        [
            "journeys per server CPU-second",
            f"{per_cpu_s:,.1f}",
            f"≥ {JOURNEYS_TARGET:.0f}",
            verdict(per_cpu_s >= JOURNEYS_TARGET),
        ],
        ["journey steps (requests)/s", f"{steps_per_s:,.0f}", "", ""],
        ["latency p50 ms", f"{percentile(lat, 50):,.1f}", "", ""],
        ["latency p95 ms", f"{p95:,.1f}", f"≤ {P95_TARGET_MS:.0f}", verdict(p95 <= P95_TARGET_MS)],
        ["latency p99 ms", f"{percentile(lat, 99):,.1f}", "", ""],
        [
            "  GET p95 / POST p95 ms",
            f"{percentile(gets, 95):,.1f} / {percentile(posts, 95):,.1f}",
            "",
            "",
        ],
        ["server CPU ms per journey request", f"{dyn_cpu_ms:.2f}", "", ""],
        *(
            [["PostgreSQL CPU ms per journey", f"{1000 * database_cpu / all_journeys:.2f}", "", ""]]
            if database_cpu > 0 and all_journeys
            else []
        ),
        ["static requests/s", f"{static_per_s:,.0f}", "", ""],
        ["server CPU ms per static request", f"{static_cpu_ms:.2f}", "", ""],
        [
            "static p50 / p95 ms",
            f"{percentile(slat, 50):,.1f} / {percentile(slat, 95):,.1f}",
            "",
            "",
        ],
        [
            "ratio dynamic steps/s ÷ static/s",
            f"{ratio:.2f}",
            f"≥ {RATIO_TARGET}",
            verdict(ratio >= RATIO_TARGET),
        ],
    ]
    print(table(["measure", "value", "target", ""], rows))
    if figures is not None:
        figures.update({row[0]: row[1] for row in rows if row[0] in SIDE_BY_SIDE})
    # Each round's own ratio, so that a reader sees how far the machine's drift moves it.
    rounds = [
        (len(d.window.requests) / d.window.seconds) / (len(s.window.requests) / s.window.seconds)
        for d, s in zip(dyn_phases, static_phases, strict=True)
        if s.window.requests and d.window.seconds and s.window.seconds
    ]
    print(f"ratio in each round: {', '.join(f'{r:.2f}' for r in rounds)}")
    print(
        f"{ROUNDS} × ({MEASURE / ROUNDS:.0f} s of journeys, then {STATIC_MEASURE / ROUNDS:.0f} s of the static file), "
        f"after {WARMUP:.0f} s of warm-up: {dyn.journeys} journeys, {len(dyn.requests):,} requests "
        f"(~{steps_per_journey:.1f} per journey, 6 paths over 3 services); "
        f"{dyn.connections:,} TCP connections opened"
    )
    print(
        f"question page {prepared[0].steps[0][0]}: {len(page.body):,} B HTML, {len(page_gz.body):,} B gzip; "
        f"static file {static_path}: {static_size:,} B, {len(static_gz.body):,} B as served "
        f"({'gzip' if static_gz.gzipped else 'identity'}); both fetched with Accept-Encoding: gzip under load"
    )
    print(
        f"XGovFormBuilder runner: {XGOV_JOURNEYS_PER_CORE:.0f} journeys/s on one core; target 3× = {JOURNEYS_TARGET:.0f}. "
        f"Server CPU {server_cpu:.1f} s and load generator CPU {own_cpu:.1f} s over {total:.1f} s "
        f"on {cores} cores; other processes used {max(others, 0):.1f} CPU-s. The generator (and anything else "
        f"running) competes with the {server.workers} workers, so these figures are a floor."
    )
    errors = dyn.errors + stat.errors
    for error in errors[:5]:
        print(f"  error: {error}")
    return errors
