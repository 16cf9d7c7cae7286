"""The background app's public API: register a periodic task.

    from porth.background.service import periodic
    periodic("submissions.expire_saved_journeys", every=timedelta(hours=1), task=expire_task)

`task` is a django.tasks Task taking no arguments. The scheduler (run by every `porth worker`)
enqueues each due task once, whatever the number of workers and machines.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: Task


_periodic: dict[str, Periodic] = {}


def periodic(name: str, *, every: timedelta, task: Task) -> None:
    """Run `task` every `every` (registered from an AppConfig.ready())."""
    if name in _periodic and _periodic[name].task is not task:
        raise ValueError(f"a periodic task named {name!r} is already registered")
    _periodic[name] = Periodic(name, every, task)


def registered() -> dict[str, Periodic]:
    return dict(_periodic)


__all__ = ["Periodic", "periodic", "registered"]
