import secrets

from django.conf import settings
from django.db import models


def new_journey_id() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    ASSISTED = "assisted", "Assisted digital"
    PHONE = "phone", "Phone"
    PAPER = "paper", "Paper"


class Journey(models.Model):
    """A citizen's pass through a service, in progress. Its id is the only key to it.

    The state (answers and finished pages) is encrypted; only the service, version and
    times are in the clear, for housekeeping.
    """

    id = models.CharField(primary_key=True, max_length=64, default=new_journey_id)
    service = models.SlugField(max_length=80)
    version = models.CharField(max_length=16)
    state = models.BinaryField()
    key_id = models.CharField(max_length=32)
    language = models.CharField(max_length=2, default="en")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # Assisted digital: the caseworker completing the journey on the citizen's behalf.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Not indexed: every answer changes it, and an index on it would make each save update
    # every index of the row (no HOT update on PostgreSQL). Clearing out old journeys is a
    # daily scan.
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # One more at every save: a save made against an older revision is refused (two tabs),
    # and a cookie names the revision the browser last saw (see store.open_journey).
    revision = models.PositiveIntegerField(default=0)
    # Saved for later (save_views): kept until then, however long it is left, for its
    # resume link; erased then if not resumed (actions.erase_unresumed). Cleared on resume,
    # when the journey is back in a browser and idles like any other.
    keep_until = models.DateTimeField(null=True, blank=True)
    # Runs on `version` however the definition changes (see views._definition_for): a
    # journey saved for later continues on the definition it was started on. Others move to
    # the newest version, keeping the answers that still fit.
    pinned = models.BooleanField(default=False)
    # The citizen who was signed in when it started (porth.signin), if they chose to: they can
    # take it up again on any device and see it in "Your applications".
    citizen = models.ForeignKey(
        "signin.CitizenAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journeys",
    )

    class Meta:
        indexes = [
            # Only journeys saved for later: a few rows, and a column no answer changes (so
            # each save can still be a HOT update on PostgreSQL).
            models.Index(
                fields=["keep_until"],
                condition=models.Q(keep_until__isnull=False),
                name="journey_keep_until",
            )
        ]

    def __str__(self) -> str:
        return f"journey through {self.service}"


class ResumeLink(models.Model):
    """A single-use link to take a journey saved for later up again, on any device.

    Only a hash of its token is kept: the token itself is in the link sent to the citizen
    and nowhere else. The row outlives its journey (which is erased when the link expires)
    so that a late click is told what happened rather than that the link is unknown.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    token_hash = models.CharField(max_length=64, unique=True)  # sha256, hex
    journey = models.ForeignKey(
        Journey, null=True, on_delete=models.SET_NULL, related_name="resume_links"
    )
    service = models.SlugField(max_length=80)  # for "start again", once the journey is gone
    kind = models.CharField(max_length=5, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"resume link for {self.service}"


class LinkRequest(models.Model):
    """A "save and come back later" link sent, kept a day to limit how many links one address,
    or one client, is sent (each email or text message costs the service, and the form must
    not become a way to flood someone's phone). Keyed hashes only: no address is stored."""

    to_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["to_hash", "at"], name="link_request_to"),
            models.Index(fields=["client_hash", "at"], name="link_request_client"),
        ]

    def __str__(self) -> str:
        return f"link request at {self.at}"


class Submission(models.Model):
    """What a citizen sent: the answers on their route, against one definition version."""

    reference = models.CharField(max_length=20, unique=True)
    journey = models.OneToOneField(
        Journey, null=True, on_delete=models.SET_NULL, related_name="submission"
    )  # one journey, one submission: a retried POST finds the first
    service = models.SlugField(max_length=80, db_index=True)
    definition = models.ForeignKey("services.DefinitionVersion", on_delete=models.PROTECT)
    answers = models.BinaryField()
    key_id = models.CharField(max_length=32)
    language = models.CharField(max_length=2)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # Who sent it, when it was not the citizen online: assisted digital, phone or paper.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The signed-in citizen whose application this is (copied from the journey), if any.
    citizen = models.ForeignKey(
        "signin.CitizenAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # When its answers were erased under the service's retention period: the row stays, with
    # nothing personal, for statistics and for the citizen's enquiries by reference.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Retention: a service's oldest submissions not yet erased. Erased ones leave the
            # index, so each day's search does not walk past the years already erased.
            models.Index(
                fields=["service", "submitted_at"],
                name="submission_to_erase",
                condition=models.Q(erased_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference
