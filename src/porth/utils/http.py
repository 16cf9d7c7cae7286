"""Response headers for the pages every citizen sees."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.http.response import ResponseHeaders
from django.utils.cache import patch_vary_headers

from porth import fastpath
from porth.fastpath import headers as fast
from porth.fastpath.headers import Prepared


def prepare_headers(headers: Iterable[tuple[str, str]]) -> Prepared:
    """Headers checked once, as Django checks every header set on a response (ASCII names,
    Latin-1 values, no line breaks), for `add_headers` to set on many responses."""
    checked = ResponseHeaders(dict(headers))
    return [(name.lower(), (name, checked[name])) for name in checked]


def add_headers(response: HttpResponseBase, headers: Prepared, *, replace: bool = True) -> None:
    """Set headers prepared by `prepare_headers`; with `replace=False`, only those the
    response has not got."""
    if fastpath.on("headers"):
        fast.add_headers(response, headers, replace=replace)
        return
    for _lower, (name, value) in headers:
        if replace or name not in response.headers:
            response.headers[name] = value


def add_vary(response: HttpResponseBase, name: str) -> None:
    """`patch_vary_headers(response, [name])`."""
    if fastpath.on("headers"):
        fast.add_vary(response, name)
    else:
        patch_vary_headers(response, (name,))


# What Django's never_cache sets, as constants: it formats today's date for Expires and
# merges Cache-Control on every response.
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
