"""Every change to a member of staff's sign-in: atomic, audited in the same transaction
(each action sends `signals.staff_event` inside it; the audit app records the entry).

Failed passwords and failed codes both count towards django-axes' lockout for the user
name (5 failures lock it for 30 minutes), so guessing the code is no easier than
guessing the password.
"""

import enum
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, logout, user_login_failed
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import staff_session, totp
from .models import User
from .signals import staff_event


class Outcome(enum.Enum):
    NEEDS_CODE = "needs_code"  # password right; ask for the code
    NEEDS_SETUP = "needs_setup"  # password right; no authenticator app yet
    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    LOCKED = "locked"


def _announce(
    action: str,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    user: User | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Tell the audit log (a receiver of `staff_event`) inside the caller's transaction."""
    staff_event.send(
        sender=__name__, action=action, actor=actor, request=request, user=user, data=data or {}
    )


def _credentials(username: str) -> dict[str, str]:
    return {"username": username}


def _locked_now(request: HttpRequest) -> bool:
    """Whether axes locked the account on this request. We show our own GOV.UK page, so
    the flag is cleared: otherwise AxesMiddleware swaps the response for a plain-text 429."""
    locked = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return locked


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(username))


def check_password(request: HttpRequest, username: str, password: str, next_url: str) -> Outcome:
    """The first factor. On success the session holds a pending sign-in, nothing more."""
    # authenticate() tells axes about a failure itself (the user_login_failed signal).
    user = authenticate(request, username=username, password=password)
    locked = _locked_now(request) or is_locked(request, username)
    if user is None or locked or not isinstance(user, User):
        with transaction.atomic():
            _announce(
                "staff.sign_in_failed",
                request=request,
                user=User.objects.filter(username=username).first(),
                data={"username": username[:150], "stage": "password", "locked": locked},
            )
        return Outcome.LOCKED if locked else Outcome.WRONG
    staff_session.set_pending(request, user, next_url)
    return Outcome.NEEDS_CODE if totp.confirmed_device(user) else Outcome.NEEDS_SETUP


def _code_failed(request: HttpRequest, user: User, stage: str) -> Outcome:
    with transaction.atomic():
        user_login_failed.send(
            sender=__name__, credentials=_credentials(user.username), request=request
        )
        locked = _locked_now(request)
        _announce(
            "staff.sign_in_failed",
            actor=user,
            request=request,
            user=user,
            data={"username": user.username, "stage": stage, "locked": locked},
        )
    if locked:
        staff_session.clear_pending(request)
    return Outcome.LOCKED if locked else Outcome.WRONG


def check_code(request: HttpRequest, user: User, code: str) -> Outcome:
    """The second factor: a code from the user's authenticator app."""
    if is_locked(request, user.username):
        staff_session.clear_pending(request)
        return Outcome.LOCKED
    device = totp.confirmed_device(user)
    if device is None:
        return Outcome.NEEDS_SETUP
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        return _code_failed(request, user, "code")
    sign_in(request, user, verified)
    return Outcome.SIGNED_IN


def confirm_enrolment(request: HttpRequest, user: User, device: TOTPDevice, code: str) -> Outcome:
    """A first code from a new authenticator app: confirm the device and sign in with it."""
    if is_locked(request, user.username):
        staff_session.clear_pending(request)
        return Outcome.LOCKED
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return _code_failed(request, user, "setup")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _announce("staff.totp_enrolled", actor=user, request=request, user=user)
        sign_in(request, user, device)
    return Outcome.SIGNED_IN


def sign_in(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        staff_session.begin(request, user, device)
        _announce("staff.signed_in", actor=user, request=request, user=user)


def sign_out(request: HttpRequest, *, actor: User) -> None:
    """End this session, and every copy of its cookie: the user's epoch moves on."""
    with transaction.atomic():
        _end_every_session(actor)
        _announce("staff.signed_out", actor=actor, request=request, user=actor)
        logout(request)
    request.session[staff_session.NOTICE] = "signed-out"


def _end_every_session(user: User) -> None:
    """Move the user's epoch on: every session begun before (any cookie) is refused."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


def sign_out_everywhere(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """A platform admin ends every session `user` has, on every device."""
    with transaction.atomic():
        _end_every_session(user)
        _announce("staff.signed_out_everywhere", actor=actor, request=request, user=user)


def reset_authenticator(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """A platform admin removes `user`'s authenticator app (a lost phone, say) and ends their
    sessions: their next sign-in, after the password, sets up a new app."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        _end_every_session(user)
        _announce(
            "staff.authenticator_reset",
            actor=actor,
            request=request,
            user=user,
            data={"username": user.username},
        )


def end_session(request: HttpRequest, *, actor: User, reason: str) -> None:
    """The session is too old, idle or revoked (see staff_session.problem)."""
    with transaction.atomic():
        _announce(
            "staff.session_ended", actor=actor, request=request, user=actor, data={"reason": reason}
        )
        logout(request)
    request.session[staff_session.NOTICE] = reason


def unlock(username: str, *, actor: User, request: HttpRequest | None = None) -> None:
    """A platform admin lifts a lockout before its 30 minutes are up."""
    with transaction.atomic():
        AxesProxyHandler.reset_attempts(username=username)
        _announce("staff.unlocked", actor=actor, request=request, data={"username": username})
