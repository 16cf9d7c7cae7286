"""The SMTP channel against a real SMTP server on loopback (aiosmtpd)."""

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from porth.notifications.channels import (
    Message,
    PermanentFailure,
    TechnicalFailure,
    TemporaryFailure,
    channel,
)
from porth.notifications.channels import smtp as smtp_channel
from porth.notifications.channels.smtp import parse_url

from .smtp_server import Inbox, free_port, self_signed, smtp_server

REFERENCE = "8f14e45fceea167a5a36dedd4bea2543"


def email(to: str = "sian.jones@example.com", **fields: Any) -> Message:
    values: dict[str, Any] = {
        "reference": REFERENCE,
        "kind": "email",
        "to": to,
        "subject": "Eich cais BB-ACDE-FGHJ",
        "body": "Diolch, Siân. Rydym wedi cael eich cais.\n\n"
        "Ewch i https://porth.example/services/apply/resume?token=abc&x=1 i barhau.",
        "language": "cy",
    }
    return Message(**(values | fields))


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings.PORTH_SMTP_URL = f"smtp://127.0.0.1:{port}"
        settings.PORTH_EMAIL_FROM = "Cyngor Enghreifftiol <noreply@council.example>"
        yield inbox


def test_an_email_arrives_with_its_subject_body_language_and_headers(inbox: Inbox) -> None:
    sent = channel("smtp").send(email())

    (received,) = inbox.received
    assert received.mail_from == "noreply@council.example"
    assert received.rcpt_tos == ["sian.jones@example.com"]
    message = received.message
    assert message["Subject"] == "Eich cais BB-ACDE-FGHJ"
    assert message["From"] == "Cyngor Enghreifftiol <noreply@council.example>"
    assert message["To"] == "sian.jones@example.com"
    assert message["Content-Language"] == "cy"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] is not None
    assert message["Message-ID"] == f"<{REFERENCE}.porth@council.example>"
    assert sent.provider_id == message["Message-ID"]
    assert not sent.delivered
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert message.get_content().replace("\r\n", "\n") == email().body + "\n"
    assert received.data.isascii()  # any server takes it, 8BITMIME or not


def test_an_english_message_says_it_is_english(inbox: Inbox) -> None:
    channel("smtp").send(email(language="en", subject="Your application", body="Thank you."))
    message = inbox.received[0].message
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Your application"


def test_a_resend_carries_the_same_message_id(inbox: Inbox) -> None:
    channel("smtp").send(email())
    channel("smtp").send(email())
    first, second = (received.message["Message-ID"] for received in inbox.received)
    assert first == second


def test_a_subject_on_several_lines_is_sent_on_one(inbox: Inbox) -> None:
    channel("smtp").send(email(subject="Your application\r\nBcc: someone@example.com"))
    message = inbox.received[0].message
    assert message["Subject"] == "Your application Bcc: someone@example.com"
    assert message["Bcc"] is None


def test_an_address_the_server_refuses_for_good_is_a_permanent_failure_with_its_bounce(
    inbox: Inbox,
) -> None:
    inbox.refuse["nobody@example.com"] = (
        "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"
    )

    with pytest.raises(PermanentFailure) as failure:
        channel("smtp").send(email(to="nobody@example.com"))

    assert failure.value.message == (
        "The mail server refused the address: "
        "550 5.1.1 <[address]>: Recipient address rejected: User unknown"
    )
    assert inbox.received == []


def test_an_address_the_server_puts_off_is_a_temporary_failure(inbox: Inbox) -> None:
    inbox.refuse["busy@example.com"] = "451 4.7.1 Greylisted, try again in 5 minutes"

    with pytest.raises(TemporaryFailure) as failure:
        channel("smtp").send(email(to="busy@example.com"))

    assert "451 4.7.1 Greylisted" in failure.value.message


def test_no_server_is_a_temporary_failure(settings: Any) -> None:
    settings.PORTH_SMTP_URL = f"smtp://127.0.0.1:{free_port()}"

    with pytest.raises(TemporaryFailure) as failure:
        channel("smtp").send(email())

    assert failure.value.message == "Porth could not reach the mail server"


