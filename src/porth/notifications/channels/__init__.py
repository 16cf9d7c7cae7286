"""The channel registry: name → channel class."""

from django.conf import settings

from .base import (
    Channel,
    Failure,
    Kind,
    Message,
    PermanentFailure,
    Sent,
    TechnicalFailure,
    TemporaryFailure,
)

__all__ = [
    "Channel",
    "Failure",
    "Kind",
    "Message",
    "PermanentFailure",
    "Sent",
    "TechnicalFailure",
    "TemporaryFailure",
    "channel",
    "register",
    "registered",
]

_registry: dict[str, type[Channel]] = {}


def register(cls: type[Channel]) -> type[Channel]:
    """Register a channel class under its `name` (usable as a decorator)."""
    if cls.name in _registry and _registry[cls.name] is not cls:
        raise ValueError(f"a channel named {cls.name!r} is already registered")
    _registry[cls.name] = cls
    return cls


def registered() -> dict[str, type[Channel]]:
    return dict(_registry)


def channel(name: str | None = None) -> Channel:
    """The channel named (by default, PORTH_NOTIFICATION_CHANNEL), ready to send."""
    name = name or settings.PORTH_NOTIFICATION_CHANNEL
    try:
        cls = _registry[name]
    except KeyError:
        raise LookupError(f"no notification channel named {name!r}") from None
    return cls()


def register_builtin() -> None:
    """Porth's own channels (called from AppConfig.ready)."""
    from .notify import NotifyChannel
    from .outbox import OutboxChannel
    from .smtp import SmtpChannel

    register(NotifyChannel)
    register(OutboxChannel)
    register(SmtpChannel)
