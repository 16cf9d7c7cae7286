"""Exchange between organisations: signing keys, partners, the services an organisation
publishes, who may call them (grants), and the hash-chained message log."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class SigningKey(models.Model):
    """One of an organisation's Ed25519 keys. The newest active key signs; every key not yet
    past `not_after` (and not retired) still verifies, so partners holding a message signed
    just before a rotation can check it. The private key is encrypted at rest
    (porth.utils.crypto, under PORTH_ENCRYPTION_KEYS)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="exchange_keys"
    )
    kid = models.CharField(max_length=80, unique=True)
    public_pem = models.TextField()
    private_key = models.BinaryField()  # PEM, encrypted
    key_id = models.CharField(max_length=32)  # the encryption key's id
    created_at = models.DateTimeField()
    not_after = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "created_at"], name="exchange_key_org")]

    def __str__(self) -> str:
        return self.kid


class Partner(models.Model):
    """An organisation on another Porth (or any system speaking the same wire): where to
    call it and where to fetch its public keys. Organisations in this Porth need no row to be
    verified (their keys are here), but get one to be called over HTTP."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    base_url = models.URLField(max_length=300)  # e.g. https://porth.example.gov.uk
    jwks_url = models.URLField(max_length=300, blank=True)  # "" = keys held in this Porth

    def __str__(self) -> str:
        return self.slug


class Handler(models.TextChoices):
    QUERY = "query", "A query over Porth's own data"
    HTTP = "http", "An HTTP call to a legacy system"


class ExchangeService(models.Model):
    """Something an organisation answers for others, e.g. "confirm this Blue Badge"."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="exchange_services"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What the reply holds: [{"id": "approved", "label": "Has an approved application"}, …]
    fields = models.JSONField(default=list, blank=True)
    handler = models.CharField(max_length=10, choices=Handler.choices, default=Handler.QUERY)
    # QUERY: {"query": "<registered query>", …its settings}. HTTP: {"url", "timeout",
    # "token_env" (the env var holding a bearer token), "map": {"reply field": "json key"}}.
    config = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="exchange_service_slug")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}/{self.slug}"


class Grant(models.Model):
    """Permission for one calling organisation to call one service for one purpose.
    Revoked grants stay, for the record."""

    service = models.ForeignKey(ExchangeService, on_delete=models.CASCADE, related_name="grants")
    caller = models.SlugField(max_length=80)  # an organisation slug, here or a partner's
    purpose = models.SlugField(max_length=80)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "caller", "purpose"],
                condition=models.Q(revoked_at__isnull=True),
                name="exchange_grant_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.caller} → {self.service} for {self.purpose}"


class SeenMessage(models.Model):
    """A message id a caller has used: a second call with it is a replay (refused)."""

    caller = models.CharField(max_length=80)
    message_id = models.CharField(max_length=100)
    at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "message_id"], name="exchange_seen_once")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.message_id}"


class Direction(models.TextChoices):
    OUT = "out", "Sent"
    IN = "in", "Received"


class Outcome(models.TextChoices):
    ANSWERED = "answered", "Answered"
    REFUSED = "refused", "Refused"
    UNAVAILABLE = "unavailable", "Unavailable"


def _refuse(what: str) -> NoReturn:
    raise PermissionError(f"the exchange log is append-only: {what} is not allowed")


class MessageLog(models.Model):
    """One call, as one side saw it. `hash` is SHA-256 over the entry's content and the
    previous entry's hash (porth.exchange.log): anyone with an export can recompute it, and
    exports end with the head signed by the organisation's exchange key.
    Write entries with porth.exchange.log.append, never directly."""

    # Each organisation keeps its own chain: the caller's side and the provider's side.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="exchange_log"
    )
    at = models.DateTimeField()
    message_id = models.CharField(max_length=100)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    caller = models.CharField(max_length=80)
    provider = models.CharField(max_length=80)
    service = models.CharField(max_length=80)
    purpose = models.CharField(max_length=80)
    reference = models.CharField(max_length=40, blank=True)
    request_digest = models.CharField(max_length=200, blank=True)
    response_digest = models.CharField(max_length=200, blank=True)
    request_signature = models.TextField(blank=True)
    response_signature = models.TextField(blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    # Whom the call was about, for "who used my data". Not hashed: the link is cut if the
    # account goes, and the entry must still verify.
    citizen = models.ForeignKey(
        "signin.CitizenAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_calls",
    )
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["citizen", "at"], name="exchange_log_citizen"),
            models.Index(fields=["organisation", "id"], name="exchange_log_chain"),
            models.Index(fields=["message_id"], name="exchange_log_message"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.direction} {self.message_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(f"changing entry {self.pk}")
        super().save(*args, **kwargs)


class LogHead(models.Model):
    """One row per organisation: its newest entry's hash and the count, so entries cut from
    the end show. Locking it puts one organisation's appends in a single line."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="exchange_log_head"
    )
    hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.count} entries, head {self.hash[:12]}"


class Consent(models.Model):
    """A citizen's answer to "may we get your details from <organisation>?" before a
    prefilled page ("tell us once", docs/prefill.md), with the words they were shown.
    Nothing is fetched without a given consent; a withdrawn one is never used again."""

    journey = models.ForeignKey(
        "submissions.Journey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the journey is sent: the application the answers went with.
    submission = models.ForeignKey(
        "submissions.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    citizen = models.ForeignKey(
        "signin.CitizenAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    service = models.SlugField(max_length=80)  # the definition's (the citizen's service)
    page = models.CharField(max_length=60)
    caller = models.SlugField(max_length=80)  # the organisation that asks
    provider = models.SlugField(max_length=80)
    exchange_service = models.SlugField(max_length=80)
    purpose = models.SlugField(max_length=80)
    # The words asked, in the language they were asked in.
    what = models.TextField()
    why = models.TextField()
    language = models.CharField(max_length=2, default="en")
    given = models.BooleanField()
    decided_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The call the consent allowed (given only): its message id and how it ended.
    message_id = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["journey", "page"], name="exchange_consent_journey"),
            models.Index(fields=["message_id"], name="exchange_consent_message"),
        ]

    def __str__(self) -> str:
        return f"consent to ask {self.provider}/{self.exchange_service} ({self.given})"


class PrefilledAnswer(models.Model):
    """One answer fetched for a journey's page: where it came from, and (once sent) whether
    the citizen changed it. The value is kept encrypted only until the journey is sent (it
    is then in the submission's answers); after that only a keyed hash of it remains."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="answers")
    # Deleted with an unsent journey; cut loose (None) when the journey is sent.
    journey = models.ForeignKey(
        "submissions.Journey", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prefilled_answers",
    )
    field = models.CharField(max_length=60)
    provider = models.SlugField(max_length=80)
    exchange_service = models.SlugField(max_length=80)
    message_id = models.CharField(max_length=100)
    value = models.BinaryField(null=True, blank=True)  # encrypted; None once sent
    key_id = models.CharField(max_length=32, blank=True)
    digest = models.CharField(max_length=64)  # keyed hash of the value fetched
    changed = models.BooleanField(null=True, blank=True)  # None until sent

    def __str__(self) -> str:
        return f"{self.field} from {self.provider}/{self.exchange_service}"
