"""The sign-in app's public API for other apps: who, if anyone, is signed in."""

from django.http import HttpRequest

from .models import CitizenAccount

SESSION_KEY = "porth_citizen"


def current_citizen(request: HttpRequest) -> CitizenAccount | None:
    """The citizen signed in on this request, or None (most requests: signing in is optional)."""
    account_id = request.session.get(SESSION_KEY)
    if account_id is None:
        return None
    return CitizenAccount.objects.filter(pk=account_id).first()


def log_in(request: HttpRequest, account: CitizenAccount) -> None:
    """Remember in the session that this citizen signed in (after the provider said so)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = account.pk


__all__ = ["SESSION_KEY", "current_citizen", "log_in"]
