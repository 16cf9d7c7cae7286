"""The PostgreSQL backend's health check: skipped for a connection used a moment ago, made
(and the connection replaced) after an idle second. Runs on PostgreSQL only."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

if connection.vendor != "postgresql":  # pragma: no cover - the SQLite run
    pytest.skip("PostgreSQL's connection checks", allow_module_level=True)

from porth.fastpath.postgresql import base  # noqa: E402 - needs psycopg


@pytest.fixture
def wrapper() -> Iterator[base.DatabaseWrapper]:
    """A connection of its own, as a server worker holds one from request to request."""
    own = base.DatabaseWrapper({**connection.settings_dict, "CONN_HEALTH_CHECKS": True}, "own")
    yield own
    own.close()


def _request(wrapper: base.DatabaseWrapper) -> int:
    """What Django does around a request, and the backend pid that served its query."""
    wrapper.close_if_unusable_or_obsolete()  # request_started
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid: int = cursor.fetchone()[0]
    finally:
        wrapper.close_if_unusable_or_obsolete()  # request_finished
    return pid


def _drop(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits for it to go


def _spy(wrapper: base.DatabaseWrapper, monkeypatch: Any) -> list[bool]:
    checks: list[bool] = []
    real = wrapper.is_usable

    def is_usable() -> bool:
        checks.append(usable := real())
        return usable

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return checks


def test_a_connection_used_a_moment_ago_is_not_checked(
    wrapper: base.DatabaseWrapper, monkeypatch: Any
) -> None:
    first = _request(wrapper)
    checks = _spy(wrapper, monkeypatch)
    assert [_request(wrapper) for _ in range(3)] == [first] * 3
    assert checks == []


def test_an_idle_connection_is_checked_and_replaced_if_the_database_dropped_it(
    wrapper: base.DatabaseWrapper, monkeypatch: Any
) -> None:
    first = _request(wrapper)
    checks = _spy(wrapper, monkeypatch)
    _drop(first)
    wrapper._last_used -= base.IDLE_BEFORE_CHECK  # a second goes by
    second = _request(wrapper)
    assert checks == [False] and second != first


def test_a_connection_dropped_while_busy_fails_one_request_only(
    wrapper: base.DatabaseWrapper,
) -> None:
    first = _request(wrapper)
    _drop(first)
    with pytest.raises(OperationalError):
        _request(wrapper)
    assert _request(wrapper) != first
