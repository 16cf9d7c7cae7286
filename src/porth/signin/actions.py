"""Every write of the sign-in app: one transaction each, audited in it (STYLE.md, habit 2).

The actor is the citizen (or the provider, for back-channel logout), never a member of staff,
so the audit entries carry the account and an `unsigned_label` instead of `actor`.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porth.audit import service as audit
from porth.utils import crypto

from . import sessions
from .models import CitizenAccount, CitizenSession, UsedLogoutToken
from .oidc import SignedIn
from .signals import citizen_signed_in


class Replayed(Exception):
    """A logout token whose jti was accepted before."""


def _contact_context(account: CitizenAccount) -> str:
    return f"citizen-contact:{account.pk}"


def contact(account: CitizenAccount) -> dict[str, str]:
    """The email address and phone number the provider last gave for this citizen."""
    if not account.contact:
        return {}
    data = crypto.decrypt(
        account.contact, account.contact_key_id, context=_contact_context(account)
    )
    return {key: str(value) for key, value in data.items() if value}


def sign_in(request: HttpRequest, issuer: str, signed_in: SignedIn) -> CitizenAccount:
    """The provider vouched for this citizen: find or make their account, sign this browser
    in, attach its open journeys (through the signal) and record it."""
    now = timezone.now()
    with transaction.atomic():
        account, created = CitizenAccount.objects.select_for_update().get_or_create(
            issuer=issuer, subject=signed_in.subject
        )
        account.last_signed_in_at = now
        account.contact, account.contact_key_id = crypto.encrypt(
            {"email": signed_in.email, "phone": signed_in.phone},
            context=_contact_context(account),
        )
        account.save(update_fields=["last_signed_in_at", "contact", "contact_key_id"])
        sessions.begin(request, account, provider_sid=signed_in.sid, id_token=signed_in.id_token)
        audit.record(
            "signin.signed_in",
            request=request,
            obj=account,
            data={"issuer": issuer, "new_account": created},
            unsigned_label=str(account),
        )
        citizen_signed_in.send(sender=CitizenAccount, request=request, account=account)
    return account


def sign_out(request: HttpRequest) -> str:
    """End this browser's signed-in session; returns the ID token for the provider's
    sign-out (id_token_hint), or "" if it was not signed in."""
    with transaction.atomic():
        row = sessions.open_row(request)
        sessions.forget(request)
        if row is None:
            return ""
        _end([row], because="signed out")
        audit.record(
            "signin.signed_out", request=request, obj=row.account, unsigned_label=str(row.account)
        )
        return sessions.id_token(row)


def _end(rows: list[CitizenSession], *, because: str) -> None:
    CitizenSession.objects.filter(pk__in=[row.pk for row in rows], ended_at=None).update(
        ended_at=timezone.now(), ended_because=because, id_token=None
    )


def back_channel_logout(
    *, issuer: str, subject: str, sid: str, jti: str, keep_until: datetime
) -> int:
    """The provider says the citizen signed out there (OIDC Back-Channel Logout): end the
    sessions it names (by its session id, or every one of the subject's). Returns how many
    ended. Raises Replayed for a jti seen before."""
    with transaction.atomic():
        UsedLogoutToken.objects.filter(keep_until__lt=timezone.now()).delete()
        try:
            with transaction.atomic():
                UsedLogoutToken.objects.create(issuer=issuer, jti=jti, keep_until=keep_until)
        except IntegrityError:
            raise Replayed(jti) from None
        rows = CitizenSession.objects.filter(account__issuer=issuer, ended_at=None)
        if sid:
            rows = rows.filter(provider_sid=sid)
        if subject:
            rows = rows.filter(account__subject=subject)
        found = list(rows.select_related("account"))
        _end(found, because="provider logout")
        for account in {row.account for row in found}:
            audit.record(
                "signin.provider_logout",
                obj=account,
                data={"sessions": sum(1 for row in found if row.account_id == account.pk)},
                unsigned_label="sign-in provider",
            )
        return len(found)


def record_failure(request: HttpRequest, reason: str, detail: str) -> None:
    """A sign-in that did not work, for whoever looks into complaints (no personal data)."""
    with transaction.atomic():
        audit.record(
            "signin.failed", request=request, data={"reason": reason, "detail": detail[:200]}
        )
