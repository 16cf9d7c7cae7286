from django.apps import AppConfig


class PorthConfig(AppConfig):
    """Project-wide configuration checks, the fast path's start-up (see porth.fastpath), and
    the periodic tasks of the project's own modules (porth.retention)."""

    name = "porth.conf"
    label = "porth"
    verbose_name = "Porth"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from porth import fastpath
        from porth.fastpath import checks as fastpath_checks  # noqa: F401 - registers them

        from . import checks  # noqa: F401 - registers the system checks

        # First in INSTALLED_APPS, so this runs before any other app's ready(), request or
        # connection.
        # Tests that override PORTH_FAST_PATH see the optimisations they asked for.
        setting_changed.connect(_fast_path_changed, dispatch_uid="porth.fast_path")
        if fastpath.on("locals"):
            from porth.fastpath import locals

            locals.install()

        from porth import retention

        retention.register()  # its daily task: it erases across apps, so no app registers it


def _fast_path_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "PORTH_FAST_PATH":
        from porth import fastpath

        fastpath.forget()
