"""Background tasks of the open data app (django.tasks), registered as periodic in apps.py."""

from collections import Counter

from django.tasks import task

from . import performance


@task
def publish_performance() -> dict[str, int]:
    """Make or refresh every live service's performance dataset (performance.publish); how
    many datasets were created, updated, unchanged, ended or skipped."""
    return dict(Counter(outcome.action for outcome in performance.publish()))
