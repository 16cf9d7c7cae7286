import pytest
from django.test import Client

from porth.accounts import totp
from porth.accounts.models import Role
from porth.audit.models import AuditEvent

from .factories import MembershipFactory, TOTPDeviceFactory, UserFactory
from .helpers import post_code, post_password

pytestmark = pytest.mark.django_db

LOCKED = "Your account is locked after too many failed attempts"


def test_signing_in_with_password_and_code_reaches_staff_home() -> None:
    membership = MembershipFactory.create(role=Role.PLATFORM_ADMIN)
    device = TOTPDeviceFactory.create(user=membership.user)
    client = Client()

    response = post_password(client, membership.user.username)
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/code"
    # Only the password so far: not signed in.
    assert client.get("/staff/").status_code == 302

    response = post_code(client, device)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_wrong_password_shows_an_error_summary() -> None:
    user = UserFactory.create()
    response = post_password(Client(), user.username, "not-the-password")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter a correct user name and password" in response.text
    assert 'href="#username"' in response.text
    assert response.text.count("<title>Error: ") == 1


def test_empty_form_asks_for_each_field() -> None:
    response = Client().post("/staff/sign-in", {"username": "", "password": ""})
    assert "Enter your user name" in response.text
    assert "Enter your password" in response.text
    assert 'href="#password"' in response.text


def test_wrong_code_shows_an_error() -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    post_password(client, device.user.username)
    wrong = f"{(int(totp.current_code(device)) + 500000) % 1000000:06d}"
    response = post_code(client, device, wrong)
    assert response.status_code == 200
    assert "Enter a correct security code" in response.text
    assert client.get("/staff/").status_code != 200


def test_code_must_be_six_digits() -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    post_password(client, device.user.username)
    response = post_code(client, device, "12ab")
    assert "Enter the security code as 6 digits" in response.text


def test_code_page_needs_the_password_first() -> None:
    response = Client().get("/staff/sign-in/code")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in"


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one() -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    for _ in range(4):
        response = post_password(client, device.user.username, "wrong-password")
        assert LOCKED not in response.text
    response = post_password(client, device.user.username, "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert "govuk-error-summary" in response.text

    response = post_password(client, device.user.username)  # the right password
    assert response.status_code == 429
    assert LOCKED in response.text
    assert client.get("/staff/sign-in/code").status_code == 302


def test_wrong_codes_count_towards_the_lockout() -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    post_password(client, device.user.username, "wrong-password")
    post_password(client, device.user.username, "wrong-password")
    post_password(client, device.user.username)
    wrong = f"{(int(totp.current_code(device)) + 500000) % 1000000:06d}"
    post_code(client, device, wrong)
    post_code(client, device, wrong)  # throttled by django-otp: still a failure
    response = post_code(client, device, wrong)
    assert response.status_code == 429
    assert LOCKED in response.text
    # Neither a fresh password nor a right code gets in now.
    assert post_password(client, device.user.username).status_code == 429
    assert post_code(client, device).status_code == 302
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/staff/cases?queue=new&page=2", "/staff/cases?queue=new&page=2"),
        ("https://evil.example/phish", "/staff/"),
        ("//evil.example/phish", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_next_only_goes_to_this_site(next_url: str, expected: str) -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    post_password(client, device.user.username, next_url=next_url)
    response = post_code(client, device)
    assert response["Location"] == expected


def test_sign_in_page_keeps_a_safe_next_and_drops_an_unsafe_one() -> None:
    assert 'value="/staff/x"' in Client().get("/staff/sign-in?next=/staff/x").text
    assert "evil" not in Client().get("/staff/sign-in?next=https://evil.example/").text


def test_sign_in_and_failures_are_audited() -> None:
    device = TOTPDeviceFactory.create()
    client = Client()
    post_password(client, device.user.username, "wrong-password")
    post_password(client, "nobody-by-this-name", "wrong-password")
    post_password(client, device.user.username)
    post_code(client, device)

    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == [
        "staff.sign_in_failed",
        "staff.sign_in_failed",
        "staff.signed_in",
    ]
    # The user name tried, never the password.
    assert events[0].data == {
        "username": device.user.username,
        "stage": "password",
        "locked": False,
    }
    assert events[0].object_id == str(device.user.pk)
    assert events[1].object_id == ""
    assert events[2].actor == device.user


def test_signed_in_staff_skip_the_sign_in_page() -> None:
    from .factories import signed_in_client

    client = signed_in_client(UserFactory.create())
    response = client.get("/staff/sign-in?next=/staff/x")
    assert response["Location"] == "/staff/x"
