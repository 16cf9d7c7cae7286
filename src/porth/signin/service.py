"""The sign-in app's public API for other apps: who, if anyone, is signed in."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from . import sessions
from .models import CitizenAccount

SESSION_KEY = sessions.ACCOUNT_KEY


def current_citizen(request: HttpRequest) -> CitizenAccount | None:
    """The citizen signed in on this request, or None (most requests: signing in is optional).

    Only while the server's record of the session is open: signing out and the provider's
    back-channel logout end it."""
    return sessions.citizen(request)


def log_in(request: HttpRequest, account: CitizenAccount) -> None:
    """Remember in the session that this citizen signed in (after the provider said so).

    Works on any request with a session (tests of other apps sign a citizen in with it)."""
    sessions.begin(request, account)


def available() -> bool:
    """Sign-in is configured and switched on (PORTH_SIGNIN_*): otherwise it is not offered."""
    return bool(
        settings.PORTH_SIGNIN
        and settings.PORTH_SIGNIN_ISSUER
        and settings.PORTH_SIGNIN_CLIENT_ID
        and settings.PORTH_SIGNIN_KEYS
    )


def provider_name() -> str:
    """The provider's name for the button ("GOV.UK One Login"), or "" for a plain "Sign in"."""
    return str(settings.PORTH_SIGNIN_PROVIDER_NAME)


def sign_in_url(next_url: str, *, required: bool = False) -> str:
    """Where a "Sign in" link goes: back to `next_url` (a path on this site) once signed in.
    `required`: the service cannot be used without signing in, so a failed sign-in does not
    offer to carry on without."""
    query = {"next": next_url, **({"required": "1"} if required else {})}
    return f"{reverse('signin-start')}?{urlencode(query)}"


__all__ = [
    "SESSION_KEY",
    "available",
    "current_citizen",
    "log_in",
    "provider_name",
    "sign_in_url",
]
