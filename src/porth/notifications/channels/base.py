"""What a channel is: something that delivers one rendered message to one address.

Channels are plugins (a typed registry, as question types are): each is a subclass of
`Channel`, registered by name, and chosen by the PORTH_NOTIFICATION_CHANNEL setting. A
channel never writes to the database: the delivery task (porth.notifications.delivery) owns
the notification row, and reads what a channel raises to decide what happens next.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Literal

Kind = Literal["email", "sms"]


@dataclass(frozen=True)
class Message:
    """One message to send. `reference` is stable for the notification's whole life, so a
    provider (or `Channel.find`) can tell a resend of a message it already has."""

    reference: str
    kind: Kind
    to: str
    subject: str  # "" for SMS
    body: str
    language: str
    # Only channels that send through a provider's own templates use it (Notify): the id of
    # the template that carries ((subject)) and ((body)).
    service: str = ""


@dataclass(frozen=True)
class Sent:
    """The provider took the message. `provider_id` is its own id for it (Notify's
    notification id, the SMTP Message-ID); `delivered`: the provider already knows it arrived
    (the local outbox), so no receipt will come."""

    provider_id: str
    delivered: bool = False


class Failure(Exception):
    """The message was not sent. `message` is plain English for staff, with no personal
    data (no address, no text of the message)."""

    status: ClassVar[str]

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TemporaryFailure(Failure):
    """Worth trying again later: the provider is down, busy (5xx) or rate-limiting (429).
    `retry_after`: seconds the provider asked us to wait, if it said."""

    status = "temporary-failure"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(Failure):
    """Will never work as it is: the address is invalid, or the provider refused the
    message (400). Staff see it, and may correct and retry."""

    status = "permanent-failure"


class TechnicalFailure(Failure):
    """Our side is wrong (no API key, a key the provider refuses: 403). Retrying will not
    help until an operator fixes the configuration."""

    status = "technical-failure"


class Channel(ABC):
    """Delivers messages. Subclasses set `name` and `kinds`, and are registered with
    `porth.notifications.channels.register`."""

    name: ClassVar[str]
    kinds: ClassVar[frozenset[str]] = frozenset({"email", "sms"})

    @abstractmethod
    def send(self, message: Message) -> Sent:
        """Send one message, or raise a `Failure`."""

    def find(self, reference: str) -> Sent | None:
        """The message with this reference, if the provider already has it (a worker died
        after sending, before recording it). None if it does not, or cannot tell."""
        return None
