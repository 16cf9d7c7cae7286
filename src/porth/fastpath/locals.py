"""Faster stand-ins for the asgiref `Local`s that Django reads and writes on every request.

Django keeps its per-request state in `asgiref.local.Local`s: the database connections,
the caches, the active language, the URLconf and the script prefix. asgiref's are made to
work in async code too, and a sync request pays for that on every access: a lock, two or
three Python calls, and `asyncio.get_running_loop()` raising and catching an exception;
a look-up that finds nothing (`hasattr`, as `connections.all()` and `set_urlconf` do)
also builds an error message with the object's repr ("locals" in docs/performance.md).

These keep asgiref's behaviour, including in async code, and only do less:

- `ThreadCriticalLocal` (database connections): in a thread with no event loop running,
  a plain `threading.local`, which is what asgiref's uses there; with a loop running, it
  hands over to an asgiref `Local(thread_critical=True)` of its own.
- `ContextLocal` (the others): the data in a context variable as asgiref keeps it (a dict
  tagged with the thread that owns it, in asgiref's own `_Storage`, which asgiref's
  `sync_to_async` and `async_to_sync` move between threads), read and written without the
  lock, which guards nothing that a context variable does not (a context is never used by
  two threads at once).

`install()` puts them in place of Django's; `PorthConfig.ready()` calls it as Django starts,
before any request or connection.
"""

import threading
from asyncio import _get_running_loop  # the loop or None; get_running_loop() raises
from contextvars import ContextVar
from typing import Any

from asgiref import local as asgiref_local

_get_ident = threading.get_ident
_Storage = asgiref_local._Storage


class ThreadCriticalLocal:
    """`asgiref.local.Local(thread_critical=True)`, without its cost in a sync thread."""

    __slots__ = ("_async", "_sync")

    def __init__(self) -> None:
        object.__setattr__(self, "_sync", threading.local())
        object.__setattr__(self, "_async", asgiref_local.Local(thread_critical=True))

    def __getattr__(self, key: str) -> Any:
        return getattr(self._sync if _get_running_loop() is None else self._async, key)

    def __setattr__(self, key: str, value: Any) -> None:
        setattr(self._sync if _get_running_loop() is None else self._async, key, value)

    def __delattr__(self, key: str) -> None:
        delattr(self._sync if _get_running_loop() is None else self._async, key)


class ContextLocal:
    """`asgiref.local.Local()` (not thread-critical): the same storage, reached directly."""

    __slots__ = ("_var",)

    def __init__(self) -> None:
        object.__setattr__(self, "_var", ContextVar("porth.local"))

    def _data(self) -> dict[str, Any]:
        """This thread's data (none if the context came from another thread uninvited)."""
        storage = self._var.get(None)
        if storage is None or storage.thread_id != _get_ident():
            return {}
        data: dict[str, Any] = storage.data
        return data

    def __getattr__(self, key: str) -> Any:
        storage = self._var.get(None)
        if storage is not None and storage.thread_id == _get_ident():
            data = storage.data
            if key in data:
                return data[key]
        raise AttributeError(key)

    def __setattr__(self, key: str, value: Any) -> None:
        # Copied, never changed in place: a context copied from this one (a task, a
        # sync_to_async call) keeps the data it was given.
        data = {**self._data(), key: value}
        self._var.set(_Storage(_get_ident(), data))

    def __delattr__(self, key: str) -> None:
        data = self._data()
        if key not in data:
            raise AttributeError(key)
        self._var.set(_Storage(_get_ident(), {k: v for k, v in data.items() if k != key}))


def install() -> None:
    """Swap Django's request-scoped Locals for these. Call before any request is served:
    whatever the old ones held is left behind (Django holds nothing in them at start-up)."""
    from django.core.cache import caches
    from django.db import connections
    from django.urls import base as urls
    from django.utils.translation import trans_real

    # Private names, the same since Django 3.0; test_locals checks they are still used.
    connections._connections = ThreadCriticalLocal()  # type: ignore[attr-defined]
    caches._connections = ContextLocal()  # type: ignore[attr-defined]
    urls._prefixes = ContextLocal()  # type: ignore[attr-defined]
    urls._urlconfs = ContextLocal()  # type: ignore[attr-defined]
    trans_real._active = ContextLocal()  # type: ignore[attr-defined]
