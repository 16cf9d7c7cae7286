"""supervise() starts a failing process again, pausing longer each time, and stops on SIGTERM
(each case in a fresh process, as it installs signal handlers; the process it supervises is a
small Python script instead of Granian, see test_serve.py for Granian)."""

import signal
import subprocess
import sys
import time
from pathlib import Path

SUPERVISOR = """
import sys
from porth.supervise import Backoff, supervise
first, most = float(sys.argv[1]), float(sys.argv[2])
sys.exit(supervise(sys.argv[3:], name="the child", backoff=Backoff(first=first, most=most)))
"""


def _supervise(child: str, *, first: float, most: float, runs: Path) -> subprocess.Popen[str]:
    """Supervise a Python script that appends a line to `runs` each time it starts."""
    script = f"open({str(runs)!r}, 'a').write('run\\n')\n{child}"
    return subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, str(first), str(most), sys.executable, "-c", script],
        stderr=subprocess.PIPE,
        text=True,
    )


def _runs(runs: Path) -> int:
    return len(runs.read_text().splitlines()) if runs.exists() else 0


def test_a_failing_process_is_started_again_after_longer_and_longer_pauses(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    child = f"import sys; sys.exit(0 if len(open({str(runs)!r}).readlines()) == 4 else 3)"

    process = _supervise(child, first=0.05, most=0.1, runs=runs)
    _, stderr = process.communicate(timeout=30)

    assert process.returncode == 0  # the child's clean exit ends supervision
    assert _runs(runs) == 4
    assert stderr.splitlines() == [
        "porth serve: the child exited with status 3; starting it again in 0.05 s",
        "porth serve: the child exited with status 3; starting it again in 0.1 s",
        "porth serve: the child exited with status 3; starting it again in 0.1 s",
    ]


def test_sigterm_during_a_pause_ends_it_at_once_without_a_restart(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    process = _supervise("raise SystemExit(1)", first=60, most=60, runs=runs)
    assert process.stderr is not None
    assert "starting it again in 60 s" in process.stderr.readline()

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=10) == 0
    assert _runs(runs) == 1


def test_sigterm_stops_the_running_process_and_ends(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    process = _supervise("import time; time.sleep(60)", first=0.05, most=0.1, runs=runs)
    deadline = time.monotonic() + 30
    while _runs(runs) == 0:
        assert time.monotonic() < deadline, "the child did not start"
        time.sleep(0.05)

    process.send_signal(signal.SIGTERM)

    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert stderr == ""  # stopped, not restarted
    assert _runs(runs) == 1
