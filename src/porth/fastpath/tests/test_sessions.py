"""Remembered session cookies: only ones that passed the signature check, still age-limited."""

from unittest import mock

from django.core import signing
from django.test import override_settings

from porth.fastpath import sessions
from porth.fastpath.sessions import SessionStore


def _cookie(data: dict[str, object]) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return str(store.session_key)


def test_a_cookie_checked_once_is_not_checked_again() -> None:
    cookie = _cookie({"journeys": {"a-service": "abc"}})
    assert SessionStore(cookie).load() == {"journeys": {"a-service": "abc"}}
    with mock.patch.object(signing, "loads", side_effect=AssertionError("checked again")):
        assert SessionStore(cookie).load() == {"journeys": {"a-service": "abc"}}


def test_each_request_gets_its_own_copy() -> None:
    cookie = _cookie({"journeys": {"a-service": "abc"}})
    first = SessionStore(cookie).load()
    first["journeys"]["a-service"] = "changed"
    assert SessionStore(cookie).load() == {"journeys": {"a-service": "abc"}}


def test_a_tampered_cookie_is_refused_and_not_remembered() -> None:
    cookie = _cookie({"journeys": {"a-service": "abc"}})
    forged = ("A" if cookie[0] != "A" else "B") + cookie[1:]  # the data changed, not the signature
    assert SessionStore(forged).load() == {}
    assert forged not in sessions._checked


def test_a_remembered_cookie_still_expires() -> None:
    cookie = _cookie({"journeys": {"a-service": "abc"}})
    assert SessionStore(cookie).load()
    assert cookie in sessions._checked
    with override_settings(SESSION_COOKIE_AGE=-1):
        assert SessionStore(cookie).load() == {}


def test_the_number_remembered_is_bounded() -> None:
    with mock.patch.object(sessions, "MAX_KEPT", 3):
        cookies = [_cookie({"n": n}) for n in range(5)]
        for cookie in cookies:
            SessionStore(cookie).load()
        assert len(sessions._checked) <= 3
        assert cookies[-1] in sessions._checked and cookies[0] not in sessions._checked
