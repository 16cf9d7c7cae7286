"""API tokens: made by a publisher on the staff pages, sent by their tools in the
`Authorization` header (as CKAN 2.9+ and ckanapi send it, bare or as "Bearer …") or in
`X-CKAN-API-Key`. Only a SHA-256 of each is stored, so a copy of the database gives no
token; the token itself is shown once, when it is made."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porth.accounts.models import User
from porth.audit.service import record

from .models import ApiToken

PREFIX = "porth_"
# last_used is written at most this often per token, not on every call.
_TOUCH_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make(
    user: User,
    name: str,
    *,
    expires: datetime | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret (to show once, never again)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], digest=_digest(secret), expires=expires
        )
        record(
            "opendata.token_made",
            actor=actor,
            request=request,
            obj=token,
            data={"name": token.name, "user": user.pk},
        )
    return token, secret


def revoke(token: ApiToken, *, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        record(
            "opendata.token_revoked",
            actor=actor,
            request=request,
            obj=token,
            data={"name": token.name, "user": token.user_id},
        )
        token.delete()


def secret_from(request: HttpRequest) -> str:
    """The token a request carries, or ""."""
    value = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    value = value.strip()
    if value.lower().startswith("bearer "):
        value = value[7:].strip()
    return value


def user_for(secret: str) -> User | None:
    """The active user whose unexpired token this is, or None."""
    if not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires and token.expires <= now):
        return None
    if token.last_used is None or now - token.last_used > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
