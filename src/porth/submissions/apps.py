from datetime import timedelta

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "porth.submissions"
    verbose_name = "Submissions"

    def ready(self) -> None:
        from porth.background.service import periodic
        from porth.signin.signals import citizen_signed_in

        from . import checks  # noqa: F401 - registers the system checks
        from .session_views import attach_on_sign_in
        from .tasks import erase_unresumed_journeys

        citizen_signed_in.connect(attach_on_sign_in, dispatch_uid="submissions.attach")

        # Hourly: a link expires at the end of its day, and its answers go within the hour.
        periodic(
            "submissions.erase_unresumed_journeys",
            every=timedelta(hours=1),
            task=erase_unresumed_journeys,
        )
