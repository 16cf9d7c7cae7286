"""A lean load generator: virtual users on threads, each with its own connection and cookies.

It competes with the server for the CPU, so it does as little as it can: http.client with a
reused connection (reopened whenever the server closes it, as some servers do after
every response), no header parsing beyond what it needs, gzip inflated only when a caller
wants the HTML.
"""

import http.client
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class BenchError(RuntimeError):
    """Something answered wrongly: the benchmark reports it and exits non-zero."""


@dataclass
class Response:
    status: int
    location: str
    body: bytes  # as sent (gzip-compressed when the server compressed it)
    gzipped: bool

    def text(self) -> bytes:
        return zlib.decompress(self.body, 31) if self.gzipped else self.body

    def token(self) -> str:
        found = _TOKEN.search(self.text())
        if found is None:
            raise BenchError("no csrfmiddlewaretoken in the page")
        return found.group(1).decode()


def keep_cookie(cookies: dict[str, str], set_cookie: str) -> None:
    """What a browser does with a Set-Cookie header (enough of it for our own cookies)."""
    name, _, rest = set_cookie.partition("=")
    value = rest.split(";", 1)[0]
    if "Max-Age=0" in rest or not value or value == '""':
        cookies.pop(name, None)
    else:
        cookies[name] = value


@dataclass
class Samples:
    """What one virtual user saw: (end time, latency, kind) per request, and its journeys."""

    requests: list[tuple[float, float, str]] = field(default_factory=list)
    journeys: list[float] = field(default_factory=list)  # end times
    connections: int = 0
    errors: list[str] = field(default_factory=list)


class Client:
    def __init__(self, host: str, port: int, samples: Samples, *, gzip: bool = True) -> None:
        self.host, self.port, self.samples = host, port, samples
        self.cookies: dict[str, str] = {}
        self.gzip = gzip
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, body: str | None = None, kind: str | None = None
    ) -> Response:
        headers = {"Accept-Encoding": "gzip"} if self.gzip else {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        clock = time.perf_counter
        start = clock()
        for attempt in range(2):
            if self.conn is None or self.conn.sock is None:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.samples.connections += 1
            try:
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except _RETRYABLE:
                # The server closed a kept-alive connection between requests: reopen once.
                self.conn.close()
                if attempt:
                    raise
        end = clock()
        self.samples.requests.append((end, end - start, kind or method))
        for cookie in resp.headers.get_all("Set-Cookie") or ():
            keep_cookie(self.cookies, cookie)
        location = resp.getheader("Location") or ""
        if location.startswith("http"):
            parts = urlsplit(location)
            location = parts.path + (f"?{parts.query}" if parts.query else "")
        return Response(resp.status, location, data, resp.getheader("Content-Encoding") == "gzip")


def run_users(
    users: int,
    user: Callable[[int, Client, threading.Event], None],
    host: str,
    port: int,
    seconds: float,
    *,
    gzip: bool = True,
) -> list[Samples]:
    """Run `users` virtual users for `seconds` (each finishes its request in flight)."""
    stop = threading.Event()
    results = [Samples() for _ in range(users)]

    def body(index: int) -> None:
        client = Client(host, port, results[index], gzip=gzip)
        try:
            user(index, client, stop)
        except Exception as error:  # reported by the caller; one user's failure ends it
            results[index].errors.append(f"{type(error).__name__}: {error}")
        finally:
            client.close()

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    return results
