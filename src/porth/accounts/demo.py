"""The demo staff: one of each role, with a known password and authenticator secret.

Never in production: the secret below is public (it is in this file).
"""

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import totp
from .models import Membership, Organisation, Role, User

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
    DemoUser("other", "Olwen Other Council", Role.CASEWORKER, OTHER[0]),
]


def ensure_organisation(slug: str, name: str, name_cy: str = "") -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_cy": name_cy}
    )
    return organisation


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
