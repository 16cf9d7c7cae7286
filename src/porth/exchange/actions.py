"""Every change to who may call what, and to the keys: checked, in one transaction, audited.

Only a service owner of the organisation that publishes an exchange service grants or
revokes access to it.
"""

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import has_role
from porth.audit.service import record
from porth.signin.models import CitizenAccount
from porth.submissions.models import Journey, Submission
from porth.utils import crypto

from . import keys
from .models import Consent, ExchangeService, Grant, Handler, PrefilledAnswer, SigningKey


class NotAllowed(Exception):
    """The user is not a service owner of the organisation."""


class Invalid(ValueError):
    """What was asked for is not valid: `field` says which input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _require_owner(user: User | None, organisation_id: int) -> None:
    if user is None or not has_role(user, organisation_id, [Role.SERVICE_OWNER]):
        raise NotAllowed("Only a service owner of the organisation may do this")


def _slug(value: str, field: str, what: str) -> str:
    value = value.strip()
    if not value or slugify(value) != value or len(value) > 80:
        raise Invalid(f"Enter the {what} in lower case letters, numbers and hyphens", field)
    return value


def grant(
    service: ExchangeService,
    *,
    caller: str,
    purpose: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Grant:
    _require_owner(actor, service.organisation_id)
    caller = _slug(caller, "caller", "calling organisation")
    purpose = _slug(purpose, "purpose", "purpose")
    with transaction.atomic():
        existing = Grant.objects.filter(
            service=service, caller=caller, purpose=purpose, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        made = Grant.objects.create(
            service=service, caller=caller, purpose=purpose, granted_by=actor
        )
        record(
            "exchange.granted",
            actor=actor,
            request=request,
            organisation=service.organisation,
            obj=made,
            data={"service": service.slug, "caller": caller, "purpose": purpose},
        )
    return made


def revoke(grant: Grant, *, actor: User, request: HttpRequest | None = None) -> None:
    service = grant.service
    _require_owner(actor, service.organisation_id)
    with transaction.atomic():
        updated = Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if updated:
            record(
                "exchange.revoked",
                actor=actor,
                request=request,
                organisation=service.organisation,
                obj=grant,
                data={"service": service.slug, "caller": grant.caller, "purpose": grant.purpose},
            )


def publish(
    organisation: Organisation,
    *,
    slug: str,
    name: str,
    description: str = "",
    handler: str = Handler.QUERY,
    config: dict[str, Any] | None = None,
    fields: list[dict[str, str]] | None = None,
    actor: User | None = None,
) -> ExchangeService:
    """Publish (or update) an exchange service. From the command line `actor` may be None
    (whoever runs `porth` on the server is trusted); from a page it must be a service owner."""
    if actor is not None:
        _require_owner(actor, organisation.pk)
    with transaction.atomic():
        service, _ = ExchangeService.objects.update_or_create(
            organisation=organisation,
            slug=_slug(slug, "slug", "service's short name"),
            defaults={
                "name": name,
                "description": description,
                "handler": handler,
                "config": config or {},
                "fields": fields or [],
            },
        )
        record(
            "exchange.published",
            actor=actor,
            organisation=organisation,
            obj=service,
            unsigned_label="system",
            data={"service": service.slug, "handler": handler},
        )
    return service


def rotate_key(organisation: Organisation, *, days: int | None = None) -> SigningKey:
    """A new signing key, which signs from now on; older keys verify until they expire."""
    with transaction.atomic():
        key = keys.make(organisation, days=days)
        record(
            "exchange.key_rotated",
            organisation=organisation,
            unsigned_label="system",
            data={"kid": key.kid, "not_after": key.not_after.isoformat()},
        )
    return key


def retire_key(key: SigningKey) -> None:
    """Stop a key verifying at once (it leaked)."""
    with transaction.atomic():
        SigningKey.objects.filter(pk=key.pk).update(retired_at=timezone.now())
        record(
            "exchange.key_retired",
            organisation=key.organisation,
            unsigned_label="system",
            data={"kid": key.kid},
        )


# --- "Tell us once" (docs/prefill.md) ------------------------------------------------------


def record_consent(
    *,
    journey: Journey,
    citizen: CitizenAccount | None,
    caller: Organisation,
    service: str,
    page: str,
    provider: str,
    exchange_service: str,
    purpose: str,
    what: str,
    why: str,
    language: str,
    given: bool,
) -> Consent:
    """The citizen's answer to "may we get your details from <provider>?", with the words
    they were shown, audited as the calling organisation's."""
    with transaction.atomic():
        consent = Consent.objects.create(
            journey=journey,
            citizen=citizen,
            service=service,
            page=page,
            caller=caller.slug,
            provider=provider,
            exchange_service=exchange_service,
            purpose=purpose,
            what=what,
            why=why,
            language=language,
            given=given,
            decided_at=timezone.now(),
        )
        record(
            "prefill.consent_given" if given else "prefill.consent_refused",
            organisation=caller,
            obj=consent,
            data={
                "service": service,
                "page": page,
                "provider": provider,
                "exchange_service": exchange_service,
                "purpose": purpose,
                "signed_in": citizen is not None,
            },
        )
    return consent


