from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "porth.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import channels, checks  # noqa: F401 - checks registers the system checks

        channels.register_builtin()
