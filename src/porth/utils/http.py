"""Request and response helpers for the pages every citizen sees."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.response import ResponseHeaders
from django.utils.cache import patch_vary_headers

type Prepared = list[tuple[str, tuple[str, str]]]


def prepare_headers(headers: Iterable[tuple[str, str]]) -> Prepared:
    """Headers checked once, as Django checks every header set on a response (ASCII names,
    Latin-1 values, no line breaks), for `add_headers` to set on many responses."""
    checked = ResponseHeaders(dict(headers))
    return [(name.lower(), (name, checked[name])) for name in checked]


def header_dict(response: HttpResponseBase) -> dict[str, tuple[str, str]]:
    """The response's headers as Django keeps them: lower-case name -> (name, value).

    Django checks a header's name and value each time one is set, and `name in headers`
    raises and catches a KeyError when it is absent: about 2 µs a header, and the security,
    caching, language and compression headers are a dozen on every page. Values that need
    no check (constants checked once by `prepare_headers`, digits, a header the response
    already had) can go straight in. `ResponseHeaders._store` is unchanged since Django 3.2;
    every test fails at once if it changes.
    """
    store: dict[str, tuple[str, str]] = response.headers._store
    return store


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


def add_headers(response: HttpResponseBase, headers: Prepared, *, replace: bool = True) -> None:
    """Set headers prepared by `prepare_headers` (see `header_dict` for why); with
    `replace=False`, only those the response has not got."""
    store = header_dict(response)
    if replace:
        store.update(headers)
        return
    for lower, pair in headers:
        if lower not in store:
            store[lower] = pair


# What Django's never_cache sets, as constants: it formats today's date for Expires and
# merges Cache-Control on every response, which showed in the profile of a question page.
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
EXPIRED = "Thu, 01 Jan 1970 00:00:00 GMT"
_NO_STORE = prepare_headers([("Cache-Control", NO_STORE), ("Expires", EXPIRED)])


def no_store[V: Callable[..., HttpResponse]](view: V) -> V:
    """Like `django.views.decorators.cache.never_cache`: browsers and proxies keep no copy
    (journey pages show personal data, and a back button must fetch them afresh)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        add_headers(response, _NO_STORE)
        return response

    return wrapped  # type: ignore[return-value]


MAX_HOSTS = 64  # allowed Host headers remembered; a server answers to a handful
_allowed_hosts: set[str] = set()


def checked_host(request: HttpRequest) -> str:
    """`request.get_host()`: the Host header, or DisallowedHost if ALLOWED_HOSTS does not
    allow it. Django checks it afresh each time (a regular expression, then each allowed
    pattern): 35,000 instructions, and CommonMiddleware and CSRF's origin check both ask on
    a POST. A header allowed once is remembered until the settings change; one refused never
    is, so it is refused every time, by Django."""
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
