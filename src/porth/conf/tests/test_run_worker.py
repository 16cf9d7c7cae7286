"""`porth run` starts a worker beside the web server and stops it with the server."""

import subprocess
from typing import Any

import pytest

from porth import cli


class FakeProcess:
    started: list["FakeProcess"] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        self.argv = argv
        self.kwargs = kwargs
        self.signals: list[str] = []
        FakeProcess.started.append(self)

    def terminate(self) -> None:
        self.signals.append("SIGTERM")

    def wait(self, timeout: float | None = None) -> int:
        return 0


@pytest.fixture
def popen(monkeypatch: pytest.MonkeyPatch) -> list[FakeProcess]:
    FakeProcess.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    return FakeProcess.started


def test_a_worker_runs_beside_the_server_and_stops_with_it(
    popen: list[FakeProcess], settings: Any
) -> None:
    settings.PORTH_TASKS = "database"

    with cli._worker():
        [worker] = popen
        assert worker.argv[-1] == "worker" and worker.argv[0].endswith("porth")
        assert worker.signals == []

    assert worker.signals == ["SIGTERM"]


def test_the_worker_stops_even_when_the_server_fails(
    popen: list[FakeProcess], settings: Any
) -> None:
    settings.PORTH_TASKS = "database"

    with pytest.raises(RuntimeError), cli._worker():
        raise RuntimeError("Granian would not start")

    assert popen[0].signals == ["SIGTERM"]


def test_no_worker_where_tasks_run_as_they_are_enqueued(
    popen: list[FakeProcess], settings: Any
) -> None:
    settings.PORTH_TASKS = "immediate"

    with cli._worker():
        pass

    assert popen == []
