"""The platform admin's staff page: who is locked out, unlocking them, signing someone out on
every device, and resetting someone's authenticator app. Lockouts are made through the real
sign-in page."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import people
from porth.accounts.models import Role, User
from porth.audit.models import AuditEvent

from .factories import MembershipFactory, TOTPDeviceFactory, signed_in_client
from .helpers import post_code, post_password

pytestmark = pytest.mark.django_db

PAGE = "/staff/people"
LOCKED = "Your account is locked after too many failed attempts"


def admin_client() -> tuple[User, Client]:
    admin: User = MembershipFactory.create(role=Role.PLATFORM_ADMIN).user
    return admin, signed_in_client(admin)


def row_for(html: str, username: str) -> str:
    """The table row whose header cell is this user name."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S):
        if re.search(rf"<th [^>]*>\s*{re.escape(username)}\s*</th>", row):
            return str(row)
    raise AssertionError(f"no row for {username}")


def lock_out(username: str) -> None:
    client = Client()
    for _ in range(5):
        response = post_password(client, username, "wrong-password")
    assert LOCKED in response.text


def test_a_locked_out_user_is_shown_unlocked_and_can_sign_in_again() -> None:
    device = TOTPDeviceFactory.create()
    user = device.user
    MembershipFactory.create(user=user, role=Role.CASEWORKER)
    lock_out(user.username)
    assert LOCKED in post_password(Client(), user.username).text  # even the right password
    admin, client = admin_client()

    row = row_for(client.get(PAGE).text, user.username)
    assert "Locked out" in row
    assert 'value="unlock"' in row

    response = client.post(PAGE, {"action": "unlock", "user": user.username})
    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}?done=unlock&user={user.username}"
    page = client.get(response["Location"]).text
    assert f"{user} is unlocked and can sign in again" in page
    row = row_for(page, user.username)
    assert "Locked out" not in row
    assert 'value="unlock"' not in row

    member = Client()
    assert post_password(member, user.username)["Location"] == "/staff/sign-in/code"
    assert post_code(member, device)["Location"] == "/staff/"
    event = AuditEvent.objects.get(action="staff.unlocked")
    assert (event.actor, event.data) == (admin, {"username": user.username})


def test_the_page_shows_roles_and_whether_an_app_is_set_up() -> None:
    with_app = MembershipFactory.create(role=Role.TEAM_LEADER).user
    TOTPDeviceFactory.create(user=with_app)
    without_app = MembershipFactory.create(role=Role.AUDITOR).user
    _, client = admin_client()

    page = client.get(PAGE).text

    row = row_for(page, with_app.username)
    assert with_app.display_name in row
    assert f"{with_app.memberships.get().organisation.name}: Team leader" in row
    assert re.search(r"<td [^>]*>\s*Yes\s*</td>", row)
    assert re.search(r"<td [^>]*>\s*No\s*</td>", row_for(page, without_app.username))
    assert 'value="unlock"' not in row  # only for someone locked out


def test_signing_someone_out_everywhere_ends_their_sessions() -> None:
    user = MembershipFactory.create(role=Role.CASEWORKER).user
    theirs = signed_in_client(user)
    assert theirs.get("/staff/cases").status_code == 200
    admin, client = admin_client()

    response = client.post(PAGE, {"action": "sign_out_everywhere", "user": user.username})

    assert response.status_code == 303
    assert f"{user} is signed out on every device" in client.get(response["Location"]).text
    response = theirs.get("/staff/cases")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in?next=%2Fstaff%2Fcases"
    event = AuditEvent.objects.get(action="staff.signed_out_everywhere")
    assert (event.actor, event.object_id) == (admin, str(user.pk))


def test_resetting_someones_app_signs_them_out_and_asks_for_a_new_one() -> None:
    device = TOTPDeviceFactory.create()
    user = device.user
    MembershipFactory.create(user=user, role=Role.CASEWORKER)
    theirs = signed_in_client(user)
    assert theirs.get("/staff/cases").status_code == 200
    admin, client = admin_client()
    assert 'value="reset_authenticator"' in row_for(client.get(PAGE).text, user.username)

    response = client.post(PAGE, {"action": "reset_authenticator", "user": user.username})

    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}?done=reset_authenticator&user={user.username}"
    page = client.get(response["Location"]).text
    assert f"{user} is signed out and will set up a new authenticator app" in page
    row = row_for(page, user.username)
    assert re.search(r"<td [^>]*>\s*No\s*</td>", row)
    assert 'value="reset_authenticator"' not in row  # only for someone with an app
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = theirs.get("/staff/cases")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in?next=%2Fstaff%2Fcases"
    assert post_password(Client(), user.username)["Location"] == "/staff/sign-in/set-up-app"
    event = AuditEvent.objects.get(action="staff.authenticator_reset")
    assert (event.actor, event.object_id, event.data) == (
        admin,
        str(user.pk),
        {"username": user.username},
    )


def test_unknown_users_and_actions_are_not_found() -> None:
    user = MembershipFactory.create(role=Role.CASEWORKER).user
    _, client = admin_client()

    assert client.post(PAGE, {"action": "unlock", "user": "nobody"}).status_code == 404
    assert client.post(PAGE, {"action": "delete", "user": user.username}).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["staff.unlocked"]).exists()


def test_a_caseworker_cannot_see_the_page_or_use_it() -> None:
    device = TOTPDeviceFactory.create()
    MembershipFactory.create(user=device.user, role=Role.CASEWORKER)
    lock_out(device.user.username)
    caseworker = MembershipFactory.create(role=Role.CASEWORKER).user
    client = signed_in_client(caseworker)

    assert client.get(PAGE).status_code == 404
    for action in ("unlock", "sign_out_everywhere", "reset_authenticator"):
        response = client.post(PAGE, {"action": action, "user": device.user.username})
        assert response.status_code == 404
    assert LOCKED in post_password(Client(), device.user.username).text
    assert User.objects.get(pk=device.user.pk).session_epoch == device.user.session_epoch
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(
        action__in=["staff.unlocked", "staff.signed_out_everywhere", "staff.authenticator_reset"]
    ).exists()


def test_a_long_list_is_cut_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "LIMIT", 2)
    MembershipFactory.create_batch(3, role=Role.CASEWORKER)
    _, client = admin_client()

    page = client.get(PAGE).text

    assert page.count('value="sign_out_everywhere"') == 2
    assert "Showing the first 2 of 4 staff, by user name." in page


def test_the_menu_offers_the_page_to_platform_admins_only() -> None:
    _, client = admin_client()
    caseworker = signed_in_client(MembershipFactory.create(role=Role.CASEWORKER).user)

    assert f'href="{PAGE}"' in client.get("/staff/").text
    assert f'href="{PAGE}"' not in caseworker.get("/staff/cases").text
