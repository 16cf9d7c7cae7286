"""API tokens for departments' systems: made by a service owner on the staff pages, sent by
the system as `Authorization: Bearer porth_api_…`. Only a SHA-256 of each is stored, so a
copy of the database gives no token; the token itself is shown once, when it is made.

Each token has an account of its own (a User that cannot sign in: no usable password, no
second factor, no role), the actor of everything done with it, so that the audit log and a
case's timeline say "API: <name>" rather than borrowing a person's name.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porth.accounts.models import Organisation, User
from porth.audit.service import record

from .models import ApiToken, Scope

PREFIX = "porth_api_"
# last_used_at is written at most this often per token, not on every call.
_TOUCH_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make(
    organisation: Organisation,
    name: str,
    scopes: list[str],
    *,
    expires_at: datetime | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `organisation` and its secret (to show once, never again)."""
    chosen = sorted(set(scopes) & set(Scope.values))
    if not chosen:
        raise ValueError("a token needs at least one scope")
    secret = PREFIX + secrets.token_urlsafe(32)
    name = name.strip()[:100]
    with transaction.atomic():
        account = User(username=f"api-{secrets.token_hex(8)}", display_name=f"API: {name}"[:200])
        account.set_unusable_password()
        account.save()
        token = ApiToken.objects.create(
            organisation=organisation,
            user=account,
            name=name,
            scopes=chosen,
            digest=_digest(secret),
            expires_at=expires_at,
            created_by=actor,
        )
        record(
            "integrations.token_made",
            actor=actor,
            request=request,
            organisation=organisation,
            obj=token,
            data={
                "name": token.name,
                "scopes": chosen,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, secret


def revoke(token: ApiToken, *, actor: User, request: HttpRequest | None = None) -> None:
    """Stop the token working at once. The row stays: the log and timelines name its account."""
    with transaction.atomic():
        if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        ):
            return  # revoked already (a double click)
        User.objects.filter(pk=token.user_id).update(is_active=False)
        record(
            "integrations.token_revoked",
            actor=actor,
            request=request,
            organisation=Organisation(pk=token.organisation_id),
            obj=token,
            data={"name": token.name},
        )


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: the token, its organisation and its account."""

    token: ApiToken
    organisation: Organisation
    user: User

    def has(self, scope: str) -> bool:
        return scope in self.token.scopes


def caller_for(secret: str) -> Caller | None:
    """The caller whose live (unrevoked, unexpired) token this is, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organisation", "user")
        .filter(digest=_digest(secret))
        .first()
    )
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Caller(token=token, organisation=token.organisation, user=token.user)
