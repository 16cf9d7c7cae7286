"""Porth's fast path: the only code that relies on private or undocumented names of Django,
asgiref or another library, in exchange for a measured share of every request's CPU.

Each optimisation is listed below with what it replaces and the private names it relies
on; docs/performance.md has what each buys. `PORTH_FAST_PATH` (read in porth.conf.settings)
chooses which run:

- ``on`` (the default) or ``all``: every one;
- ``off`` or ``none``: none, so Porth runs on plain, documented Django (its stock middleware,
  sessions, database backend and ORM);
- a list: ``all,-gzip`` (every one but GZip), or ``csrf,sql`` (only those).

An upgrade of Django can ship with ``PORTH_FAST_PATH=off`` while the fast path is checked
again: the same tests pass in both modes (.ci/run runs them both). At start-up each
optimisation that is on checks that the private names it relies on are still there, as it
expects them (porth.fastpath.checks): a system check error names the optimisation, the
name and the version of the library, instead of the optimisation silently doing the wrong
thing.

This module is read by the settings, so it imports nothing that needs them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Optimisation:
    name: str
    does: str  # what it does instead, in a line
    replaces: str  # the plain Django (or library) way it stands in for
    private: tuple[str, ...]  # the private or undocumented names it relies on


OPTIMISATIONS = {
    o.name: o
    for o in [
        Optimisation(
            "locals",
            "keeps Django's per-request state (connections, caches, language, URLconf, script "
            "prefix) in locals that do asgiref's work without its lock in a sync thread",
            "asgiref.local.Local",
            (
                "asgiref.local._Storage",
                "ConnectionHandler._connections",
                "CacheHandler._connections",
                "django.urls.base._prefixes",
                "django.urls.base._urlconfs",
                "django.utils.translation.trans_real._active",
            ),
        ),
        Optimisation(
            "host",
            "remembers the Host headers ALLOWED_HOSTS allowed, so CommonMiddleware and "
            "CSRF's origin check do not check it again on every request",
            "HttpRequest.get_host() (a regular expression, then every allowed pattern)",
            ("HttpRequest._get_raw_host", "CsrfViewMiddleware._origin_verified"),
        ),
        Optimisation(
            "csrf",
            "draws the CSRF mask with one call for randomness, and checks the usual POST "
            "(a well-formed cookie and a matching masked token) as whole strings",
            "django.middleware.csrf.CsrfViewMiddleware and get_token",
            (
                "CsrfViewMiddleware._get_secret",
                "CsrfViewMiddleware._check_token",
                "request.META['CSRF_COOKIE'] and ['CSRF_COOKIE_NEEDS_UPDATE']",
            ),
        ),
        Optimisation(
            "headers",
            "sets response headers checked once at start-up straight into the response",
            "HttpResponse.headers[name] = value (checked on every set)",
            ("ResponseHeaders._store",),
        ),
        Optimisation(
            "security_headers",
            "sends every security header from one middleware, worked out at start-up",
            "django.middleware.security.SecurityMiddleware, XFrameOptionsMiddleware and "
            "ContentSecurityPolicyMiddleware",
            ("HttpResponse._csp_config", "HttpResponse._csp_ro_config"),
        ),
        Optimisation(
            "gzip",
            "compresses pages with Intel's ISA-L instead of zlib, as Django's middleware "
            "does otherwise",
            "django.middleware.gzip.GZipMiddleware",
            (),
        ),
        Optimisation(
            "staff_only_auth",
            "runs authentication, django-otp, staff session limits and django-axes only for "
            "staff requests",
            "the same four middleware on every request",
            ("django.core.handlers.exception.convert_exception_to_response",),
        ),
        Optimisation(
            "sessions",
            "remembers the session cookies a worker has checked, instead of checking their "
            "signatures on every request",
            "django.contrib.sessions.backends.signed_cookies",
            ("django.core.signing.b62_decode",),
        ),
        Optimisation(
            "postgresql",
            "checks a PostgreSQL connection's health only after it has been idle for a second",
            "django.db.backends.postgresql (a SELECT 1 before every request's first query)",
            (
                "DatabaseWrapper.close_if_health_check_failed",
                "DatabaseWrapper.health_check_enabled",
                "DatabaseWrapper.health_check_done",
            ),
        ),
        Optimisation(
            "sql",
            "writes the hot path's few queries (journeys, the audit head, a submission's "
            "definition version and queue) once as SQL, runs them on one kept cursor per "
            "connection, and inserts rows with an INSERT composed once",
            "the same queries through the ORM, and Model.save()",
            (
                "BaseDatabaseWrapper.queries_logged",
                "BaseDatabaseWrapper.close_if_health_check_failed",
                "BaseDatabaseWrapper.connection",
                "connection.ops.quote_name",
                "connection.ops.adapt_datetimefield_value",
                "connection.features.has_select_for_update",
            ),
        ),
        Optimisation(
            "journey_memory",
            "keeps the journeys a worker read or wrote lately, so the page after an answer "
            "needs no query, and reads and writes them with statements composed once",
            "Journey.objects queries on every page",
            (),
        ),
        Optimisation(
            "shells",
            "renders what is the same for every citizen (a page around its slots, a blank "
            "question, a check-your-answers row) once, and fills in each citizen's parts",
            "rendering the whole page's templates on every request",
            (),
        ),
    ]
}

ON = ("on", "all", "1", "true", "yes")
OFF = ("off", "none", "0", "false", "no", "")


def parse(value: str) -> frozenset[str]:
    """The optimisations `PORTH_FAST_PATH` turns on (see the module's docstring); a
    ValueError names anything it does not know."""
    words = [word.strip().lower() for word in value.split(",")]
    chosen: set[str] = set()
    for word in words:
        if word in ON:
            chosen |= OPTIMISATIONS.keys()
        elif word in OFF:
            continue
        elif word.startswith("-") and word[1:] in OPTIMISATIONS:
            chosen.discard(word[1:])
        elif word in OPTIMISATIONS:
            chosen.add(word)
        else:
            known = ", ".join(OPTIMISATIONS)
            raise ValueError(
                f"PORTH_FAST_PATH: {word!r} is not an optimisation; use on, off, or a "
                f"list of these (each may have a '-' before it to leave it out): {known}"
            )
    return frozenset(chosen)


def on(name: str) -> bool:
    """Whether the optimisation `name` runs (settings.PORTH_FAST_PATH)."""
    return name in _chosen()


@cache
def _chosen() -> frozenset[str]:
    from django.conf import settings

    chosen: Iterable[str] = getattr(settings, "PORTH_FAST_PATH", OPTIMISATIONS.keys())
    unknown = set(chosen) - OPTIMISATIONS.keys()
    if unknown:
        raise ValueError(f"PORTH_FAST_PATH: unknown optimisations {sorted(unknown)}")
    return frozenset(chosen)


def forget() -> None:
    """Read the setting again (tests that override it)."""
    _chosen.cache_clear()
