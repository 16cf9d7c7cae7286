"""The audit log: append-only, each entry chained to the one before by a hash."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did or saw what, when, to which case, from where.

    `hash` covers this entry's content and the previous entry's hash, so changing or
    deleting any entry breaks every hash after it (`porth audit verify` finds where).
    The model refuses updates and deletes; see `porth.audit.service.record`.
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
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object"),
            models.Index(fields=["actor", "id"], name="audit_actor"),
            models.Index(fields=["organisation", "id"], name="audit_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditHead(models.Model):
    """One row: the hash of the newest entry. Locking it puts appends in a single line."""

    hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.hash
