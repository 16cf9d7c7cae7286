"""`porth serve` keeps the service answering while its processes are killed: a real Granian
with 2 workers on 127.0.0.1, a worker killed, its replacement killed at once (Granian then
gives up: a "worker crash loop"), Granian itself killed; and SIGTERM still stops it cleanly."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.server
PORTH = str(Path(sys.executable).with_name("porth"))
HOST = "127.0.0.1"
DEADLINE = 30.0  # generous: the machine may be busy with other tests


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2.0)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _processes() -> dict[int, tuple[int, str]]:
    """Every live process: pid → (parent pid, command line). /proc/<pid>/stat, as pgrep reads
    it: the fields after the command name (in parentheses) are the state and the parent."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{name}/stat").read_text()
            state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if state != "Z":  # a zombie is dead, only not yet reaped
                found[int(name)] = (int(ppid), cmdline)
    return found


def _children(pid: int) -> list[int]:
    return sorted(child for child, (ppid, _) in _processes().items() if ppid == pid)


def _alive(pid: int) -> bool:
    return pid in _processes()


def _granian(serve: int) -> int | None:
    """Granian's main process: `porth serve` itself or its nearest descendant running Granian
    (its workers, below it, run the same command)."""
    processes = _processes()
    level = [serve]
    while level:
        for pid in level:
            if pid in processes and "bin/granian " in processes[pid][1]:
                return pid
        level = [child for child, (ppid, _) in processes.items() if ppid in level]
    return None


def _until[T](what: str, condition: Callable[[], T | None]) -> T:
    """Poll `condition` until it gives something other than None or False."""
    deadline = time.monotonic() + DEADLINE
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE:g} s"
        time.sleep(0.1)
    return found


def _kill_and_replace(granian: int, worker: int) -> int:
    """Kill a worker of Granian's; return the pid of the worker Granian starts instead."""
    before = set(_children(granian))
    os.kill(worker, signal.SIGKILL)
    return _until(
        "Granian replaces the worker",
        lambda: next((pid for pid in _children(granian) if pid not in before), None),
    )


@dataclass
class Traffic:
    """Requests to the server from a thread, as citizens keep coming during the faults."""

    port: int
    answered: int = 0
    failed: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._send, daemon=True)

    def _send(self) -> None:
        for _ in range(2_000):  # bounded, whatever happens
            if self._stop.wait(0.05):
                return
            if _answers(self.port):
                self.answered += 1
            else:
                self.failed += 1

    def __enter__(self) -> "Traffic":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@dataclass(frozen=True)
class Serving:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def until_answering(self, *, not_granian: int | None = None) -> int:
        """Wait until `porth serve` answers again with a Granian (other than `not_granian`)
        and its 2 workers; return that Granian's pid. Fails at once if `porth serve` ends."""

        def ready() -> int | None:
            assert self.process.poll() is None, f"porth serve ended:\n{self.log.read_text()}"
            granian = _granian(self.process.pid)
            if granian is None or granian == not_granian or len(_children(granian)) != 2:
                return None
            if self.started(granian) < 2:
                return None
            return granian if _answers(self.port) else None

        return _until("porth serve answers", ready)

    def started(self, granian: int) -> int:
        """How many workers this Granian has started that have loaded the application, as
        its log says. Granian 2.8 loses a SIGTERM that reaches a worker still loading it: the
        worker serves on until the kill timeout (30 s), holding up any stop of Granian."""
        _, _, since = self.log.read_text().rpartition(f"(main PID: {granian})")
        return since.count("Started worker-")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    # PORTH_ENV=test serves static files from frontend/dist: no collectstatic into the
    # repository's var/, which other runs may share. The database is this test's own.
    env = {**os.environ, "PORTH_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([PORTH, "migrate", "-v0"], env=env, cwd=tmp_path, check=True, timeout=120)
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = int(s.getsockname()[1])
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [PORTH, "serve", "--bind", f"{HOST}:{port}", "--workers", "2"],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Serving(process, port, log)
    finally:
        # Whatever happened, nothing is left running: `porth serve`, Granian (in a process
        # group of its own) and every worker.
        processes = _processes()
        tree, level = [], [process.pid]
        while level:
            tree += level
            level = [child for child, (ppid, _) in processes.items() if ppid in level]
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_the_service_answers_again_after_workers_and_granian_are_killed(
    serving: Serving,
) -> None:
    granian = serving.until_answering()
    with Traffic(serving.port) as traffic:
        # Workers die in turn: Granian replaces each while the other serves on.
        first, second = _children(granian)
        _kill_and_replace(granian, first)
        assert _until("the service answers", lambda: _answers(serving.port))
        _until("the replacement is ready", lambda: serving.started(granian) == 3)
        replacement = _kill_and_replace(granian, second)

        # Its replacement dies at once: Granian gives up ("worker crash loop") and exits;
        # porth serve starts it again.
        time.sleep(0.3)
        os.kill(replacement, signal.SIGKILL)
        granian = serving.until_answering(not_granian=granian)

        # Granian itself is killed (say, by the OOM killer): started again, and its workers,
        # left behind, are stopped rather than serving on beside the new ones.
        workers = _children(granian)
        os.kill(granian, signal.SIGKILL)
        granian = serving.until_answering(not_granian=granian)
        _until("the old workers stop", lambda: not any(_alive(pid) for pid in workers))
        workers = _children(granian)

    assert traffic.answered > 0
    restarts = serving.log.read_text().count("starting it again")
    assert restarts == 2

    serving.process.send_signal(signal.SIGTERM)
    assert serving.process.wait(timeout=DEADLINE) == 0
    assert not any(_alive(pid) for pid in [granian, *workers])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((HOST, serving.port), timeout=2).close()
