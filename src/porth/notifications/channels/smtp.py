"""Email to any SMTP server (PORTH_SMTP_URL), from PORTH_EMAIL_FROM.

PORTH_SMTP_URL is smtp://[user:password@]host[:port][?tls=starttls|ssl] (smtps:// is ssl):
STARTTLS upgrades a plain connection (port 587 by default), ssl speaks TLS from the start
(port 465); without either, port 25 and no encryption (a relay on the same network).

Each message is plain UTF-8 text with its language in Content-Language, and a Message-ID made
from the notification's reference: a resend after a worker died carries the same id, so a
mail system downstream can tell it is one message.

What the server answers, and what Porth does with it: an address refused with 5xx (the bounce
the server reports while we talk to it) is a permanent failure; 4xx, or no server, a
temporary one; a refused login, sender or certificate a technical one (an operator's job).
Bounces that come back later as mail to PORTH_EMAIL_FROM are not read.

Text messages: this channel sends email only (`kinds`). The delivery task, not the channel,
decides what happens to a text message when this is the channel: a permanent failure
"This service cannot send text messages: …". `send` refuses one all the same.
"""

import contextlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from .base import Channel, Message, PermanentFailure, Sent, TechnicalFailure, TemporaryFailure

TIMEOUT = 30  # seconds for each exchange with the server
PORTS = {"": 25, "starttls": 587, "ssl": 465}
_ADDRESS = re.compile(r"[^\s@<>,;:\"()\[\]\\]+@[^\s@<>,;:\"()\[\]\\]+")
MAX_DETAIL = 300  # Notification.status_detail


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str
    tls: Literal["", "starttls", "ssl"]


def parse_url(url: str) -> Server:
    """PORTH_SMTP_URL as a Server; ValueError says what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError("it must start smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("it names no server (smtp://host:port)")
    tls_values = parse_qs(parts.query).get("tls", [])
    tls = "ssl" if parts.scheme == "smtps" else (tls_values[-1] if tls_values else "")
    if tls not in PORTS:
        raise ValueError(f"tls must be starttls or ssl, not {tls!r}")
    try:
        port = parts.port or PORTS[tls]
    except ValueError:
        raise ValueError("its port is not a number from 1 to 65535") from None
    return Server(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        tls=tls,  # type: ignore[arg-type]
    )


def message_id(reference: str, sender: str) -> str:
    """The same for every send of a notification: its reference at the sender's domain."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "porth.invalid"
    return f"<{reference}.porth@{domain}>"


def build(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    # A header is one line: a subject is shown as one, whatever a template made of it.
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = format_datetime(timezone.now())
    email["Message-ID"] = message_id(message.reference, sender)
    # RFC 3834: sent by a machine, so out-of-office replies are not sent back.
    email["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the text readable and passes any server (no 8BITMIME needed).
    email.set_content(message.body, charset="utf-8", cte="quoted-printable")
    email["Content-Language"] = message.language  # after set_content, which clears Content-*
    return email


class SmtpChannel(Channel):
    name = "smtp"
    kinds = frozenset({"email"})

    def send(self, message: Message) -> Sent:
        if message.kind != "email":
            raise PermanentFailure(
                "This service cannot send text messages: Porth sends email only through SMTP"
            )
        try:
            server = parse_url(settings.PORTH_SMTP_URL)
        except ValueError as error:
            raise TechnicalFailure(f"PORTH_SMTP_URL is not set up: {error}") from None
        if not _ADDRESS.fullmatch(message.to):
            raise PermanentFailure("The email address is not valid")
        sender = settings.PORTH_EMAIL_FROM
        email = build(message, sender)
        try:
            smtp = _connect(server)
            try:
                smtp.send_message(email, from_addr=parseaddr(sender)[1], to_addrs=[message.to])
            finally:
                # The message is the server's once DATA is answered: a QUIT that goes wrong
                # after that must not make it look unsent.
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    smtp.quit()
                smtp.close()
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            said = _said(code, reply, message.to)
            if code >= 500:
                raise PermanentFailure(
                    _cut(f"The mail server refused the address: {said}")
                ) from None
            raise TemporaryFailure(_cut(f"The mail server put the address off: {said}")) from None
        except smtplib.SMTPSenderRefused as error:
            said = _said(error.smtp_code, error.smtp_error, message.to)
            if error.smtp_code >= 500:
                raise TechnicalFailure(
                    _cut(f"The mail server refused the sender in PORTH_EMAIL_FROM: {said}")
                ) from None
            raise TemporaryFailure(_cut(f"The mail server put the sender off: {said}")) from None
        except smtplib.SMTPDataError as error:
            said = _said(error.smtp_code, error.smtp_error, message.to)
            if error.smtp_code >= 500:
                raise PermanentFailure(
                    _cut(f"The mail server refused the message: {said}")
                ) from None
            raise TemporaryFailure(_cut(f"The mail server put the message off: {said}")) from None
        except smtplib.SMTPAuthenticationError as error:
            said = _said(error.smtp_code, error.smtp_error, message.to)
            raise TechnicalFailure(
                _cut(f"The mail server refused the user name or password in PORTH_SMTP_URL: {said}")
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            if not message.to.isascii():
                raise PermanentFailure(
                    "The mail server cannot take an address with letters outside A to Z"
                ) from None
            raise TechnicalFailure(
                _cut(f"The mail server cannot do what PORTH_SMTP_URL asks: {error}")
            ) from None
        except smtplib.SMTPResponseException as error:  # refused the greeting, HELO, STARTTLS
            said = _said(error.smtp_code, error.smtp_error, message.to)
            if error.smtp_code >= 500:
                raise TechnicalFailure(_cut(f"The mail server refused Porth: {said}")) from None
            raise TemporaryFailure(_cut(f"The mail server is busy: {said}")) from None
        except ssl.SSLCertVerificationError as error:
            raise TechnicalFailure(
                _cut(f"The mail server's certificate is not trusted: {error.verify_message}")
            ) from None
        except (smtplib.SMTPException, OSError):  # refused, dropped, timed out, TLS broke
            raise TemporaryFailure("Porth could not reach the mail server") from None
        return Sent(provider_id=str(email["Message-ID"]))


def _connect(server: Server) -> smtplib.SMTP:
    smtp: smtplib.SMTP
    if server.tls == "ssl":
        smtp = smtplib.SMTP_SSL(
            server.host,
            server.port,
            local_hostname=_local_hostname(),
            timeout=TIMEOUT,
            context=tls_context(),
        )
    else:
        smtp = smtplib.SMTP(
            server.host, server.port, local_hostname=_local_hostname(), timeout=TIMEOUT
        )
    try:
        if server.tls == "starttls":
            smtp.starttls(context=tls_context())
        if server.user:
            smtp.login(server.user, server.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates (tests add their own authority)."""
    return ssl.create_default_context()


@cache
def _local_hostname() -> str:
    # What smtplib would say in EHLO; looked up once, not on every message.
    return socket.getfqdn()


def _said(code: int, reply: bytes | str, address: str) -> str:
    """The server's code and words, without the address it may repeat."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(text.split())
    text = re.sub(re.escape(address), "[address]", text, flags=re.IGNORECASE)
    return f"{code} {_ADDRESS.sub('[address]', text)}"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
