"""The PostgreSQL server the benchmarks use, and the fresh databases they make on it.

The one on 127.0.0.1:5432, user postgres, trust authentication, as for the tests. Each benchmark
names its own database, dropped before the run (a killed run may have left it behind) and
after it, however the run ends.
"""

import contextlib
import socket
from collections.abc import Iterator
from typing import LiteralString

HOST = "127.0.0.1"
PORT = 5432
ADMIN_URL = f"postgres://postgres@{HOST}:{PORT}/postgres"
SKIPPED = f"(PostgreSQL does not answer on {HOST}:{PORT} or psycopg is missing: skipped)"
# FORCE: a server or worker of an earlier run may still be connected.
_DROP = "DROP DATABASE IF EXISTS {} WITH (FORCE)"


def url(name: str) -> str:
    """The DATABASE_URL of the database `name` on the benchmarks' server."""
    return f"postgres://postgres@{HOST}:{PORT}/{name}"


def available() -> bool:
    """Whether the server answers and psycopg can be imported to talk to it."""
    try:
        with socket.create_connection((HOST, PORT), timeout=1.0):
            pass
    except OSError:
        return False
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


def _execute(template: LiteralString, name: str) -> None:
    """Runs `template`, a statement with `{}` for a database name, as the server's admin."""
    # Imported here, so that this module (and available()) loads without psycopg.
    import psycopg
    from psycopg import sql

    statement = sql.SQL(template).format(sql.Identifier(name))
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def create(name: str) -> str:
    """A fresh, empty database `name` (dropped first if it is there); its URL."""
    _execute(_DROP, name)
    _execute("CREATE DATABASE {}", name)
    return url(name)


def drop(name: str) -> None:
    """Drops `name` if it is there. A failure is ignored: it must not hide the run's own error,
    and the next run drops the database first anyway."""
    import psycopg

    with contextlib.suppress(psycopg.Error):
        _execute(_DROP, name)


@contextlib.contextmanager
def fresh(name: str) -> Iterator[str]:
    """A fresh database `name` for the `with` block, dropped after it; yields its URL."""
    created = create(name)
    try:
        yield created
    finally:
        drop(name)
