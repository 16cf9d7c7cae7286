"""Background tasks of performance data (django.tasks), registered as periodic in apps.py."""

from django.tasks import task

from . import rollups


@task
def roll_up() -> int:
    """Count the events written since the last run into the rollups (rollups.roll_up)."""
    return rollups.roll_up()