def test_an_invalid_address_is_a_permanent_failure_before_connecting(settings: Any) -> None:
    settings.PORTH_SMTP_URL = f"smtp://127.0.0.1:{free_port()}"  # nothing there
    with pytest.raises(PermanentFailure, match="The email address is not valid"):
        channel("smtp").send(email(to="sian.jones"))


def test_a_text_message_is_refused(inbox: Inbox) -> None:
    assert channel("smtp").kinds == frozenset({"email"})
    with pytest.raises(PermanentFailure, match="This service cannot send text messages"):
        channel("smtp").send(email(kind="sms", to="07700900123", subject=""))


def test_an_address_in_another_script_needs_a_server_that_takes_it(settings: Any) -> None:
    inbox = Inbox()
    with smtp_server(inbox, enable_SMTPUTF8=False) as port:
        settings.PORTH_SMTP_URL = f"smtp://127.0.0.1:{port}"
        with pytest.raises(PermanentFailure, match="letters outside A to Z"):
            channel("smtp").send(email(to="siân@example.com"))


# --- TLS and a login --------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A self-signed certificate for loopback, which the channel is made to trust."""
    cert, key = self_signed(tmp_path)
    monkeypatch.setattr(
        smtp_channel, "tls_context", lambda: ssl.create_default_context(cafile=str(cert))
    )
    return cert, key


# aiosmtpd cannot tell a connection that began with TLS is encrypted, and warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_a_server_with_tls_and_a_login_takes_the_message(
    settings: Any, certificate: tuple[Path, Path], tls: str
) -> None:
    inbox = Inbox(user="porth@council.example", password="p@ss:word/1")
    with smtp_server(inbox, tls=tls, certificate=certificate) as port:
        settings.PORTH_SMTP_URL = (
            f"smtp://porth%40council.example:p%40ss%3Aword%2F1@127.0.0.1:{port}?tls={tls}"
        )
        channel("smtp").send(email())
    assert inbox.received[0].message["Subject"] == "Eich cais BB-ACDE-FGHJ"


def test_a_wrong_password_is_a_technical_failure(
    settings: Any, certificate: tuple[Path, Path]
) -> None:
    inbox = Inbox(user="porth", password="right")
    with smtp_server(inbox, tls="starttls", certificate=certificate) as port:
        settings.PORTH_SMTP_URL = f"smtp://porth:wrong@127.0.0.1:{port}?tls=starttls"
        with pytest.raises(TechnicalFailure) as failure:
            channel("smtp").send(email())
    assert "user name or password in PORTH_SMTP_URL" in failure.value.message
    assert "wrong" not in failure.value.message


def test_a_certificate_nobody_vouches_for_is_a_technical_failure(
    settings: Any, tmp_path: Path
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="ssl", certificate=self_signed(tmp_path)) as port:
        settings.PORTH_SMTP_URL = f"smtps://127.0.0.1:{port}"
        with pytest.raises(TechnicalFailure, match="certificate is not trusted"):
            channel("smtp").send(email())
    assert inbox.received == []


# --- PORTH_SMTP_URL ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", ("mail.example", 25, "", "", "")),
        ("smtp://mail.example?tls=starttls", ("mail.example", 587, "", "", "starttls")),
        ("smtps://mail.example", ("mail.example", 465, "", "", "ssl")),
        ("smtp://u:p%2Fq@mail.example:2525?tls=ssl", ("mail.example", 2525, "u", "p/q", "ssl")),
    ],
)
def test_the_smtp_url_says_server_port_login_and_tls(url: str, expected: tuple[Any, ...]) -> None:
    server = parse_url(url)
    assert (server.host, server.port, server.user, server.password, server.tls) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mail.example:25", "must start smtp://"),
        ("smtp://", "names no server"),
        ("smtp://mail.example?tls=yes", "tls must be starttls or ssl"),
        ("smtp://mail.example:99999", "port"),
    ],
)
def test_a_wrong_smtp_url_says_what_is_wrong(url: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_url(url)


def test_a_wrong_smtp_url_is_a_technical_failure(settings: Any) -> None:
    settings.PORTH_SMTP_URL = "mail.example:25"
    with pytest.raises(TechnicalFailure, match="PORTH_SMTP_URL is not set up"):
        channel("smtp").send(email())
