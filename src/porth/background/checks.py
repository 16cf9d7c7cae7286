"""System checks of background work: a worker that cannot reach its queue says so at start."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

BACKENDS = {"database", "rq", "immediate"}


def _redis_url_problem(url: str) -> str | None:
    """What is wrong with a Redis URL, read without connecting (checks run everywhere, even
    where Redis is not reachable yet): None if it looks right."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as error:
        return f"it cannot be read ({error})"
    if parts.scheme not in {"redis", "rediss", "unix"}:
        return "it must start with redis://, rediss:// or unix://"
    if parts.scheme != "unix" and not parts.hostname:
        return "it names no host"
    if parts.scheme == "unix" and not parts.path:
        return "it names no socket"
    database = parts.path.strip("/") if parts.scheme != "unix" else ""
    if database and not database.isdigit():
        return f"the database after the host must be a number, not {database!r}"
    return None


@register()
def task_backend(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.PORTH_TASKS
    if backend not in BACKENDS:
        return [
            Error(
                f"PORTH_TASKS={backend!r} is not a task backend",
                hint="Set PORTH_TASKS to database (the default), rq or immediate (tests)",
                id="background.E001",
            )
        ]
    if backend == "rq" and (problem := _redis_url_problem(settings.PORTH_REDIS_URL)):
        return [
            Error(
                f"PORTH_REDIS_URL is not a Redis URL: {problem}",
                hint="Set it like redis://127.0.0.1:6379/0 (rediss:// for TLS)",
                id="background.E002",
            )
        ]
    if backend == "immediate" and settings.PRODUCTION:
        return [
            Warning(
                "PORTH_TASKS=immediate runs background tasks inside the request that "
                "enqueues them: citizens wait while messages are sent",
                hint="Set PORTH_TASKS=database (or rq) and run `porth worker`",
                id="background.W001",
            )
        ]
    return []
