"""Staff in browser tests (tests/browser): members of an organisation with the demo
authenticator app, and the sign-in pages filled in as a person would."""

import re
from typing import Any

from porth.accounts import demo, totp
from porth.accounts.models import Organisation, Role, User

from .factories import PASSWORD, MembershipFactory, TOTPDeviceFactory, UserFactory


def member(org: Organisation, *roles: str, name: str, app: bool = True) -> User:
    """Staff with these roles and, if `app`, an authenticator app set up with the demo secret."""
    user = UserFactory.create(username=name.split()[0].lower(), display_name=name)
    for role in roles:
        MembershipFactory(user=user, organisation=org, role=role)
    if app:
        TOTPDeviceFactory(user=user, key=totp.key_from_secret(demo.SECRET))
    return user


def caseworker(org: Organisation) -> User:
    return member(org, Role.CASEWORKER, name="Cai Caseworker")


def give_password(page: Any, user: User) -> None:
    page.locator("#username").fill(user.username)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def give_code(page: Any, user: User) -> None:
    page.wait_for_url(re.compile(r"/staff/sign-in/code$"))
    device = totp.confirmed_device(user)
    assert device is not None
    page.get_by_label("Enter your security code").fill(totp.current_code(device))
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Any, user: User) -> None:
    """From the sign-in page, both steps as the user would take them."""
    give_password(page, user)
    give_code(page, user)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.wait_for_url(re.compile(r"/staff/sign-in$"))
