"""Every write to journeys and submissions: atomic, and safe to repeat."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from porth.accounts.models import Organisation
from porth.accounts.service import organisation_id
from porth.audit import service as audit
from porth.fastpath import sql
from porth.services import service as services
from porth.services.service import Definition, engine
from porth.utils import crypto

from . import signals, store
from .models import Channel, Journey, Submission, new_journey_id
from .references import new_reference


class NotComplete(Exception):
    """Submit was asked for before every question on the route was answered."""


def _journey_context(journey_id: str) -> str:
    return f"journey:{journey_id}"


def read_state(journey: Journey) -> engine.State:
    if not journey.state:
        return engine.State()
    data = crypto.decrypt(journey.state, journey.key_id, context=_journey_context(journey.pk))
    return engine.State.from_json(data)


def new_journey(
    definition: Definition,
    *,
    language: str,
    channel: str = Channel.ONLINE,
    assisted_by: Any = None,
    seed: str | None = None,
    citizen_id: int | None = None,
) -> Journey:
    """A journey not yet saved: nothing is stored until the citizen answers something.

    `seed`: the same for every request from this browser (its CSRF secret), so that the
    journey's first page shows the same experiment variant each time it is made afresh
    (services.new_journey_id). `citizen_id`: the signed-in citizen's (porth.signin), whose
    journey it is, to take up on any device."""
    return Journey(
        id=services.new_journey_id(definition, new_journey_id, seed=seed),
        service=definition.slug,
        version=definition.version,
        language=language,
        channel=channel,
        assisted_by=assisted_by,
        citizen_id=citizen_id,
    )


def start_assisted(
    definition: Definition,
    *,
    channel: str,
    language: str,
    organisation: Any,
    actor: Any,
    request: Any = None,
) -> Journey:
    """A member of staff starts a journey on a citizen's behalf: stored at once, so that the
    session can name it, and audited. The journey id (its only key) is not put in the log."""
    if channel == Channel.ONLINE or channel not in Channel.values:
        raise ValueError(f"not an assisted channel: {channel!r}")
    with transaction.atomic():
        journey = new_journey(definition, language=language, channel=channel, assisted_by=actor)
        store.save(journey)
        audit.record(
            "assisted.started",
            actor=actor,
            request=request,
            organisation=organisation,
            data={"service": definition.slug, "channel": channel},
        )
    return journey


def stop_assisted(
    journey_id: str,
    *,
    service: str,
    reason: str,
    organisation: Any,
    actor: Any,
    request: Any = None,
) -> None:
    """Assisted mode ends without a submission: the answers given so far are deleted (they
    were the citizen's, and nobody can reach them any more) and the stop is audited. A
    journey already sent, or not an assisted one, is left alone."""
    with transaction.atomic():
        journey = (
            Journey.objects.select_for_update()
            .filter(
                pk=journey_id,
                service=service,
                submitted_at__isnull=True,
                assisted_by__isnull=False,
            )
            .first()
        )
        if journey is None:
            return
        journey.delete()
        store.forget(journey_id)
        audit.record(
            "assisted.stopped",
            actor=actor,
            request=request,
            organisation=organisation,
            data={"service": service, "channel": journey.channel, "reason": reason},
        )


def discard_journeys(journey_ids: list[str], *, reason: str) -> int:
    """Delete the unsent journeys with these ids, answers and all: a citizen cleared them from
    a shared computer, or left them idle too long. Audited without anything personal (no
    address, no journey id: it is the key to the answers): the services and how many."""
    with transaction.atomic():
        journeys = list(
            Journey.objects.select_for_update()
            .filter(pk__in=journey_ids, submitted_at__isnull=True, assisted_by__isnull=True)
            .only("pk", "service")
        )
        if not journeys:
            return 0
        Journey.objects.filter(pk__in=[journey.pk for journey in journeys]).delete()
        for journey in journeys:
            store.forget(journey.pk)
        audit.record(
            "journeys.discarded",
            data={
                "reason": reason,
                "services": sorted({journey.service for journey in journeys}),
                "count": len(journeys),
            },
        )
    return len(journeys)


def save_state(journey: Journey, state: engine.State, *, definition: Definition) -> None:
    journey.state, journey.key_id = crypto.encrypt(
        state.to_json(), context=_journey_context(journey.pk)
    )
    journey.version = definition.version
    store.save(journey)


def retry_if_stale[T](attempt: Callable[[bool], T], *, journey_id: Callable[[], str | None]) -> T:
    """Run `attempt(False)`: a page's work, which may save its journey. If the journey was
    saved meanwhile (a double click, another tab: `store.Stale`), run `attempt(True)` once
    more in a transaction: the attempt then reads the journey again, locked, so that no
    third save can overtake this one (four tabs at once made 500s without).

    If the second attempt fails, it is rolled back, and this worker forgets the journey
    `journey_id()` then names: it must not remember the save it made in there.
    """
    try:
        return attempt(False)
    except store.Stale:
        try:
            with transaction.atomic():
                return attempt(True)
        except BaseException:
            if found := journey_id():
                store.forget(found)
            raise


def submit(
    journey: Journey,
    definition: Definition,
    *,
    language: str,
    today: date,
    actor: Any = None,
    state: engine.State | None = None,
    request: Any = None,
) -> Submission:
    """Turn a complete journey into a submission, once: a repeated call returns the first.

    The journey row is locked, so two clicks or a retried POST queue up behind each other;
    the second finds the submission the first made.

    `state`: the journey's state as the caller read it (at `journey.revision`), so that the
    answers are decrypted once. It is used only if the locked row is still at that revision;
    a journey saved meanwhile (another tab) is read again, and its newer answers are sent.
    `request`: the request that sent it, for the `submitted` signal's receivers.
    """
    read_at = journey.revision
    # One batch of audit entries: the submission's and those of whatever the `submitted`
    # signal's receivers do (opening a case) share one lock and update of the audit head.
    with transaction.atomic(), audit.batch():
        locked = store.lock_journey(journey.pk)
        if locked is None:  # never saved (nothing answered yet), or deleted meanwhile
            raise NotComplete
        journey.revision = locked.revision  # for the revision cookie the caller sends
        if locked.submitted_at is not None:
            existing = Submission.objects.filter(journey=locked).first()
            if existing is not None:
                return existing
        if state is None or locked.revision != read_at:
            state = read_state(locked)
        state = engine.prune(definition, state, today)
        if not engine.is_complete(definition, state, today):
            raise NotComplete
        answers = engine.submitted_answers(definition, state, today)
        version_id = services.version_id(definition)
        for _attempt in range(5):
            reference = new_reference(definition.reference_prefix)
            blob, key_id = crypto.encrypt(answers, context=f"submission:{reference}")
            submission = Submission(
                reference=reference,
                journey=locked,
                service=definition.slug,
                definition_id=version_id,
                answers=blob,
                key_id=key_id,
                language=language,
                channel=locked.channel,
                submitted_by_id=locked.assisted_by_id,
                citizen_id=locked.citizen_id,  # a signed-in citizen's application is theirs
            )
            # A reference clash is skipped rather than raised (no savepoint around every
            # submission): draw another. Any other clash raises.
            if sql.insert(submission, unless_taken="reference"):
                break
        else:
            raise RuntimeError("could not draw an unused reference")
        owner = definition.organisation  # its auditors see the entry
        audit.record(
            "submission.created",
            actor=actor,
            organisation=Organisation(
                pk=organisation_id(owner.id, owner.name.en, owner.name.cy or "")
            ),
            obj=submission,
            data={
                "reference": submission.reference,
                "service": definition.slug,
                "version": definition.version,
                "channel": submission.channel,
            },
        )
        signals.submitted.send(
            sender=Submission,
            submission=submission,
            definition=definition,
            answers=answers,
            actor=actor,
            request=request,
        )
        store.finish(locked)
        journey.revision = locked.revision
        sent = (locked.pk, submission.reference, submission.channel)
        transaction.on_commit(lambda: store.remember_sent(*sent))
    return submission


def read_answers(submission: Submission) -> dict[str, object]:
    """The answers sent; none once they are erased (`submission.erased_at` says when)."""
    if submission.erased_at is not None:
        return {}
    data = crypto.decrypt(
        submission.answers, submission.key_id, context=f"submission:{submission.reference}"
    )
    return dict(data)
