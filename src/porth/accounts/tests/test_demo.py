import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import demo
from porth.accounts.models import Membership, Organisation, Role, User

from .helpers import post_password

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_makes_organisations_and_one_user_per_role_and_can_run_again() -> None:
    first = run("demo")
    counts = (User.objects.count(), Membership.objects.count(), TOTPDevice.objects.count())
    run("demo")
    assert counts == (User.objects.count(), Membership.objects.count(), TOTPDevice.objects.count())
    assert counts == (7, 7, 7)
    assert set(Organisation.objects.values_list("slug", flat=True)) >= {
        "example-council",
        "other-council",
    }
    assert Membership.objects.filter(
        user__username="other", organisation__slug="other-council", role=Role.CASEWORKER
    ).exists()
    assert "http://127.0.0.1:8000/staff/sign-in" in first
    assert demo.PASSWORD in first
    assert demo.SECRET in first
    assert "porth totp caseworker" in first


def test_demo_caseworker_can_sign_in_with_the_printed_code(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run("demo")
    client = Client()
    response: Any = post_password(client, "caseworker", demo.PASSWORD)
    assert response["Location"] == "/staff/sign-in/code"
    code = run("totp", "caseworker").strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post("/staff/sign-in/code", {"code": code})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/")


def test_demo_and_totp_are_refused_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run("demo")
    assert not User.objects.exists()
    with pytest.raises(CommandError):
        run("totp", "caseworker")


def test_totp_needs_a_user_with_an_app() -> None:
    with pytest.raises(CommandError, match="no authenticator app"):
        run("totp", "nobody")
