"""System checks that need both the definitions and the platform's settings."""

from typing import Any

from django.core.checks import CheckMessage, Error, register

from porth.signin import service as signin

from . import registry
from .definition import DefinitionError


@register()
def sign_in_needs_a_provider(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A service that requires sign-in cannot be used without a provider configured."""
    if signin.available():
        return []
    try:
        definitions = registry.definitions()
    except (DefinitionError, OSError):
        return []  # reported by loading, with the file and line
    return [
        Error(
            f"service {slug!r} requires sign-in (sign_in: required) but sign-in is not "
            "configured, so nobody could use it",
            hint="Set PORTH_SIGNIN_ISSUER, PORTH_SIGNIN_CLIENT_ID and PORTH_SIGNIN_KEYS "
            "(docs/signin.md), or make it sign_in: optional",
            id="porth.services.E001",
        )
        for slug, definition in sorted(definitions.items())
        if definition.sign_in == "required"
    ]
