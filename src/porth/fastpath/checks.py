"""Start-up checks: every private name an optimisation that is on relies on is still there
and behaves as it expects, and Django's own checks still see the middleware the fast path
stands in for.

A probe that fails is an error naming the optimisation, the name and the library's version,
with the way out: turn the optimisation off (``PORTH_FAST_PATH=all,-NAME``) until it is
checked against the new version. Django refuses to serve with an error-level check failing
(`runserver`, `check`, `migrate`, and `porth run`, which runs the checks first).
"""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register, run_checks

from . import OPTIMISATIONS, on

# The versions every probe below was last checked against (docs/performance.md).
CHECKED_AGAINST = {"django": "6.1.3", "asgiref": "3.13.0"}


def _params(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def _locals() -> None:
    from asgiref import local as asgiref_local
    from django.core.cache import caches
    from django.db import connections
    from django.urls import base as urls
    from django.utils.translation import trans_real

    storage = asgiref_local._Storage(1, {"key": "value"})
    assert (storage.thread_id, storage.data) == (1, {"key": "value"}), "asgiref's _Storage"
    for owner, name in [
        (connections, "_connections"),
        (caches, "_connections"),
        (urls, "_prefixes"),
        (urls, "_urlconfs"),
        (trans_real, "_active"),
    ]:
        assert hasattr(owner, name), f"{getattr(owner, '__name__', type(owner).__name__)}.{name}"


def _host() -> None:
    from django.http import HttpRequest
    from django.middleware.csrf import CsrfViewMiddleware

    request = HttpRequest()
    request.META["HTTP_HOST"] = "example.org"
    assert request._get_raw_host() == "example.org", "HttpRequest._get_raw_host()"  # type: ignore[attr-defined]
    assert _params(CsrfViewMiddleware._origin_verified) == ["self", "request"], (  # type: ignore[attr-defined]
        "CsrfViewMiddleware._origin_verified(self, request)"
    )


def _csrf() -> None:
    from django.http import HttpRequest
    from django.middleware import csrf as django_csrf

    from .csrf import _random_chars, token

    for name in ("_get_secret", "_check_token"):
        method = getattr(django_csrf.CsrfViewMiddleware, name, None)
        assert method is not None and _params(method) == ["self", "request"], (
            f"CsrfViewMiddleware.{name}(self, request)"
        )
    # A token made here is one Django reads back as the cookie's secret.
    request = HttpRequest()
    secret = _random_chars(django_csrf.CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE"] = secret
    made = token(request)
    assert django_csrf._unmask_cipher_token(made) == secret, "Django's CSRF token format"  # type: ignore[attr-defined]


def _headers() -> None:
    from django.http import HttpResponse

    response = HttpResponse(headers={"X-Probe": "1"})
    store = getattr(response.headers, "_store", None)
    assert isinstance(store, dict) and store.get("x-probe") == ("X-Probe", "1"), (
        "ResponseHeaders._store (lower-case name -> (name, value))"
    )


def _security_headers() -> None:
    from django.http import HttpResponse
    from django.views.decorators.csp import csp_override, csp_report_only_override

    view = csp_report_only_override({})(csp_override({})(lambda request: HttpResponse()))
    response = view(None)
    for name in ("_csp_config", "_csp_ro_config"):
        assert hasattr(response, name), f"csp_override's response attribute {name}"


def _staff_only_auth() -> None:
    from django.core.handlers.exception import convert_exception_to_response

    assert _params(convert_exception_to_response) == ["get_response"], (
        "django.core.handlers.exception.convert_exception_to_response(get_response)"
    )


def _sessions() -> None:
    from django.core import signing

    assert signing.b62_decode(signing.b62_encode(123456)) == 123456, "signing.b62_decode"


def _connection_probe(*names: str) -> Callable[[], None]:
    def probe() -> None:
        from django.db import connections

        connection = connections["default"]
        for name in names:
            assert hasattr(connection, name), f"{type(connection).__name__}.{name}"
        if "ops" in names:
            for name in ("quote_name", "adapt_datetimefield_value"):
                assert hasattr(connection.ops, name), f"connection.ops.{name}"
            assert hasattr(connection.features, "has_select_for_update"), (
                "connection.features.has_select_for_update"
            )

    return probe


PROBES: dict[str, Callable[[], None]] = {
    "locals": _locals,
    "host": _host,
    "csrf": _csrf,
    "headers": _headers,
    "security_headers": _security_headers,
    "staff_only_auth": _staff_only_auth,
    "sessions": _sessions,
    "postgresql": _connection_probe(
        "close_if_health_check_failed", "health_check_enabled", "health_check_done"
    ),
    "sql": _connection_probe(
        "queries_logged", "close_if_health_check_failed", "connection", "ops", "features"
    ),
}


def _library_versions() -> str:
    return ", ".join(f"{name} {version(name)}" for name in CHECKED_AGAINST)


@register()
def private_names(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name, probe in PROBES.items():
        if not on(name):
            continue
        try:
            probe()
        except Exception as error:  # AssertionError, or the name gone (AttributeError…)
            what = str(error) or type(error).__name__
            errors.append(
                Error(
                    f"Fast-path optimisation {name!r} relies on {what}, which is missing or "
                    f"has changed in this version ({_library_versions()}; checked against "
                    f"{', '.join(f'{k} {v}' for k, v in CHECKED_AGAINST.items())})",
                    hint=(
                        f"Run with PORTH_FAST_PATH=all,-{name} (or off) until it is checked "
                        f"again: {OPTIMISATIONS[name].replaces} does the same work"
                    ),
                    id="porth.E010",
                )
            )
    return errors


# What each fast-path middleware stands in for. Django's and django-axes' checks look for
# their middleware by name in MIDDLEWARE; settings.py silences just those "not installed"
# warnings while the fast path stands in, and the checks below run theirs as if it did not.
STANDS_FOR = {
    "porth.fastpath.middleware.SecurityHeadersMiddleware": [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    ],
    "porth.fastpath.middleware.CommonMiddleware": ["django.middleware.common.CommonMiddleware"],
    "porth.fastpath.middleware.GZipMiddleware": ["django.middleware.gzip.GZipMiddleware"],
    "porth.fastpath.csrf.CsrfViewMiddleware": ["django.middleware.csrf.CsrfViewMiddleware"],
}


def stock_middleware() -> list[str]:
    """settings.MIDDLEWARE with each fast-path middleware replaced by what it stands for."""
    stock: list[str] = []
    for path in settings.MIDDLEWARE:
        if path == "porth.fastpath.staff.StaffMiddleware":
            stock += settings.PORTH_STAFF_MIDDLEWARE
        else:
            stock += STANDS_FOR.get(path, [path])
    return stock


_running = False


@contextmanager
def _as_if(middleware: list[str] | None) -> Iterator[None]:
    global _running
    saved = settings.MIDDLEWARE
    _running = True
    if middleware is not None:
        settings.MIDDLEWARE = middleware
    try:
        yield
    finally:
        settings.MIDDLEWARE = saved
        _running = False


def _differences(deploy: bool) -> list[CheckMessage]:
    """What the checks say with the stock middleware that they do not say with ours."""
    with _as_if(None):
        ours = run_checks(include_deployment_checks=deploy)
    with _as_if(stock_middleware()):
        stock = run_checks(include_deployment_checks=deploy)
    return [message for message in stock if message not in ours]


@register(Tags.security)
def as_if_stock(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if _running or stock_middleware() == list(settings.MIDDLEWARE):
        return []
    return _differences(deploy=False)


@register(Tags.security, deploy=True)
def as_if_stock_deploy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if _running or stock_middleware() == list(settings.MIDDLEWARE):
        return []
    already = _differences(deploy=False)  # reported by as_if_stock
    return [message for message in _differences(deploy=True) if message not in already]
