"""The server's record of each signed-in browser (see models.CitizenSession).

The session cookie holds the account id and the key of its CitizenSession row; the citizen is
signed in only while that row is open, so ending a session on the server (sign-out,
back-channel logout) ends it in the browser too, though the cookie itself cannot be deleted.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from porth.utils import crypto

from .models import CitizenAccount, CitizenSession

ACCOUNT_KEY = "porth_citizen"  # the account's id (service.SESSION_KEY)
SESSION_ROW_KEY = "porth_citizen_session"  # the CitizenSession's key
_CACHED = "_porth_citizen"  # the answer, kept on the request once worked out


def _context(key: str) -> str:
    return f"citizen-session:{key}"


def begin(
    request: HttpRequest, account: CitizenAccount, *, provider_sid: str = "", id_token: str = ""
) -> CitizenSession:
    """Sign `account` in on this request's session (a new session key: no fixation)."""
    key = secrets.token_urlsafe(32)
    row = CitizenSession(
        key=key, account=account, provider_sid=provider_sid, started_at=timezone.now()
    )
    if id_token:
        row.id_token, row.id_token_key_id = crypto.encrypt(id_token, context=_context(key))
    row.save()
    request.session.cycle_key()
    request.session[ACCOUNT_KEY] = account.pk
    request.session[SESSION_ROW_KEY] = key
    setattr(request, _CACHED, account)
    return row


def open_row(request: HttpRequest) -> CitizenSession | None:
    """This browser's open session row, if it is signed in (and not for too long)."""
    account_id = request.session.get(ACCOUNT_KEY)
    key = request.session.get(SESSION_ROW_KEY)
    if account_id is None or not isinstance(key, str):
        return None
    # No longer than the session cookie lasts (PORTH_JOURNEY_IDLE_DAYS).
    oldest = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return (
        CitizenSession.objects.select_related("account")
        .filter(key=key, account_id=account_id, ended_at=None, started_at__gt=oldest)
        .first()
    )


def citizen(request: HttpRequest) -> CitizenAccount | None:
    if hasattr(request, _CACHED):
        cached: CitizenAccount | None = getattr(request, _CACHED)
        return cached
    row = open_row(request)
    account = row.account if row is not None else None
    setattr(request, _CACHED, account)
    return account


def id_token(row: CitizenSession) -> str:
    if not row.id_token:
        return ""
    return str(crypto.decrypt(row.id_token, row.id_token_key_id, context=_context(row.key)))


def forget(request: HttpRequest) -> None:
    """Take the citizen off this request (after its session was ended)."""
    request.session.pop(ACCOUNT_KEY, None)
    request.session.pop(SESSION_ROW_KEY, None)
    setattr(request, _CACHED, None)
