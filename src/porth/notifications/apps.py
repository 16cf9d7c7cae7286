from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "porth.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import channels

        channels.register_builtin()
