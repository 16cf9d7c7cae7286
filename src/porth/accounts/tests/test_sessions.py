import time

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from porth.accounts import actions, staff_session
from porth.accounts.access import staff_view
from porth.accounts.models import Role, User
from porth.audit.models import AuditEvent

from .factories import MembershipFactory, TOTPDeviceFactory, UserFactory, signed_in_client
from .helpers import edit_session, post_code, post_password

pytestmark = pytest.mark.django_db


def signed_in(client: Client) -> bool:
    return client.get("/staff/").status_code == 200


def staff_user() -> User:
    return MembershipFactory.create(role=Role.PLATFORM_ADMIN).user


def test_signed_in_client_is_signed_in() -> None:
    assert signed_in(signed_in_client(staff_user()))


def test_idle_staff_are_signed_out() -> None:
    client = signed_in_client(staff_user())
    edit_session(client, **{staff_session.SEEN_AT: time.time() - 31 * 60})
    response = client.get("/staff/")
    assert response["Location"].startswith("/staff/sign-in")
    assert not signed_in(client)
    assert "You were signed out because you had not used Porth" in client.get("/staff/sign-in").text


def test_staying_active_keeps_the_session_going() -> None:
    client = signed_in_client(staff_user())
    edit_session(client, **{staff_session.SEEN_AT: time.time() - 29 * 60})
    assert signed_in(client)
    assert signed_in(client)  # seen-at was moved on by the first request


def test_idle_limit_comes_from_settings(settings) -> None:
    settings.PORTH_STAFF_IDLE_MINUTES = 5
    client = signed_in_client(staff_user())
    edit_session(client, **{staff_session.SEEN_AT: time.time() - 6 * 60})
    assert not signed_in(client)


def test_staff_are_signed_out_8_hours_after_signing_in_however_active() -> None:
    client = signed_in_client(staff_user())
    edit_session(client, **{staff_session.SIGNED_IN_AT: time.time() - 8 * 3600 - 1})
    assert not signed_in(client)
    event = AuditEvent.objects.get(action="staff.session_ended")
    assert event.data == {"reason": "expired"}


def test_signing_out_stops_a_copied_cookie_working() -> None:
    user = staff_user()
    client = signed_in_client(user)
    copied = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/staff/sign-out")
    assert response["Location"] == "/staff/sign-in"
    assert "You have signed out" in client.get("/staff/sign-in").text
    assert not signed_in(client)

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = copied
    assert not signed_in(thief)
    user.refresh_from_db()
    assert user.session_epoch == 1


def test_sign_out_is_post_only() -> None:
    client = signed_in_client(staff_user())
    assert client.get("/staff/sign-out").status_code == 405
    assert signed_in(client)


def test_sign_out_is_audited() -> None:
    user = staff_user()
    signed_in_client(user).post("/staff/sign-out")
    event = AuditEvent.objects.get(action="staff.signed_out")
    assert event.actor == user


def test_signing_out_everywhere_ends_every_session() -> None:
    user, admin = staff_user(), staff_user()
    laptop, phone = signed_in_client(user), signed_in_client(user)
    actions.sign_out_everywhere(user, actor=admin)
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert AuditEvent.objects.filter(action="staff.signed_out_everywhere", actor=admin).exists()


def test_a_session_not_made_by_our_sign_in_is_refused() -> None:
    # force_login skips both the code and the session limits: the middleware refuses it.
    client = Client()
    client.force_login(staff_user())
    assert not signed_in(client)


def test_a_real_sign_in_starts_a_session_that_the_middleware_accepts() -> None:
    device = TOTPDeviceFactory.create(user=staff_user())
    client = Client()
    post_password(client, device.user.username)
    post_code(client, device)
    assert signed_in(client)


@staff_view(Role.CASEWORKER)
def case_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("case")


def test_staff_view_sends_a_password_only_user_to_sign_in() -> None:
    user = MembershipFactory.create(role=Role.CASEWORKER).user
    request = RequestFactory().get("/staff/cases?queue=new&page=2")
    request.user = user  # signed in with a password, no verified device
    response = case_page(request)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('sign-in')}?next=%2Fstaff%2Fcases%3Fqueue%3Dnew%26page%3D2"
    )


def test_staff_view_lets_a_verified_user_in() -> None:
    user = MembershipFactory.create(role=Role.CASEWORKER).user
    request = RequestFactory().get("/staff/cases")
    request.user = user
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as OTPMiddleware sets it
    assert case_page(request).status_code == 200


def test_password_step_expires() -> None:
    device = TOTPDeviceFactory.create(user=UserFactory.create())
    client = Client()
    post_password(client, device.user.username)
    pending = client.session[staff_session.PENDING]
    edit_session(client, **{staff_session.PENDING: {**pending, "at": time.time() - 11 * 60}})
    assert post_code(client, device)["Location"] == "/staff/sign-in"
    assert not signed_in(client)
