"""The applicant's reply link: made when a caseworker asks for more information, opened from
the message the applicant is sent, used once, and not for ever (PORTH_REPLY_DAYS).

The token is the only key: 32 random bytes in the link, and only their SHA-256 in the
database. A link that is unknown, used or expired says so (`LinkProblem`), with the case's
reference when the link was once real, so the page can tell the applicant whom to contact.

Documents: the issue asks for "text, and documents once uploads exist". Porth has no
uploads yet, so a reply is text only; when uploads come, they belong to this reply (the
InformationRequest row is what they would hang from).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from porth.utils.crypto import decrypt, encrypt

from .models import Case, InformationRequest, event_context

# What `secrets.token_urlsafe(32)` makes: anything else in the address was never a link.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")

Problem = Literal["unknown", "used", "expired"]


class LinkProblem(Exception):
    """The link cannot be used: unknown (never made, mistyped or tampered with), used or
    expired. `reference`: the case's, when the link was a real one."""

    def __init__(self, problem: Problem, reference: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.reference = reference


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def text_context(case: Case) -> str:
    return f"case:{case.reference}:information-request"


def reply_by(now: datetime) -> datetime:
    """When a link made `now` stops working: PORTH_REPLY_DAYS later, at the end of that day
    in the team's time zone, so that "reply by 4 January" means all of 4 January."""
    last_day = timezone.localtime(now + timedelta(days=settings.PORTH_REPLY_DAYS)).date()
    return datetime.combine(last_day, time.max, tzinfo=timezone.get_current_timezone())


def absolute_url(token: str) -> str:
    """The link as the applicant gets it: PORTH_BASE_URL and the reply page's path."""
    return settings.PORTH_BASE_URL.rstrip("/") + reverse("reply", args=[token])


@dataclass(frozen=True)
class Link:
    request: InformationRequest
    token: str
    url: str


def new_link(case: Case, text: str, *, expires_at: datetime) -> Link:
    """A new reply link for `case`, asking `text`. Call it inside the request's transaction."""
    token = secrets.token_urlsafe(32)
    blob, key_id = encrypt(text, context=text_context(case))
    row = InformationRequest.objects.create(
        case=case, token_hash=hash_token(token), text=blob, key_id=key_id, expires_at=expires_at
    )
    return Link(row, token, absolute_url(token))


def lookup(token: str) -> InformationRequest | None:
    """The request a link was made for, used or not; None if there never was such a link."""
    if not TOKEN.match(token):
        return None
    return (
        InformationRequest.objects.select_related(
            "case", "case__organisation", "case__submission", "case__submission__definition"
        )
        .defer("case__submission__definition__canonical")
        .filter(token_hash=hash_token(token))
        .first()
    )


def check(asking: InformationRequest | None, *, now: datetime | None = None) -> None:
    """`LinkProblem` if the link (found by `lookup`) cannot be used, or not any more."""
    if asking is None:
        raise LinkProblem("unknown")
    if asking.used_at is not None:
        raise LinkProblem("used", asking.case.reference)
    # Erased under the service's retention (porth.casework.erasure): as good as expired.
    if asking.expires_at <= (now or timezone.now()) or not asking.key_id:
        raise LinkProblem("expired", asking.case.reference)


def sent_before(asking: InformationRequest, text: str) -> bool:
    """Whether `text` is the reply this link was used for: the same form posted twice."""
    event = asking.reply
    if event is None or not event.key_id:  # none, or erased (retention)
        return False
    kept = decrypt(event.detail, event.key_id, context=event_context(asking.case))
    return bool(kept.get("text") == text)


def asked(asking: InformationRequest) -> str:
    """What the caseworker asked, decrypted."""
    text: str = decrypt(asking.text, asking.key_id, context=text_context(asking.case))
    return text
