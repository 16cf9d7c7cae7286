"""Database settings read from the environment (each case in a fresh interpreter, as a
server reads them when it starts)."""

import json
import os
import subprocess
import sys

import pytest

SHOW = (
    "import json, porth.conf.settings as s; d = s.DATABASES['default']; "
    "print(json.dumps({'engine': d['ENGINE'], 'checks': d['CONN_HEALTH_CHECKS'], "
    "'options': d.get('OPTIONS', {})}))"
)


def _database(**env: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**os.environ, "PORTH_ENV": "test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, object] = json.loads(done.stdout)
    return found


POSTGRES = "postgres://porth@db.example:5432/porth"


def test_postgresql_binds_parameters_on_the_server_and_checks_idle_connections() -> None:
    assert _database(DATABASE_URL=POSTGRES, PORTH_FAST_PATH="on") == {
        "engine": "porth.fastpath.postgresql",
        "checks": True,
        "options": {"server_side_binding": True, "prepare_threshold": 5},
    }


def test_without_the_fast_path_postgresql_is_djangos_own_backend() -> None:
    found = _database(DATABASE_URL=POSTGRES, PORTH_FAST_PATH="all,-postgresql")
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["checks"] is True


@pytest.mark.parametrize("value", ["0", "false"])
def test_prepared_statements_can_be_turned_off(value: str) -> None:
    options = _database(DATABASE_URL=POSTGRES, PORTH_DB_PREPARED_STATEMENTS=value)["options"]
    assert options == {"server_side_binding": True}


@pytest.mark.parametrize("value", ["0", "false", "no"])
def test_connection_checks_can_be_turned_off(value: str) -> None:
    assert _database(DATABASE_URL=POSTGRES, PORTH_DB_HEALTH_CHECKS=value)["checks"] is False


def test_sqlite_gets_its_own_options_and_no_postgresql_ones() -> None:
    found = _database(DATABASE_URL="sqlite:///var/x.sqlite3")
    assert found["engine"] == "django.db.backends.sqlite3"
    options = found["options"]
    assert isinstance(options, dict)
    assert "server_side_binding" not in options and "prepare_threshold" not in options
    assert options["transaction_mode"] == "IMMEDIATE"
