"""Background tasks of the exchange (django.tasks), registered as periodic in apps.py."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import SeenMessage


@task
def forget_old_message_ids() -> int:
    """Forget message ids older than twice the window; how many. A message that old is
    refused for its time (stale-signature) before its id is looked at, so keeping the ids
    any longer would only grow the table."""
    before = timezone.now() - timedelta(seconds=2 * settings.PORTH_EXCHANGE_WINDOW_SECONDS)
    deleted, _ = SeenMessage.objects.filter(at__lt=before).delete()
    return deleted
