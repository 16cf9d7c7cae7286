"""The audit log: append-only, each entry chained to the one before by a hash.

Append-only is enforced three times over: here (the model and its querysets refuse to change
or delete entries), in the database (triggers, migration 0003) and by `porth audit verify`,
which finds any change made around both (the hash chain).
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Someone tried to change or delete an audit entry."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"the audit log is append-only: {what} is not allowed")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads and inserts only: every bulk way of changing entries raises."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("updating entries")

    def delete(self) -> NoReturn:
        _refuse("deleting entries")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse("updating entries")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("updating entries")

    def _raw_delete(self, using: Any) -> NoReturn:
        _refuse("deleting entries")


class AuditEvent(models.Model):
    """Who did or saw what, when, to which case, from where.

    `hash` covers this entry's content and the previous entry's hash, so changing or
    deleting any entry breaks every hash after it (`porth audit verify` finds where). It is
    an HMAC under a key the database does not hold (PORTH_AUDIT_KEY), so whoever can write to
    the database cannot compute the hashes of a rewritten chain.
    Write entries with `porth.audit.service.record`, never directly.
    """

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=200)  # kept even if the account is removed
    action = models.CharField(max_length=60)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A copy of data["reference"] (a case or submission reference), indexed for search. Not
    # hashed on its own: `verify` checks that it still matches the hashed `data`.
    reference = models.CharField(max_length=20, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The PORTH_AUDIT_KEY key whose HMAC `hash` is; "" for entries made before the chain
    # was keyed (plain SHA-256), which `verify` accepts only before the first keyed entry.
    key_id = models.CharField(max_length=20, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object"),
            models.Index(fields=["actor", "id"], name="audit_actor"),
            models.Index(fields=["organisation", "id"], name="audit_organisation"),
            # For the auditors' search, which pages through by id (newest first).
            models.Index(fields=["object_id", "id"], name="audit_object_id"),
            models.Index(fields=["reference", "id"], name="audit_reference"),
            models.Index(fields=["action", "id"], name="audit_action"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse(f"changing entry {self.pk}")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(f"deleting entry {self.pk}")


class AuditHead(models.Model):
    """One row: the hash of the newest entry. Locking it puts appends in a single line.

    `count` lets `porth audit verify` notice entries missing from the end of the chain.
    """

    hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.hash
