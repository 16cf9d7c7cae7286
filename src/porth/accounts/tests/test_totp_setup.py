import base64
import re
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import totp
from porth.audit.models import AuditEvent

from .factories import UserFactory
from .helpers import post_password

pytestmark = pytest.mark.django_db


def test_a_user_without_an_app_sets_one_up_and_is_signed_in() -> None:
    user = UserFactory.create()
    client = Client()
    response: Any = post_password(client, user.username, next_url="/staff/x")
    assert response["Location"] == "/staff/sign-in/set-up-app"

    page = client.get("/staff/sign-in/set-up-app")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page.text)
    assert shown and shown.group(1).replace(" ", "") == totp.secret(device)
    # The QR code is an image drawn on the server, with no inline style for the CSP to block.
    uri = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page.text)
    assert uri and "style" not in uri.group(1)
    # Reloading shows the same secret, so a code from an earlier scan still works.
    assert totp.secret(device) in client.get("/staff/sign-in/set-up-app").text.replace(" ", "")

    response = client.post("/staff/sign-in/set-up-app", {"code": totp.current_code(device)})
    assert response["Location"] == "/staff/x"
    device.refresh_from_db()
    assert device.confirmed
    assert list(
        AuditEvent.objects.filter(action__startswith="staff.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["staff.totp_enrolled", "staff.signed_in"]


def test_setup_refuses_a_wrong_code() -> None:
    user = UserFactory.create()
    client = Client()
    post_password(client, user.username)
    client.get("/staff/sign-in/set-up-app")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(totp.current_code(device)) + 500000) % 1000000:06d}"
    response = client.post("/staff/sign-in/set-up-app", {"code": wrong})
    assert "Enter a correct security code" in response.text
    device.refresh_from_db()
    assert not device.confirmed


def test_setup_page_needs_the_password_first() -> None:
    assert Client().get("/staff/sign-in/set-up-app")["Location"] == "/staff/sign-in"


def test_a_user_with_an_app_cannot_add_another_after_only_a_password() -> None:
    user = UserFactory.create()
    TOTPDevice.objects.create(user=user, confirmed=True)
    client = Client()
    post_password(client, user.username)
    assert client.get("/staff/sign-in/set-up-app")["Location"] == "/staff/sign-in/code"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_secret_round_trips_through_base32() -> None:
    key = totp.key_from_secret("JBSW Y3DP EHPK 3PXP")
    assert base64.b32encode(bytes.fromhex(key)).decode() == "JBSWY3DPEHPK3PXP"
