"""Background work's own periodic task: the database backend's record of finished tasks is
kept a week (for an operator looking into a fault), then deleted, or it would grow by a row
for every message sent."""

from django.core.management import call_command
from django.tasks import task

KEEP_RESULTS_DAYS = 7


@task()
def prune_results() -> None:
    call_command("prune_db_task_results", min_age_days=KEEP_RESULTS_DAYS, verbosity=0)
