"""Django's signed-cookie sessions, with the cookies already checked remembered.

Checking a session cookie's signature and decoding it is a noticeable share of every
request ("sessions" in docs/performance.md). A citizen's browser sends the same cookie back
until the session changes, which is rarely (a new journey), so each worker keeps the decoded
sessions of the cookies it has checked, keyed by the exact cookie text, in a bounded LRU.
Only text that passed Django's check is kept, and an identical text carries an identical
signature, so nothing is trusted that was not checked; the age limit is still applied to a
remembered cookie, from the time signed in it. Each request gets its own copy of the data.

Use it as SESSION_ENGINE = "porth.fastpath.sessions" (settings.py does, with the fast path).
"""

import threading
import time
from collections import OrderedDict
from typing import Any

from django.contrib.sessions.backends import signed_cookies
from django.core import signing

MAX_KEPT = 10_000  # per worker; a session is a few hundred bytes

_checked: OrderedDict[str, tuple[bytes, int]] = OrderedDict()  # cookie -> (payload, signed at)
_lock = threading.Lock()


def _signed_at(cookie: str) -> int:
    value, _, _signature = cookie.rpartition(":")
    return signing.b62_decode(value.rpartition(":")[2])


class SessionStore(signed_cookies.SessionStore):
    def load(self) -> dict[str, Any]:
        cookie = self.session_key
        if cookie:
            with _lock:
                found = _checked.get(cookie)
                if found is not None:
                    _checked.move_to_end(cookie)
            if found is not None and time.time() - found[1] <= self.get_session_cookie_age():
                data: dict[str, Any] = self.serializer().loads(found[0])
                return data
        data = super().load()
        if cookie and self.session_key == cookie and data:  # checked, and not reset
            entry = (self.serializer().dumps(data), _signed_at(cookie))
            with _lock:
                _checked[cookie] = entry
                while len(_checked) > MAX_KEPT:
                    _checked.popitem(last=False)
        return data
