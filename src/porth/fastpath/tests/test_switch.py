"""PORTH_FAST_PATH chooses the optimisations; off, Porth runs on Django's own parts."""

import json
import os
import subprocess
import sys

import pytest

from porth import fastpath

ALL = set(fastpath.OPTIMISATIONS)


@pytest.mark.parametrize(
    ("value", "chosen"),
    [
        ("on", ALL),
        ("", set()),
        ("off", set()),
        ("all,-gzip", ALL - {"gzip"}),
        ("csrf, sql", {"csrf", "sql"}),
        ("ON,-Locals", ALL - {"locals"}),
    ],
)
def test_the_setting_turns_optimisations_on_and_off(value: str, chosen: set[str]) -> None:
    assert fastpath.parse(value) == chosen


def test_a_name_it_does_not_know_is_refused_naming_those_it_does() -> None:
    with pytest.raises(ValueError, match=r"'-gzipp' is not an optimisation.*gzip"):
        fastpath.parse("all,-gzipp")


SHOW = (
    "import json, porth.conf.settings as s; "
    "print(json.dumps({'middleware': s.MIDDLEWARE, 'sessions': s.SESSION_ENGINE, "
    "'silenced': s.SILENCED_SYSTEM_CHECKS}))"
)


def _settings(value: str) -> dict[str, list[str] | str]:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**os.environ, "PORTH_ENV": "test", "PORTH_FAST_PATH": value},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, list[str] | str] = json.loads(done.stdout)
    return found


def test_off_porth_runs_on_djangos_stock_middleware_and_sessions() -> None:
    found = _settings("off")
    assert not any("fastpath" in path for path in found["middleware"])
    assert found["middleware"][:4] == [
        "porth.utils.middleware.TrustedProxyMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    ]
    for stock in (
        "django.middleware.gzip.GZipMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert stock in found["middleware"]
    assert found["sessions"] == "django.contrib.sessions.backends.signed_cookies"
    assert found["silenced"] == ["axes.W006"]  # nothing of Django's is silenced


def test_on_only_the_warnings_for_middleware_it_stands_in_for_are_silenced() -> None:
    found = _settings("on")
    assert set(found["silenced"]) == {
        "axes.W006",
        "security.W001",
        "security.W002",
        "security.W003",
        "axes.W002",
    }
    assert _settings("all,-csrf,-staff_only_auth")["silenced"] == [
        "axes.W006",
        "security.W001",
        "security.W002",
    ]


def test_an_unknown_optimisation_stops_the_server_from_starting() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import porth.conf.settings"],
        env={**os.environ, "PORTH_ENV": "test", "PORTH_FAST_PATH": "all,-csfr"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "PORTH_FAST_PATH: '-csfr' is not an optimisation" in done.stderr


def test_a_test_that_overrides_the_setting_gets_what_it_asked_for(settings: object) -> None:
    settings.PORTH_FAST_PATH = frozenset({"gzip"})  # type: ignore[attr-defined]
    assert fastpath.on("gzip") and not fastpath.on("csrf")
