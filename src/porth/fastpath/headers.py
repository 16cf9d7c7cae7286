"""Response headers set without Django's per-header checks, and the Host header checked once.

Django checks a header's name and value each time one is set, and `name in headers` raises
and catches a KeyError when it is absent; the security, caching, language and compression
headers are a dozen on every page. Headers checked once (by `porth.utils.http.prepare_headers`)
go straight into `ResponseHeaders._store` here ("headers"). Django's `get_host()` checks the
Host header afresh each time; `checked_host` remembers the values it allowed ("host").
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers

type Prepared = list[tuple[str, tuple[str, str]]]


def header_dict(response: HttpResponseBase) -> dict[str, tuple[str, str]]:
    """The response's headers as Django keeps them: lower-case name -> (name, value)."""
    store: dict[str, tuple[str, str]] = response.headers._store
    return store


def add_headers(response: HttpResponseBase, headers: Prepared, *, replace: bool) -> None:
    store = header_dict(response)
    if replace:
        store.update(headers)
        return
    for lower, pair in headers:
        if lower not in store:
            store[lower] = pair


def add_vary(response: HttpResponseBase, name: str) -> None:
    """`patch_vary_headers(response, [name])`, with the usual cases worked out once."""
    store = header_dict(response)
    found = store.get("vary")
    key = (found[1] if found else "", name)
    value = _vary.get(key)
    if value is None:
        scratch = HttpResponse()
        if found:
            scratch.headers["Vary"] = found[1]
        patch_vary_headers(scratch, (name,))
        value = scratch.headers["Vary"]
        if len(_vary) < 100:  # Vary values are the application's own: a handful
            _vary[key] = value
    store["vary"] = ("Vary", value)


_vary: dict[tuple[str, str], str] = {}

MAX_HOSTS = 64  # allowed Host headers remembered; a server answers to a handful
_allowed_hosts: set[str] = set()


def checked_host(request: HttpRequest) -> str:
    """`request.get_host()`: the Host header, or DisallowedHost if ALLOWED_HOSTS does not
    allow it. A header allowed once is remembered until the settings change; one refused
    never is, so it is refused every time, by Django."""
    raw: str = request._get_raw_host()  # type: ignore[attr-defined]
    if raw in _allowed_hosts:
        return raw
    host = request.get_host()
    if len(_allowed_hosts) < MAX_HOSTS:
        _allowed_hosts.add(host)
    return host


@receiver(setting_changed)
def _forget_hosts(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT"}:
        _allowed_hosts.clear()
