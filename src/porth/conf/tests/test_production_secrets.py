"""Production without its secrets refuses to start, saying which are missing (each case in a
fresh process, as a server starts)."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

PORTH = str(Path(sys.executable).with_name("porth"))
SECRETS = {
    "PORTH_SECRET_KEY": ("porth.E001", "PORTH_SECRET_KEY is not set"),
    "PORTH_ENCRYPTION_KEYS": ("porth.E002", "PORTH_ENCRYPTION_KEYS is empty"),
    "PORTH_INDEX_KEY": ("porth.E004", "PORTH_INDEX_KEY is empty"),
}


def _porth(*args: str, without: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PORTH_ENV": "production",
        "PORTH_SECRET_KEY": secrets.token_urlsafe(60),
        "PORTH_ALLOWED_HOSTS": "porth.example",
        "PORTH_ENCRYPTION_KEYS": "k1:cG9ydGgtZGV2LW9ubHktbm90LWEtc2VjcmV0LWtleSE=",
        "PORTH_INDEX_KEY": "k1:cG9ydGgtZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5ISE=",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'porth.sqlite3'}",
    }
    del env[without]
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Its own process group, so that a server that does start (the bug) is stopped whole.
    process = subprocess.Popen(
        [PORTH, *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("missing", SECRETS)
def test_check_deploy_reports_a_missing_secret_as_an_error(missing: str, tmp_path: Path) -> None:
    done = _porth("check", "--deploy", without=missing, tmp_path=tmp_path)

    check_id, message = SECRETS[missing]
    assert done.returncode != 0
    assert f"({check_id}) {message}" in done.stderr
    assert "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.server
@pytest.mark.parametrize("command", ["serve", "run"])
@pytest.mark.parametrize("missing", SECRETS)
def test_the_server_refuses_to_start_without_a_secret(
    command: str, missing: str, tmp_path: Path
) -> None:
    port = _free_port()
    done = _porth(command, "--bind", f"127.0.0.1:{port}", without=missing, tmp_path=tmp_path)

    check_id, message = SECRETS[missing]
    assert done.returncode == 1
    assert f"({check_id}) {message}" in done.stderr
    assert "Porth will not serve until these are fixed." in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(ConnectionRefusedError):  # nothing was started
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
