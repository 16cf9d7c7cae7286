"""System checks: a misconfigured server says what is wrong before it serves anyone."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from porth.utils.crypto import KeyError_, _keys, audit_keys, index_keys
from porth.utils.proxies import trusted_networks


@register(deploy=True)
def production_secrets(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The secret key signs sessions and CSRF tokens: without one, production would start and
    fail on a citizen's first answer. (The encryption and index keys: E002, E004.)"""
    if not settings.PRODUCTION:
        return []
    try:
        missing = not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        missing = True
    if missing:
        return [
            Error(
                "PORTH_SECRET_KEY is not set",
                hint="Set it to a long random value, e.g. "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(60))'`",
                id="porth.E001",
            )
        ]
    return []


@register()
def encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        _keys(settings.PORTH_ENCRYPTION_KEYS)
    except KeyError_ as error:
        return [
            Error(
                str(error),
                hint="Make a key with `porth keygen` and set PORTH_ENCRYPTION_KEYS=id:key",
                id="porth.E002",
            )
        ]
    return []


@register()
def index_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The key of the blind index that finds cases by name: required, and well formed."""
    try:
        index_keys()
    except KeyError_ as error:
        return [
            Error(
                str(error),
                hint="Make a key with `porth keygen` and set PORTH_INDEX_KEY=id:key",
                id="porth.E004",
            )
        ]
    return []


@register()
def audit_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The key of the audit log's hash chain: required, and well formed."""
    try:
        audit_keys()
    except KeyError_ as error:
        return [
            Error(
                str(error),
                hint="Make a key with `porth keygen` and set PORTH_AUDIT_KEY=id:key "
                "(keep it out of the database and its backups)",
                id="porth.E005",
            )
        ]
    return []


@register()
def csp_without_nonces(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Porth's security-headers middleware sends one policy worked out at start-up."""
    for setting in ("SECURE_CSP", "SECURE_CSP_REPORT_ONLY"):
        for values in (getattr(settings, setting) or {}).values():
            if isinstance(values, list | tuple | set) and CSP.NONCE in values:
                return [
                    Error(
                        f"{setting} asks for a nonce, which Porth's SecurityHeadersMiddleware "
                        "does not make",
                        hint="Allow inline scripts by their hash instead",
                        id="porth.E003",
                    )
                ]
    return []


@register()
def trusted_proxies(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        trusted_networks()
    except ValueError as error:
        return [Error(str(error), id="porth.E006")]
    return []


@register(deploy=True)
def trusted_proxies_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """`porth serve` speaks plain HTTP, so in production TLS ends at a proxy, whose
    X-Forwarded-Proto must be believed."""
    if not settings.PRODUCTION or settings.PORTH_TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "PORTH_TRUSTED_PROXIES is empty: X-Forwarded-Proto and X-Forwarded-For are "
            "believed from no one, so behind a proxy that ends TLS every request is "
            "redirected to HTTPS again, and the audit log records the proxy's address",
            hint="Set PORTH_TRUSTED_PROXIES to the load balancer's addresses "
            "(see docs/security.md)",
            id="porth.W001",
        )
    ]
