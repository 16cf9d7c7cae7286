"""Start the production server (`porth serve`, Granian) on a fresh database, on 127.0.0.1.

SQLite lives in a temporary folder; PostgreSQL gets a fresh `porth_bench` database that is
dropped afterwards. The server is always killed, whatever happens.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import postgres

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the project venv's bin (make bench runs .venv/bin/python)
HOST = "127.0.0.1"  # bench traffic goes to this machine only
PG_DB = "porth_bench"  # bench.inprocess and bench.instructions use it too
WORKERS = 2
# A static file the size of a question page's HTML (~4.6 KB), the floor no dynamic page can
# beat; written into the collected folder before the server starts.
PAGE_SIZED = "bench-page-sized.css"
PAGE_BYTES = 4_600
SETUP_TIMEOUT = 120.0
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    database: str  # "SQLite" or "PostgreSQL"
    workers: int
    log: Path
    pid: int  # the server's main process
    fast_path: str = "on"  # PORTH_FAST_PATH
    database_url: str = ""  # for other processes on the same database (workers)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


def _porth() -> str:
    found = BIN / "porth"
    if not found.exists():
        raise RuntimeError(f"{found} is missing: run `make venv` first")
    return str(found)


def _write_page_sized() -> None:
    """CSS compresses much as HTML does; the start of porth.css, cut to a page's size."""
    static = ROOT / "var" / "static"
    css = (ROOT / "frontend" / "dist" / "porth.css").read_bytes()
    static.mkdir(parents=True, exist_ok=True)
    (static / PAGE_SIZED).write_bytes(css[:PAGE_BYTES])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=SETUP_TIMEOUT
        )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[1:])} failed ({done.returncode}); see {log}")


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2.0)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop `porth serve`, which stops Granian and its workers. Granian may take up to its
    worker kill timeout (30 s) to stop a worker that was still loading the application
    (docs/deploy.md), and a SIGKILL would leave Granian running in its own process group."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def running(
    database: str = "sqlite",
    *,
    collectstatic: bool = True,
    fast_path: str = "on",
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """A freshly set-up production server on a free port of 127.0.0.1, with PORTH_FAST_PATH
    set to `fast_path` (and `extra_env` in its environment)."""
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-"))
    log = folder / "server.log"
    env = {
        **os.environ,
        "PORTH_ENV": "dev",  # whitenoise's compressed manifest storage, as in production
        "PYTHONUNBUFFERED": "1",
        "PORTH_FAST_PATH": fast_path,
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    created_pg = False
    process: subprocess.Popen[bytes] | None = None
    output: IO[bytes] | None = None
    try:
        if database == "postgres":
            env["DATABASE_URL"] = postgres.create(PG_DB)
            created_pg = True
            label = "PostgreSQL"
        else:
            env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
            label = "SQLite"
        porth = _porth()
        _run([porth, "migrate", "--noinput", "-v0"], env, log)
        if collectstatic:
            _run([porth, "collectstatic", "--noinput", "-v0"], env, log)
        _write_page_sized()
        _run([porth, "load"], env, log)
        port = free_port()
        with log.open("a") as out:
            out.write(f"\n$ porth serve --bind {HOST}:{port} --workers {WORKERS}\n")
        output = log.open("ab")
        process = subprocess.Popen(
            [porth, "serve", "--bind", f"{HOST}:{port}", "--workers", str(WORKERS)],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be killed whole
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(port):
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}); see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer in {START_TIMEOUT:.0f} s; see {log}")
            time.sleep(0.2)
        yield Server(HOST, port, label, WORKERS, log, process.pid, fast_path, env["DATABASE_URL"])
    except BaseException:
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-30:]
            print("server log (last lines):\n  " + "\n  ".join(tail), file=sys.stderr)
        raise
    finally:
        if process is not None:
            _stop(process)
        if output is not None:
            output.close()
        if created_pg:
            postgres.drop(PG_DB)
        shutil.rmtree(folder, ignore_errors=True)
