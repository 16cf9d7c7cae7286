"""The faster Locals behave as asgiref's do, in sync threads and across async code."""

import asyncio
import contextvars
import threading
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.local import Local
from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import caches
from django.db import connections
from django.urls import base as urls
from django.urls import get_script_prefix, reverse, set_script_prefix, set_urlconf
from django.utils import translation
from django.utils.translation import trans_real

from porth.fastpath.locals import ContextLocal, ThreadCriticalLocal


def _in_thread(function: Callable[[], Any]) -> Any:
    """`function()` run in a new thread: one with no event loop, whatever this one has (the
    browser tests' Playwright leaves one running in the main thread)."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(function())
        except BaseException as error:  # raised again in the caller's thread
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def _get(local: Any, key: str = "value") -> Any:
    return getattr(local, key, "(none)")


def _scenarios(local: Any) -> list[Any]:
    """What code sees of a Local as asgiref documents it, in sync and async code."""
    seen: list[Any] = [_get(local)]
    local.value = "sync"
    seen.append(_get(local))
    seen.append(_in_thread(lambda: _get(local)))  # another thread: its own
    seen.append(hasattr(local, "missing"))

    async def read() -> Any:
        return _get(local)

    seen.append(async_to_sync(read)())  # async code called from this thread

    async def write_then_call_sync() -> Any:
        local.value = "async"
        return await sync_to_async(lambda: _get(local))()

    seen.append(async_to_sync(write_then_call_sync)())
    seen.append(_get(local))  # after the async code set its own value

    async def tasks() -> Any:
        local.value = "parent"

        async def child() -> Any:
            local.value = "child"
            return _get(local)

        seen_in_child = await asyncio.create_task(child())
        return seen_in_child, _get(local)  # a task's change stays in the task

    seen.append(asyncio.run(tasks()))

    def in_copy() -> Any:
        local.value = "copy"
        return _get(local)

    seen.append(contextvars.copy_context().run(in_copy))
    seen.append(_get(local))  # a copied context's change stays in it
    del local.value
    seen.append(_get(local))
    with pytest.raises(AttributeError):
        del local.value
    return seen


def test_context_local_behaves_as_asgiref_local() -> None:
    ours = _in_thread(lambda: _scenarios(ContextLocal()))

    assert ours == _in_thread(lambda: _scenarios(Local()))
    assert ours[:3] == ["(none)", "sync", "(none)"]
    assert ours[4] == "sync"  # visible to async code run from this thread


def test_thread_critical_local_behaves_as_asgiref_local() -> None:
    ours = _in_thread(lambda: _scenarios(ThreadCriticalLocal()))

    assert ours == _in_thread(lambda: _scenarios(Local(thread_critical=True)))
    assert ours[:3] == ["(none)", "sync", "(none)"]
    assert ours[4] == "(none)"  # thread-critical: async code has its own


@pytest.mark.fast_path("locals")
def test_django_keeps_its_request_state_in_them() -> None:
    """Not only put in place: what Django sets lands in them (were Django to rename one of
    its private names, install() would set an attribute nobody reads, and this would fail)."""
    connection = connections._connections  # type: ignore[attr-defined]
    assert isinstance(connection, ThreadCriticalLocal)
    assert getattr(connection, "default") is connections["default"]  # noqa: B009
    local_caches = caches._connections  # type: ignore[attr-defined]
    assert isinstance(local_caches, ContextLocal)
    assert getattr(local_caches, "default") is caches["default"]  # noqa: B009
    active = trans_real._active  # type: ignore[attr-defined]
    with translation.override("cy"):
        assert isinstance(active, ContextLocal) and active.value.language() == "cy"
    prefixes, urlconfs = urls._prefixes, urls._urlconfs  # type: ignore[attr-defined]
    set_script_prefix("/porth/")
    set_urlconf("porth.urls")
    try:
        assert isinstance(prefixes, ContextLocal) and prefixes.value == "/porth/"
        assert isinstance(urlconfs, ContextLocal) and urlconfs.value == "porth.urls"
    finally:
        set_script_prefix("/")
        set_urlconf(None)


def test_language_and_script_prefix_are_per_thread() -> None:
    with translation.override("cy"):
        assert translation.get_language() == "cy"
        assert _in_thread(translation.get_language) == "en"
    set_script_prefix("/porth/")
    try:
        assert reverse("catalogue") == "/porth/"
        assert _in_thread(get_script_prefix) == "/"
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
def test_each_thread_has_its_own_database_connection() -> None:
    mine = connections["default"]

    assert _in_thread(lambda: connections["default"]) is not mine
    assert connections["default"] is mine


def test_with_an_event_loop_running_the_thread_critical_local_is_asgiref_s() -> None:
    async def inside() -> list[Any]:
        ours, theirs = ThreadCriticalLocal(), Local(thread_critical=True)
        for local in (ours, theirs):
            local.value = "in the loop"
        return [_get(ours), _get(theirs), _in_thread(lambda: (_get(ours), _get(theirs)))]

    assert _in_thread(lambda: asyncio.run(inside())) == [
        "in the loop",
        "in the loop",
        ("(none)", "(none)"),
    ]
