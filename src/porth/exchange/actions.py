"""Every change to who may call what, and to the keys: checked, in one transaction, audited.

Only a service owner of the organisation that publishes an exchange service grants or
revokes access to it.
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import has_role
from porth.audit.service import record

from . import keys
from .models import ExchangeService, Grant, Handler, SigningKey


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
