"""Cases: what the organisation does with each submission, in queues, against an SLA."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Queue(models.Model):
    """A team's list of cases, named by services' `on_submit: case: {queue}`."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_queue")
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_INFORMATION = "awaiting_information", "Waiting for the applicant"
    # The applicant answered a request for information (through their reply link).
    INFORMATION_RECEIVED = "information_received", "Information received"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"


# The statuses in which a case still needs someone to do something (it can be overdue).
OPEN_STATUSES = [
    Status.NEW,
    Status.IN_PROGRESS,
    Status.AWAITING_INFORMATION,
    Status.INFORMATION_RECEIVED,
]


class Case(models.Model):
    """One submission being dealt with. `version` guards against two people's changes
    overwriting each other: every change must name the version it was made against."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.PROTECT, related_name="case"
    )
    reference = models.CharField(max_length=20, unique=True)  # the submission's, for search
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="cases")
    service = models.SlugField(max_length=80)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(max_length=10)
    # Search by applicant name without storing it in the clear: keyed hashes of its words.
    name_index = models.CharField(max_length=400, blank=True)
    # The id of the index key (PORTH_INDEX_KEY) that made them; "" before it was recorded.
    name_index_key = models.CharField(max_length=32, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            # The queue page: an organisation's queue, newest first, by status or assignee.
            models.Index(
                fields=["queue", "status", "-created_at", "-id"], name="case_queue_status"
            ),
            models.Index(
                fields=["queue", "assigned_to", "-created_at", "-id"], name="case_queue_assignee"
            ),
            models.Index(fields=["queue", "due_at"], name="case_queue_due"),
            models.Index(fields=["organisation", "-created_at", "-id"], name="case_org_recent"),
            # The same page across all the user's queues, by status or assignee; by due date.
            models.Index(
                fields=["organisation", "status", "-created_at", "-id"], name="case_org_status"
            ),
            models.Index(
                fields=["organisation", "assigned_to", "-created_at", "-id"],
                name="case_org_assignee",
            ),
            models.Index(fields=["organisation", "due_at", "id"], name="case_org_due"),
            # Overdue only: the open cases (a small part of the table), newest first.
            models.Index(
                fields=["organisation", "-created_at", "-id"],
                name="case_org_open_recent",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            # Performance data: a service's overdue cases (open ones past their due date).
            models.Index(
                fields=["service", "due_at"],
                name="case_service_open_due",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Past its due date and still waiting for a decision."""
        if self.due_at is None or self.status not in OPEN_STATUSES:
            return False
        return self.due_at < (now or timezone.now())


class CaseEvent(models.Model):
    """The case's timeline: everything that happened to it, in order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    # Words shown on the timeline; personal details (a note, a reason) are encrypted.
    detail = models.BinaryField(blank=True, default=b"")
    key_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


def event_context(case: Case) -> str:
    """What binds a timeline event's encrypted detail to its case."""
    return f"case:{case.reference}:event"


class InformationRequest(models.Model):
    """A caseworker's request for more information, and the applicant's single-use link to
    answer it (porth.casework.replies).

    Only a hash of the link's token is kept, so a copy of the database cannot answer for the
    applicant. What was asked is encrypted, as every personal detail of a case is.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, in hex
    text = models.BinaryField()
    key_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Set, once, by the reply that used the link (a conditional update: of two posts of the
    # same form, one wins), with the timeline event that keeps the reply.
    used_at = models.DateTimeField(null=True, blank=True)
    reply = models.OneToOneField(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"information request on {self.case}"
