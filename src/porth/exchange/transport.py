"""One HTTP client for the process: making an httpx.Client costs ~90 ms (it loads the CA
bundle), more than a whole signed call, so calls share one (it is thread-safe and keeps
connections to partners open). Every request still carries its own timeout."""

from functools import cache

import httpx


@cache
def http() -> httpx.Client:
    # Accept-Encoding identity: a body's Content-Digest is over the bytes as sent, so the
    # answer should not be recompressed on the way.
    return httpx.Client(headers={"Accept-Encoding": "identity"}, timeout=10.0)