def _digest(value: Any) -> str:
    """A keyed hash of an answer: enough to tell later whether the citizen changed it."""
    text = json.dumps(value, sort_keys=True, default=str)
    return crypto.keyed_hash(text, purpose="prefill")


def keep_fetched(
    consent: Consent, *, message_id: str, outcome: str, values: dict[str, Any]
) -> None:
    """The call a consent allowed: how it ended and the answers it gave (encrypted, until
    the journey is sent)."""
    with transaction.atomic():
        consent.message_id, consent.outcome = message_id, outcome
        consent.save(update_fields=["message_id", "outcome"])
        for field, value in values.items():
            blob, key_id = crypto.encrypt(value, context=f"prefill:{consent.pk}:{field}")
            PrefilledAnswer.objects.create(
                consent=consent,
                journey_id=consent.journey_id,
                field=field,
                provider=consent.provider,
                exchange_service=consent.exchange_service,
                message_id=message_id,
                value=blob,
                key_id=key_id,
                digest=_digest(value),
            )


def read_fetched(answer: PrefilledAnswer) -> Any:
    if answer.value is None:
        return None
    return crypto.decrypt(
        answer.value, answer.key_id, context=f"prefill:{answer.consent_id}:{answer.field}"
    )


def withdraw_consent(consent: Consent, *, citizen: CitizenAccount) -> None:
    """Never use this consent again: a journey in progress asks again, and answers fetched
    but not yet sent are forgotten. Answers already sent stay with the application."""
    if consent.citizen_id != citizen.pk:
        raise NotAllowed("Only the citizen who gave a consent may withdraw it")
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            return
        locked.withdrawn_at = consent.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        PrefilledAnswer.objects.filter(consent=locked, submission=None).delete()
        record(
            "prefill.consent_withdrawn",
            organisation=Organisation.objects.filter(slug=locked.caller).first(),
            obj=locked,
            data={"provider": locked.provider, "exchange_service": locked.exchange_service},
        )


def attach_to_submission(submission: Submission, answers: dict[str, Any]) -> None:
    """The journey was sent (inside its transaction): its consents and fetched answers now
    belong to the application, with whether the citizen changed each fetched answer."""
    journey_id = submission.journey_id
    if journey_id is None:
        return
    Consent.objects.filter(journey_id=journey_id).update(submission=submission)
    fetched = PrefilledAnswer.objects.filter(journey_id=journey_id, consent__withdrawn_at=None)
    for answer in fetched:
        if answer.field not in answers:  # not on the route in the end: not part of it
            answer.delete()
            continue
        answer.changed = _digest(answers[answer.field]) != answer.digest
        answer.submission, answer.journey, answer.value, answer.key_id = submission, None, None, ""
        answer.save(update_fields=["changed", "submission", "journey", "value", "key_id"])
