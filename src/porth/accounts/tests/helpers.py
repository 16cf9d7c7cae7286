"""Helpers for these tests: post the sign-in forms, and reach into a signed-cookie session."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import totp

from .factories import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def post_password(
    client: Client, username: str, password: str = PASSWORD, next_url: str = ""
) -> "Response":
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/staff/sign-in", data)


def post_code(client: Client, device: TOTPDevice, code: str | None = None) -> "Response":
    return client.post("/staff/sign-in/code", {"code": code or totp.current_code(device)})


def edit_session(client: Client, **changes: Any) -> None:
    """Change values in the client's signed-cookie session (as time passing would)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(client.cookies[settings.SESSION_COOKIE_NAME].value)
    session.update(changes)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
