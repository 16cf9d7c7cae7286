"""Signals other apps may connect to."""

from django.dispatch import Signal

# Sent inside the sign-in's transaction once a citizen has signed in on a request.
# Arguments: request (HttpRequest, its session already the citizen's), account
# (CitizenAccount). porth.submissions attaches the journeys this browser has open.
citizen_signed_in = Signal()
