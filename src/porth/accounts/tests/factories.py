"""Factories for staff, organisations and roles, and a client signed in with both factors.

from porth.accounts.tests.factories import MembershipFactory, signed_in_client
membership = MembershipFactory(role=Role.CASEWORKER)
client = signed_in_client(membership.user)
"""

from functools import cache
from importlib import import_module

import factory
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import staff_session, totp
from porth.accounts.models import Membership, Organisation, Role, User

PASSWORD = "correct-horse-battery-staple"


@cache
def _hashed(password: str, algorithm: str) -> str:
    # Hashing is slow on purpose; tests make many users with the same password.
    return make_password(password, hasher=algorithm)


def password_hash(password: str = PASSWORD) -> str:
    return _hashed(password, get_hasher().algorithm)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A member of staff whose password is PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    display_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.LazyFunction(password_hash)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


class TOTPDeviceFactory(factory.django.DjangoModelFactory[TOTPDevice]):
    """A confirmed authenticator app; `totp.current_code(device)` is what it shows now."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = totp.DEVICE_NAME
    confirmed = True


def signed_in_client(user: User, client: Client | None = None) -> Client:
    """A test client signed in as `user` with both factors, as our sign-in leaves it (the
    same session keys, so StaffSessionMiddleware accepts it), without posting the forms
    or hashing a password. Gives the user a confirmed device if they have none."""
    client = client or Client()
    device = totp.confirmed_device(user) or TOTPDeviceFactory.create(user=user)
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    staff_session.begin(request, user, device)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return client
