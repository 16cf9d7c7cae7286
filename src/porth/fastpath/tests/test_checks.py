"""At start-up, an optimisation whose private names are gone or changed fails loudly, and
Django's own deployment checks still see through the middleware the fast path stands in for."""

import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from asgiref import local as asgiref_local
from django.http import HttpRequest
from django.http.response import ResponseHeaders
from django.middleware.csrf import CsrfViewMiddleware

from porth.fastpath import checks


def _errors() -> list[str]:
    return [f"{m.id}: {m.msg} / {m.hint}" for m in checks.private_names(None)]


@pytest.mark.fast_path("locals", "host", "csrf", "headers", "security_headers", "sessions")
def test_the_private_names_are_there_as_expected() -> None:
    assert _errors() == []


@pytest.mark.fast_path("locals")
def test_a_private_name_gone_is_an_error_naming_the_optimisation_and_version(
    monkeypatch: Any,
) -> None:
    monkeypatch.delattr(asgiref_local, "_Storage")
    errors = _errors()
    assert len(errors) == 1
    assert "porth.E010: Fast-path optimisation 'locals' relies on" in errors[0]
    assert "asgiref 3." in errors[0] and "checked against django 6.1.3" in errors[0]
    assert "PORTH_FAST_PATH=all,-locals" in errors[0]


@pytest.mark.fast_path("csrf", "host")
def test_a_changed_signature_is_an_error(monkeypatch: Any) -> None:
    monkeypatch.setattr(CsrfViewMiddleware, "_check_token", lambda self, request, strict: None)
    monkeypatch.setattr(HttpRequest, "_get_raw_host", lambda self: "elsewhere")
    errors = _errors()
    assert any("'csrf' relies on CsrfViewMiddleware._check_token" in e for e in errors)
    assert any("'host' relies on HttpRequest._get_raw_host()" in e for e in errors)


@pytest.mark.fast_path("headers")
def test_a_changed_header_store_is_an_error(monkeypatch: Any) -> None:
    original = ResponseHeaders.__init__

    def elsewhere(self: ResponseHeaders, data: Any) -> None:
        original(self, data)
        self._store = {k: v[1] for k, v in self._store.items()}  # type: ignore[misc]

    monkeypatch.setattr(ResponseHeaders, "__init__", elsewhere)
    assert any("'headers' relies on ResponseHeaders._store" in e for e in _errors())


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    production = {
        "PORTH_ENV": "production",
        "PORTH_SECRET_KEY": secrets.token_urlsafe(60),
        "PORTH_ALLOWED_HOSTS": "porth.example",
        "PORTH_TRUSTED_PROXIES": "10.0.0.0/24",
        "PORTH_ENCRYPTION_KEYS": "k1:cG9ydGgtZGV2LW9ubHktbm90LWEtc2VjcmV0LWtleSE=",
        "PORTH_INDEX_KEY": "k1:cG9ydGgtZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5ISE=",
        "PORTH_AUDIT_KEY": "k1:cG9ydGgtZGV2LW9ubHktYXVkaXQtbG9nLWtleSEhISE=",
        # GOV.UK Notify, production's channel: a key in its format, and its two templates.
        "PORTH_NOTIFY_API_KEY": "porth-11111111-1111-4111-8111-111111111111-"
        "22222222-2222-4222-8222-222222222222",
        "PORTH_NOTIFY_EMAIL_TEMPLATE_ID": "33333333-3333-4333-8333-333333333333",
        "PORTH_NOTIFY_SMS_TEMPLATE_ID": "44444444-4444-4444-8444-444444444444",
        "PORTH_NOTIFY_CALLBACK_TOKEN": secrets.token_urlsafe(30),
        "DJANGO_SETTINGS_MODULE": "porth.conf.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    # The browser tests' Playwright needs DJANGO_ALLOW_ASYNC_UNSAFE, which production refuses.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**inherited, **production, **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("fast_path", ["on", "off"])
def test_the_deployment_checks_are_clean_in_production(fast_path: str) -> None:
    done = _check_deploy(PORTH_FAST_PATH=fast_path)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("fast_path", ["on", "off"])
def test_what_djangos_middleware_checks_would_catch_is_still_caught(fast_path: str) -> None:
    # Django checks HSTS only when its SecurityMiddleware is in MIDDLEWARE by name.
    done = _check_deploy(PORTH_FAST_PATH=fast_path, PORTH_HSTS_SECONDS="0")
    assert done.returncode != 0
    assert "security.W004" in done.stderr
