"""Background tasks of the submissions app (django.tasks), registered as periodic in apps.py."""

from django.tasks import task

from . import saving


@task
def erase_unresumed_journeys() -> int:
    """Journeys saved for later whose link expired unused: erased (saving.erase_unresumed)."""
    return saving.erase_unresumed()
