"""System checks for sign-in's settings: a provider half configured is refused at start-up,
with what to set, rather than failing on a citizen's first sign-in."""

import json
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from . import keys


def _error(message: str, hint: str, number: int) -> Error:
    return Error(message, hint=hint, id=f"porth.signin.E{number:03d}")


@register()
def signin_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PORTH_SIGNIN:
        return []
    if not settings.PORTH_SIGNIN_ISSUER:
        return [
            _error(
                "PORTH_SIGNIN is on but PORTH_SIGNIN_ISSUER is not set",
                "Set PORTH_SIGNIN_ISSUER to the provider's issuer, e.g. "
                "https://oidc.account.gov.uk, or PORTH_SIGNIN=off (docs/signin.md)",
                1,
            )
        ]
    problems: list[CheckMessage] = []
    if not settings.PORTH_SIGNIN_CLIENT_ID:
        problems.append(
            _error(
                "PORTH_SIGNIN_CLIENT_ID is not set",
                "Set it to the client id the provider gave Porth when it was registered",
                2,
            )
        )
    try:
        keys.signing_keys()
    except (keys.KeysProblem, ValueError) as error:
        problems.append(
            _error(
                str(error),
                "Make a key as docs/signin.md shows and set PORTH_SIGNIN_KEYS to it "
                "(docs/signin.md)",
                3,
            )
        )
    vtr = settings.PORTH_SIGNIN_VTR
    if vtr:
        try:
            parsed = json.loads(vtr)
            ok = isinstance(parsed, list) and all(isinstance(v, str) for v in parsed)
        except json.JSONDecodeError:
            ok = False
        if not ok:
            problems.append(
                _error(
                    f"PORTH_SIGNIN_VTR is {vtr!r}: it must be a JSON list of text",
                    'e.g. ["Cl.Cm"] (GOV.UK One Login), or empty for a provider without vtr',
                    4,
                )
            )
    if "openid" not in settings.PORTH_SIGNIN_SCOPES.split():
        problems.append(
            _error(
                "PORTH_SIGNIN_SCOPES must include openid",
                'e.g. "openid email phone"',
                5,
            )
        )
    if not settings.PORTH_SIGNIN_TIMEOUT > 0:
        problems.append(_error("PORTH_SIGNIN_TIMEOUT must be more than 0 seconds", "e.g. 5", 6))
    if settings.PRODUCTION and not settings.PORTH_SIGNIN_DISCOVERY_URL.startswith("https://"):
        problems.append(
            _error(
                "PORTH_SIGNIN_DISCOVERY_URL must be https in production",
                "Use the provider's https address",
                7,
            )
        )
    return problems
