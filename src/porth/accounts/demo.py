"""The demo staff: one of each role, with a known password and authenticator secret.

Never in production: the secret below is public (it is in this file).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import totp
from .models import Membership, Organisation, Role, User
from .organisations import ensure_organisation

PASSWORD = "porth-demo-password"
# A fixed base32 secret, so an authenticator app set up once keeps working after a reset.
SECRET = "PORTHDEMOJBSWY3DPEHPK3PXPPORTHDM"
HOME = "example-council"
OTHER = ("other-council", "Other Council", "Cyngor Arall")


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    organisation: str = HOME


USERS = [
    DemoUser("caseworker", "Cai Caseworker", Role.CASEWORKER),
    DemoUser("leader", "Lowri Team Leader", Role.TEAM_LEADER),
    DemoUser("owner", "Osian Service Owner", Role.SERVICE_OWNER),
    DemoUser("auditor", "Anwen Auditor", Role.AUDITOR),
    DemoUser("admin", "Aled Platform Admin", Role.PLATFORM_ADMIN),
    DemoUser("publisher", "Pedr Data Publisher", Role.DATA_PUBLISHER),
    DemoUser("other", "Olwen Other Council", Role.CASEWORKER, OTHER[0]),
]


def ensure_user(demo: DemoUser) -> User:
    """Create the user, their role and a confirmed device; a second run changes nothing."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=demo.username, defaults={"display_name": demo.display_name}
        )
        if created:  # hashing is slow on purpose: only on the first run
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        organisation = Organisation.objects.get(slug=demo.organisation)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=demo.role)
        key = totp.key_from_secret(SECRET)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key)
        elif device.key != key:
            device.key = key
            device.save(update_fields=["key"])
    return user


def ensure_demo(organisations: Iterable[tuple[str, str, str]] = ()) -> None:
    """The demo organisations (these: slug, name, Welsh name; the home council and another)
    and staff. Safe to run again."""
    for slug, name, name_cy in organisations:
        ensure_organisation(slug, name, name_cy)
    ensure_organisation(HOME, "Example Council", "Cyngor Enghraifft")
    ensure_organisation(*OTHER)
    for user in USERS:
        ensure_user(user)


def instructions() -> str:
    """How to sign in as the demo staff."""
    names = ", ".join(user.username for user in USERS[1:])
    site = settings.PORTH_BASE_URL.rstrip("/") or "http://127.0.0.1:8000"  # where porth run serves
    return f"""
Staff sign-in (demo accounts)
  Go to:       {site}/staff/sign-in
  User name:   caseworker   (also: {names})
  Password:    {PASSWORD}
  Code:        add this key to an authenticator app (it is the same for every demo user):
                 {SECRET}
               or, without an app, print the current code with:
                 .venv/bin/porth totp caseworker
  Open data:   {site}/dataset (sign in as publisher to publish the
               Example Council's datasets)
"""
