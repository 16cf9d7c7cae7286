"""Performance data: raw events, the rollups read by dashboards, and what feeds them.

No row here holds an answer, free text a citizen typed, an IP address or a cookie. A journey
is named only by a keyed hash of its id (`recorder.journey_key`), which nobody can turn back
into the id, and which links to nothing once the journey is gone.
"""

from django.db import models


class Kind(models.TextChoices):
    """What happened. Recorded by `recorder.record`, from the apps' signals (receivers.py)."""

    PAGE_VIEWED = "page_viewed", "Page viewed"
    PAGE_ANSWERED = "page_answered", "Page answered"
    VALIDATION_ERROR = "validation_error", "Validation error"
    CHANGE_USED = "change_used", "Change link used"
    BACK_USED = "back_used", "Went back to an answered page"
    EXIT_REACHED = "exit_reached", "Exit page reached"
    SAVED = "saved", "Saved for later"
    RESUMED = "resumed", "Resumed"
    SUBMITTED = "submitted", "Submitted"
    RATED = "rated", "Satisfaction given"
    CASE_OPENED = "case_opened", "Case opened"
    CASE_DECIDED = "case_decided", "Case decided"


class Event(models.Model):
    """One thing that happened in a journey or to a case. Kept PORTH_ANALYTICS_RAW_DAYS
    (rollups are kept for good). Only the primary key is indexed: events are written far
    more often than read, and are read in id order by the roll-up (rollups.py) and by the
    retention sweep, which deletes from the oldest."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    service = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Keyed hash of the journey id (recorder.journey_key); None for a page viewed before
    # the journey was first saved, and for case events.
    journey = models.BigIntegerField(null=True, blank=True)
    page = models.CharField(max_length=80, blank=True)
    # The question a validation error was on.
    field = models.CharField(max_length=80, blank=True)
    # Words from the definition, never from the citizen: the error message shown (English),
    # the queue of a case, the outcome of a decision.
    detail = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    # mobile, tablet, desktop or other (devices.classify), on `page_viewed` of a journey's
    # first page and on `submitted`.
    device = models.CharField(max_length=10, blank=True)
    # "<experiment>:<a|b>" when the page is in an experiment (experiments in the definition).
    variant = models.CharField(max_length=90, blank=True)
    # A number that goes with the kind: seconds to complete (submitted), the rating 1-5
    # (rated), seconds from opening to decision (case_decided).
    value = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.service} {self.page}".strip()


# What a count is broken down by, after its service, day (or month) and metric.
DIMENSIONS = ("channel", "device", "page", "field", "detail", "variant", "bucket")


class Tally(models.Model):
    """The columns a rollup row has, by day (Count) or by month (MonthCount)."""

    service = models.SlugField(max_length=80)
    metric = models.CharField(max_length=24)
    channel = models.CharField(max_length=10, blank=True, default="")
    device = models.CharField(max_length=10, blank=True, default="")
    page = models.CharField(max_length=80, blank=True, default="")
    field = models.CharField(max_length=80, blank=True, default="")
    detail = models.CharField(max_length=200, blank=True, default="")
    variant = models.CharField(max_length=90, blank=True, default="")
    # A bucket of a distribution: the hour of the day (completions), a histogram bucket
    # (time to complete, time to decision), a rating.
    bucket = models.IntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Count(Tally):
    """A rollup: how many of `metric` a service had on one day (local time), broken down by
    the dimensions that apply to that metric ("" or 0 where one does not). Dashboards read
    these, never raw events. Maintained incrementally by rollups.roll_up: each event is
    counted once, and counts only grow."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day", "metric", *DIMENSIONS], name="unique_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.day} {self.metric} = {self.value}"


class MonthCount(Tally):
    """The same counts as Count, by calendar month (`month` is its first day): a quarter's
    dashboard reads three of these per breakdown instead of ninety days' Count rows. Written
    by rollups.roll_up in the same transaction as the Count rows, so the two always agree."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month", "metric", *DIMENSIONS], name="unique_month_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.month:%B %Y} {self.metric} = {self.value}"


class Progress(models.Model):
    """How far one journey has gone, as the roll-up has seen it: so that a page reached or
    answered twice (back, change, a refresh) counts once, and a journey's channel, device
    and experiment variants are known when it is submitted. Deleted once the journey is
    submitted and the roll-up has counted it, or abandoned (retention). Written only by the
    roll-up, under its lock."""

    journey = models.BigIntegerField(primary_key=True)
    service = models.SlugField(max_length=80)
    started_at = models.DateTimeField()
    last_at = models.DateTimeField()
    channel = models.CharField(max_length=10, blank=True)
    device = models.CharField(max_length=10, blank=True)
    # Page ids, space-separated (page ids are slugs): reached, answered, showed an error.
    reached = models.TextField(blank=True, default="")
    answered = models.TextField(blank=True, default="")
    errored = models.TextField(blank=True, default="")
    # Exit pages reached (each counted once in `exits`).
    exited = models.TextField(blank=True, default="")
    # "<experiment>:<a|b>" words, space-separated: the variants this journey was shown.
    variants = models.TextField(blank=True, default="")
    # When the roll-up counted its submission: events after that (the confirmation page, a
    # straggler from a batch) must not start it again, and retention deletes it a day later.
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"progress of a journey through {self.service}"


class RollupState(models.Model):
    """Where the roll-up has got to: every event with an id up to `last_id` is counted.
    One row (pk 1), locked while a roll-up runs, so two workers never count an event twice."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rolled up to event {self.last_id}"


class Feedback(models.Model):
    """An answer to the satisfaction question on a confirmation page. The comment is kept
    only as screened (screening.py: email addresses, phone numbers, National Insurance
    numbers… replaced), and the raw text is never stored. One per journey."""

    service = models.SlugField(max_length=80)
    at = models.DateTimeField()
    journey = models.BigIntegerField(unique=True)
    rating = models.PositiveSmallIntegerField()  # 1 very dissatisfied … 5 very satisfied
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=10, blank=True)
    language = models.CharField(max_length=2, default="en")

    class Meta:
        indexes = [models.Index(fields=["service", "at"], name="feedback_service_at")]

    def __str__(self) -> str:
        return f"feedback on {self.service}: {self.rating}"


class Cost(models.Model):
    """What a channel of a service cost over a span of days, entered by the service owner.
    Where none covers a day, the definition's cost per transaction for the channel is used
    (kpis.py). A span's amount is spread evenly over its days."""

    service = models.SlugField(max_length=80)
    channel = models.CharField(max_length=10)
    first_day = models.DateField()
    last_day = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)  # pounds
    entered_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["service", "first_day"], name="cost_service_day")]

    def __str__(self) -> str:
        return f"{self.service} {self.channel} {self.first_day}–{self.last_day}: £{self.amount}"
