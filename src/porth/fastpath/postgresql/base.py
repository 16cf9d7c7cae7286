"""Django's PostgreSQL backend, checking a connection only when it has been idle.

Django's health check (CONN_HEALTH_CHECKS) sends a `SELECT 1` before the first query of every
request, so that a connection the database dropped (a restart, a failover, an idle timeout)
is replaced instead of failing a citizen's request. Under load that is a round trip on every
page, and a question page makes only one or two queries of its own ("postgresql" in
docs/performance.md). A connection used less than a second ago is
all but certainly alive, so it is checked only after an idle second. If the database goes
away in that second, the request fails as any request in flight at that moment would, and
Django drops the connection when the request ends (`errors_occurred`).
"""

import time

from django.db.backends.postgresql import base

IDLE_BEFORE_CHECK = 1.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_enabled: bool  # Django's own attributes, which its stubs leave out
    health_check_done: bool
    _last_used = float("-inf")

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        now = time.monotonic()
        if now - self._last_used < IDLE_BEFORE_CHECK:
            self.health_check_done = True  # used a moment ago: skip the round trip
        else:
            super().close_if_health_check_failed()
        self._last_used = now

    def connect(self) -> None:
        super().connect()
        self._last_used = time.monotonic()
