"""The local outbox: messages kept (encrypted) instead of sent, read at /dev/outbox."""

from typing import Any

import pytest
from django.test import Client

from porth.notifications.channels import Message, channel
from porth.notifications.content import read_outbox
from porth.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def message(reference: str = "a" * 32, **fields: Any) -> Message:
    values: dict[str, Any] = {
        "reference": reference,
        "kind": "email",
        "to": "sian.jones@example.com",
        "subject": "Parhau â'ch cais",
        "body": "Annwyl Siân,\n\nEwch i https://porth.example/resume/abc?x=1&y=2. "
        "Dyddiad: 3 Ionawr.\n<b>not bold</b>",
        "language": "cy",
    }
    return Message(**(values | fields))


def test_the_outbox_keeps_a_message_encrypted_and_says_it_is_delivered() -> None:
    sent = channel("outbox").send(message())

    kept = OutboxMessage.objects.get()
    assert sent.delivered
    assert sent.provider_id == f"outbox-{kept.pk}"
    assert (kept.reference, kept.kind, kept.language) == ("a" * 32, "email", "cy")
    assert "Siân".encode() not in bytes(kept.content)
    assert b"sian.jones" not in bytes(kept.content)
    assert read_outbox(kept) == {
        "to": "sian.jones@example.com",
        "subject": "Parhau â'ch cais",
        "body": message().body,
    }


def test_a_resend_keeps_no_second_copy_and_find_knows_the_first() -> None:
    first = channel("outbox").send(message())
    again = channel("outbox").send(message())

    assert OutboxMessage.objects.count() == 1
    assert again == first
    assert channel("outbox").find("a" * 32) == first
    assert channel("outbox").find("b" * 32) is None


def test_the_outbox_page_shows_messages_newest_first_with_links_to_click(client: Client) -> None:
    channel("outbox").send(message())
    channel("outbox").send(
        message(
            "b" * 32,
            kind="sms",
            to="07700900123",
            subject="",
            body="Your reference is BB-ACDE-FGHJ",
            language="en",
        )
    )

    response = client.get("/dev/outbox")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Text message to 07700900123") < page.index("Email to sian.jones@example.com")
    assert (
        '<a class="govuk-link" href="https://porth.example/resume/abc?x=1&amp;y=2">'
        "https://porth.example/resume/abc?x=1&amp;y=2</a>. Dyddiad" in page
    )
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page  # the text is text
    assert '<div lang="cy"><p class="govuk-body">Annwyl Siân,</p>' in page
    assert "Parhau â&#39;ch cais" in page
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_an_empty_outbox_says_how_to_fill_it(client: Client) -> None:
    response = client.get("/dev/outbox")
    assert "No messages yet" in response.content.decode()


def test_the_outbox_page_is_refused_in_production(client: Client, settings: Any) -> None:
    settings.PRODUCTION = True
    assert client.get("/dev/outbox").status_code == 404


def test_production_has_no_outbox_address() -> None:
    import subprocess
    import sys

    # A fresh process, as porth/urls.py decides once, when first imported.
    code = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/dev/outbox')\nexcept Resolver404:\n    print('absent')\n"
        "else:\n    print('present')\n"
    )
    env = {
        "PORTH_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "porth.conf.settings",
        "PORTH_SECRET_KEY": "x" * 50,
        "PORTH_ALLOWED_HOSTS": "porth.example",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "absent", result.stderr
