"""Misconfigured background work is reported before a worker starts."""

from typing import Any

import pytest

from porth.background.checks import task_backend


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:6379/0", "must start with redis://"),
        ("redis://:6379/0", "names no host"),
        ("redis://127.0.0.1:port/0", "cannot be read"),
        ("redis://127.0.0.1:6379/zero", "must be a number"),
    ],
)
def test_a_redis_url_that_cannot_work_is_an_error(url: str, problem: str, settings: Any) -> None:
    settings.PORTH_TASKS = "rq"
    settings.PORTH_REDIS_URL = url

    [error] = task_backend(None)

    assert error.id == "background.E002"
    assert problem in error.msg


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "rediss://user:secret@redis.example:6380",
        "unix:///run/redis.sock",
    ],
)
def test_a_good_redis_url_passes(url: str, settings: Any) -> None:
    settings.PORTH_TASKS = "rq"
    settings.PORTH_REDIS_URL = url

    assert task_backend(None) == []


def test_an_unknown_backend_is_an_error(settings: Any) -> None:
    settings.PORTH_TASKS = "celery"

    assert [error.id for error in task_backend(None)] == ["background.E001"]


def test_tasks_run_in_the_request_are_a_warning_in_production(settings: Any) -> None:
    settings.PORTH_TASKS = "immediate"
    settings.PRODUCTION = True

    assert [error.id for error in task_backend(None)] == ["background.W001"]
