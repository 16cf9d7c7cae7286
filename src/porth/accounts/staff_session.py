"""A member of staff's session: when it began, when it was last used, and its generation.

Sessions are signed cookies, so the server keeps nothing it could delete at sign-out.
Instead each session carries three facts, checked on every request by
`StaffSessionMiddleware`: when its owner signed in (8 hours at most), when it was last
used (30 minutes idle at most) and the owner's `session_epoch` when it began (raised at
sign-out, so a copied cookie dies with the session it was copied from).

Between the password and the code the session holds only a *pending* sign-in: the user
is not signed in at all until both factors have been checked.
"""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device

from .models import User

SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"
EPOCH = "staff_epoch"
PENDING = "staff_pending"
NOTICE = "staff_notice"  # why the last session ended, shown once on the sign-in page

# The password step is good for this long: enough to find the phone, not for a day.
PENDING_SECONDS = 10 * 60
# Seen-at is rewritten at most this often, so a busy page does not reset the cookie each time.
TOUCH_SECONDS = 60
BACKEND = "django.contrib.auth.backends.ModelBackend"


def begin(request: HttpRequest, user: User, device: Device) -> None:
    """Sign `user` in with both factors (a new session key, so no fixation)."""
    login(request, user, backend=BACKEND)
    otp_login(request, device)
    now = time.time()
    request.session.pop(PENDING, None)
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[EPOCH] = user.session_epoch


def problem(request: HttpRequest, user: User) -> str | None:
    """Why this session may no longer be used ("revoked", "expired", "idle"), or None."""
    session = request.session
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    epoch = session.get(EPOCH)
    if signed_in_at is None or seen_at is None or epoch is None:
        return "revoked"  # not made by our sign-in (so not checked with both factors)
    if epoch != user.session_epoch:
        return "revoked"
    now = time.time()
    if now - signed_in_at > settings.PORTH_STAFF_MAX_HOURS * 3600:
        return "expired"
    if now - seen_at > settings.PORTH_STAFF_IDLE_MINUTES * 60:
        return "idle"
    return None


def touch(request: HttpRequest) -> None:
    now = time.time()
    if now - request.session.get(SEEN_AT, 0) >= TOUCH_SECONDS:
        request.session[SEEN_AT] = now


def set_pending(request: HttpRequest, user: User, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "epoch": user.session_epoch,
        "at": time.time(),
        "next": next_url,
    }


def pending(request: HttpRequest) -> tuple[User, str] | None:
    """The user who has given their password and not yet a code, and where they were going."""
    value: Any = request.session.get(PENDING)
    if not isinstance(value, dict) or time.time() - value.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = value.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.session_epoch != value.get("epoch"):
        return None
    return user, str(value.get("next") or "")


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)
