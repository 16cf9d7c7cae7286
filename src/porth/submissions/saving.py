"""The actions of "save and come back later": keep a journey and make its single-use link,
take the journey up again through the link, and erase the journeys whose link expired.
Atomic and audited, like every action (actions.py); the message with the link is sent by
whoever receives `signals.saved_for_later` (notifications), inside the transaction."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.accounts.service import organisation_id
from porth.audit import service as audit
from porth.services import service as services
from porth.services.service import Definition, engine
from porth.utils.crypto import keyed_hash

from . import signals, store
from .actions import read_state, save_state
from .models import Journey, LinkRequest, ResumeLink


@dataclass(frozen=True)
class Saved:
    link: str  # absolute URL of the single-use resume link
    return_by: datetime  # when the link and the answers expire


class LinkProblem(Exception):
    """A resume link that cannot be used: "unknown" (mistyped, tampered with, or replaced by
    a newer one), "expired" (its answers are erased) or "used" (already resumed)."""

    def __init__(self, problem: Literal["unknown", "expired", "used"], service: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.service = service


class TooManyLinks(Exception):
    """This address, or this client, has been sent as many links as it may for now."""


def _limit(to: str, client: str, now: datetime) -> LinkRequest:
    """A link request for `to` from `client`, unless either has had its share: the address
    PORTH_SAVE_LINKS_PER_ADDRESS in a day, the client PORTH_SAVE_LINKS_PER_CLIENT in an hour."""
    request = LinkRequest(
        to_hash=keyed_hash(to, purpose="save link to"),
        client_hash=keyed_hash(client, purpose="save link client"),
    )
    recent = LinkRequest.objects.filter(at__gt=now - timedelta(days=1))
    if recent.filter(to_hash=request.to_hash).count() >= settings.PORTH_SAVE_LINKS_PER_ADDRESS:
        raise TooManyLinks
    hour = recent.filter(client_hash=request.client_hash, at__gt=now - timedelta(hours=1))
    if hour.count() >= settings.PORTH_SAVE_LINKS_PER_CLIENT:
        raise TooManyLinks
    return request


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def return_by(now: datetime) -> datetime:
    """PORTH_SAVE_DAYS from now, to the end of that day (UK time): the citizen is told the
    date, and has the whole of it."""
    day = timezone.localtime(now + timedelta(days=settings.PORTH_SAVE_DAYS)).date()
    return timezone.make_aware(datetime.combine(day, time.max))


def _owner(definition: Definition) -> Organisation:
    owner = definition.organisation  # its auditors see the entry
    return Organisation(pk=organisation_id(owner.id, owner.name.en, owner.name.cy or ""))


def save_for_later(
    journey: Journey,
    definition: Definition,
    *,
    kind: Literal["email", "sms"],
    to: str,
    language: str,
    today: date,
    base_url: str,
    client: str = "",
    actor: Any = None,
    request: Any = None,
) -> Saved:
    """Keep a citizen's journey until its return-by date and make a single-use link to take
    it up again on any device; `saved_for_later` carries the link to whoever sends it.

    The journey is pinned to its definition version (stored now, if it never was), and only
    the newest link works: any unused one made before is dropped. Audited with the service
    and the kind of message, never the address. TooManyLinks if `to` or `client` (the
    citizen's network address) has been sent its share of links lately.
    """
    now = timezone.now()
    until = return_by(now)
    token = secrets.token_urlsafe(32)
    link = base_url.rstrip("/") + reverse("resume", args=[token])
    if language != settings.LANGUAGE_CODE:
        link += f"?lang={language}"
    with transaction.atomic():
        locked = store.open_journey(journey.pk, lock=True)
        if locked is None:  # sent or deleted meanwhile
            raise LinkProblem("used", definition.slug)
        _limit(to, client, now).save()  # after the lock: two tabs cannot both slip under it
        if locked.version != definition.version:  # not pinned yet: move it to `definition`
            state = engine.prune(definition, read_state(locked), today)
            save_state(locked, state, definition=definition)
        services.version_id(definition)  # stored, so the journey can go on with it
        Journey.objects.filter(pk=locked.pk).update(
            keep_until=until, pinned=True, updated_at=now, revision=F("revision") + 1
        )
        store.forget(locked.pk)
        locked.keep_until, locked.pinned, locked.revision = until, True, locked.revision + 1
        ResumeLink.objects.filter(journey=locked, used_at__isnull=True).delete()
        ResumeLink.objects.create(
            token_hash=_token_hash(token),
            journey=locked,
            service=definition.slug,
            kind=kind,
            expires_at=until,
        )
        audit.record(
            "journey.saved_for_later",
            actor=actor,
            request=request,
            organisation=_owner(definition),
            data={"service": definition.slug, "kind": kind, "return_by": until.date().isoformat()},
        )
        signals.saved_for_later.send(
            sender=Journey,
            journey=locked,
            definition=definition,
            kind=kind,
            to=to,
            link=link,
            return_by=until,
            language=language,
        )
    return Saved(link, until)


def check_link(token: str) -> ResumeLink:
    """The link with this token, if it can still be used; else LinkProblem says why."""
    link = ResumeLink.objects.filter(token_hash=_token_hash(token)).first()
    _check(link, timezone.now())
    assert link is not None
    return link


def _check(link: ResumeLink | None, now: datetime) -> None:
    if link is None:
        raise LinkProblem("unknown")
    if link.used_at is not None:
        raise LinkProblem("used", link.service)
    if link.expires_at <= now or link.journey_id is None:
        raise LinkProblem("expired", link.service)


def resume(token: str, *, actor: Any = None, request: Any = None) -> Journey:
    """Use a resume link, once: two clicks (or two devices) cannot both take the journey,
    as the link is marked used by a conditional update that only one of them can make. The
    journey is then an ordinary one again (no longer kept past PORTH_JOURNEY_IDLE_DAYS),
    still pinned to its version. Audited with the service only."""
    now = timezone.now()
    with transaction.atomic():
        link = ResumeLink.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
        _check(link, now)
        assert link is not None
        if not ResumeLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            raise LinkProblem("used", link.service)
        journey = (
            Journey.objects.select_for_update()
            .filter(pk=link.journey_id, submitted_at__isnull=True)
            .first()
        )
        if journey is None:  # sent meanwhile: rolls back the use, and says so
            raise LinkProblem("used", link.service)
        Journey.objects.filter(pk=journey.pk).update(
            keep_until=None, updated_at=now, revision=F("revision") + 1
        )
        journey.keep_until, journey.updated_at = None, now
        journey.revision += 1
        live = services.get(journey.service)
        audit.record(
            "journey.resumed",
            actor=actor,
            request=request,
            organisation=_owner(live) if live is not None else None,
            data={"service": journey.service},
        )
    store.forget(journey.pk)
    return journey


ERASE_BATCH = 500


def erase_unresumed(*, now: datetime | None = None) -> int:
    """Delete the journeys saved for later whose link expired unused, answers and all, a
    batch per transaction; audited like `discard_journeys` (the services and how many).
    Link rows (no personal data) are kept PORTH_SAVE_DAYS past their expiry, so a late click
    is told the link expired, then deleted too. Returns how many journeys were erased."""
    now = now or timezone.now()
    erased = 0
    while True:
        with transaction.atomic():
            journeys = list(
                Journey.objects.select_for_update()
                .filter(keep_until__lt=now, submitted_at__isnull=True)
                .only("pk", "service")[:ERASE_BATCH]
            )
            if not journeys:
                break
            Journey.objects.filter(pk__in=[journey.pk for journey in journeys]).delete()
            for journey in journeys:
                store.forget(journey.pk)
            audit.record(
                "journeys.discarded",
                data={
                    "reason": "not resumed",
                    "services": sorted({journey.service for journey in journeys}),
                    "count": len(journeys),
                },
            )
        erased += len(journeys)
    ResumeLink.objects.filter(
        expires_at__lt=now - timedelta(days=settings.PORTH_SAVE_DAYS)
    ).delete()
    LinkRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()  # counted a day only
    return erased
