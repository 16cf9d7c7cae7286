"""The scheduler's state: one row per periodic task, shared by every worker on every machine."""

from django.db import models


class ScheduledTask(models.Model):
    """When a periodic task is next due. A worker that finds it due moves `next_run_at` on
    with a conditional update (compare and set): of several workers, exactly one succeeds,
    and only that one enqueues the task."""

    name = models.CharField(primary_key=True, max_length=100)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
