"""Workers killed mid-batch lose no message and send none twice: real `porth worker`
processes (two at a time, each with its scheduler) on a database of their own (a SQLite file,
or a fresh PostgreSQL database when the tests run on PostgreSQL), and on Redis with RQ when
redis-server is installed; SIGKILLed while a slow fake provider is taking messages, then
started again, and at the end stopped as a service manager stops them (SIGTERM).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from . import worker_site

PORTH = str(Path(sys.executable).with_name("porth"))
SITE = [sys.executable, "-m", "porth.notifications.tests.worker_site"]
MESSAGES = 40
DEADLINE = 90.0  # generous: the machine may be busy with other tests


@contextlib.contextmanager
def _database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL of the same kind as the tests' own database, empty, for this test."""
    default = settings.DATABASES["default"]
    if "postgresql" not in default["ENGINE"]:
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"porth_faults_{uuid.uuid4().hex[:12]}"
    server = f"postgres://{default['USER']}@{default['HOST']}:{default['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextlib.contextmanager
def _redis(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        _until("Redis answers", lambda: _answers(port))
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _until[T](what: str, condition: Callable[[], T | None]) -> T:
    deadline = time.monotonic() + DEADLINE
    while not (found := _quietly(condition)):
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE:g} s"
        time.sleep(0.1)
    return found


def _quietly[T](condition: Callable[[], T | None]) -> T | None:
    try:
        return condition()
    except FileNotFoundError:  # not written yet
        return None


class Site:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.workers: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*SITE, *args], env=self.env, cwd=self.folder, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    def rows(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(self.run("report"))
        return found

    def start_workers(self, count: int = 2) -> None:
        for _ in range(count):
            log = (self.folder / f"worker-{len(self.workers)}.log").open("wb")
            self.workers.append(
                subprocess.Popen(
                    [*SITE, "worker"],
                    env=self.env,
                    cwd=self.folder,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def stop_workers(self) -> list[int]:
        """SIGTERM, as systemd stops a service: each finishes its task and exits. (RQ's
        worker may take up to a minute: its Redis listener waits up to 60 s for a message
        before it sees the stop.)"""
        for worker in self.workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=90) for worker in self.workers]
        self.workers = []
        return codes

    def kill_workers(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        self.workers = []

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.folder.glob("worker-*.log")))


@pytest.fixture(params=["database", "rq"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    with contextlib.ExitStack() as stack:
        env = {
            **os.environ,
            "PORTH_ENV": "test",
            "PORTH_TASKS": request.param,
            "DATABASE_URL": stack.enter_context(_database(tmp_path)),
            "PORTH_FAKE_PROVIDER": str(tmp_path / "provider.log"),
            "PORTH_FAKE_HANG": str(tmp_path / "hang"),
            # A worker has 5 s to send (a send takes 0.2 s: on a loaded CI machine, a lease
            # of 2 s could run out mid-send, and another worker send it again, as designed);
            # lost tasks are looked for every second.
            "PORTH_DELIVERY_LEASE": "5",
            "PORTH_DELIVERY_SWEEP": "1",
        }
        if request.param == "rq":
            env["PORTH_REDIS_URL"] = stack.enter_context(_redis(tmp_path))
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([PORTH, "migrate", "-v0"], env=env, cwd=tmp_path, check=True, timeout=120)
        running = Site(env, tmp_path)
        try:
            yield running
        finally:
            running.kill_workers()


@pytest.mark.workers
def test_workers_killed_mid_batch_lose_nothing_and_send_nothing_twice(site: Site) -> None:
    site.run("make", str(MESSAGES))
    provider = Path(site.env["PORTH_FAKE_PROVIDER"])

    def sent() -> list[str]:
        return worker_site.accepted(provider)

    def all_delivered() -> bool:
        return all(row["status"] == "delivered" for row in site.rows())

    hang = Path(site.env["PORTH_FAKE_HANG"])
    hung = hang.with_suffix(".hung")
    try:
        site.start_workers(2)
        _until("the workers send a quarter", lambda: len(sent()) >= MESSAGES // 4)
        hang.touch()  # each worker's next send stops half way
        _until("both workers hang in a send", lambda: len(hung.read_text().split()) >= 2)
        site.kill_workers()
        hang.unlink()

        # Killed while sending: rows still claimed (the provider may or may not have them).
        rows = site.rows()
        claimed = [row for row in rows if row["status"] == "sending" and row["leased"]]
        assert len(claimed) == 2, rows
        assert any(row["status"] == "created" for row in rows)

        site.start_workers(2)
        _until("every message is delivered", all_delivered)
        assert site.stop_workers() == [0, 0]
    except AssertionError:
        print(site.logs())
        raise
    counted = Counter(sent())
    assert set(counted) == {row["reference"] for row in rows}  # none lost
    assert max(counted.values()) == 1, [ref for ref, n in counted.items() if n > 1]  # none twice
