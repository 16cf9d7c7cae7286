"""System checks: a misconfigured server says what is wrong before it serves anyone."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.utils.csp import CSP

from porth.utils.crypto import KeyError_, _keys, audit_keys, index_keys


@register(deploy=True)
def production_secrets(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.PRODUCTION and not settings.SECRET_KEY:
        errors.append(Error("PORTH_SECRET_KEY is not set", id="porth.E001"))
    return errors


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
