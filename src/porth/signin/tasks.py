"""Background tasks of sign-in (django.tasks), registered as periodic in apps.py."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from .models import CitizenSession


@task
def forget_old_sessions() -> int:
    """Delete the server's records of sessions that can no longer sign anyone in: ended ones
    (signed out, logged out by the provider) and those older than a session cookie lasts
    (sessions.open_row ignores them already). Sign-ins and sign-outs stay in the audit log."""
    oldest = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    deleted, _ = CitizenSession.objects.filter(
        Q(ended_at__isnull=False) | Q(started_at__lt=oldest)
    ).delete()
    return deleted
