"""What the benchmarks that run in a child process per database share: the databases (a
fresh PostgreSQL database, if the server answers, and an SQLite file) and the child's
environment (Django's settings on that database, this checkout's code first)."""

import contextlib
import os
from pathlib import Path

from . import postgres

ROOT = Path(__file__).resolve().parent.parent
Target = tuple[str, contextlib.AbstractContextManager[str]]


def databases(folder: Path, sqlite_name: str, pg_db: str, *, on_postgres: bool) -> list[Target]:
    """Each database's label and the `with` that makes it for the run, giving its URL:
    PostgreSQL first (a fresh `pg_db`, dropped after), then SQLite (`sqlite_name` in
    `folder`). Says so when PostgreSQL is asked for but does not answer."""
    targets: list[Target] = [
        ("SQLite", contextlib.nullcontext(f"sqlite:///{folder / sqlite_name}"))
    ]
    if on_postgres and postgres.available():
        targets.insert(0, ("PostgreSQL", postgres.fresh(pg_db)))
    elif on_postgres:
        print(postgres.SKIPPED)
    return targets


def environment(url: str, *, env: str = "test", **more: str) -> dict[str, str]:
    """The child's environment: Porth's settings on the database at `url`, plus `more`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PORTH_ENV": env,
        "DJANGO_SETTINGS_MODULE": "porth.conf.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **more,
    }
