"""Staff, cases and signed-in clients for the casework tests.

Uses the accounts factories when they exist; until then, minimal ones of its own.
"""

import itertools
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import staff_session
from porth.accounts.models import Membership, Organisation, User
from porth.casework.models import Case, Queue, Status
from porth.conftest import MINIMAL
from porth.services.definition import Definition, parse
from porth.services.models import DefinitionVersion
from porth.services.service import record_version
from porth.submissions.models import Submission
from porth.utils.crypto import blind_index, encrypt

_numbers = itertools.count(1)


def organisation(slug: str | None = None) -> Organisation:
    slug = slug or f"org-{next(_numbers)}"
    return Organisation.objects.create(slug=slug, name=slug.replace("-", " ").title())


def staff(*memberships: tuple[Organisation, str], name: str | None = None) -> User:
    number = next(_numbers)
    user = User.objects.create_user(
        username=f"staff{number}", display_name=name or f"Staff member {number}"
    )
    for org, role in memberships:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def signed_in(user: User) -> Client:
    """A client signed in with both factors, as the sign-in pages would leave it."""
    try:
        from porth.accounts.tests.factories import signed_in_client
    except ImportError:
        pass
    else:
        made: Any = signed_in_client(user)
        return made
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()  # login() replaces it; django_otp then checks the owner
    staff_session.begin(request, user, device)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return client


PAGES = """
  - id: name
    fields:
      - {id: full_name, type: text, label: {en: "What is your name?"}, summary_label: {en: Name}}
  - id: alone
    fields:
      - {id: alone, type: yesno, label: {en: "Do you live alone?"}}
"""
ON_SUBMIT = """
on_submit:
  - case: {queue: applications, queue_name: {en: Applications}, sla: P10D, name: full_name}
"""


def service_yaml(slug: str = "test-service") -> str:
    """A small service that opens a case on submission; its organisation is test-council."""
    return MINIMAL.format(slug=slug, pages=PAGES.strip("\n")) + ON_SUBMIT


def definition(slug: str = "test-service") -> Definition:
    return parse(service_yaml(slug), f"{slug}.yaml")


def definition_version(slug: str = "test-service") -> DefinitionVersion:
    return record_version(definition(slug))


def make_case(
    org: Organisation,
    *,
    queue: Queue | None = None,
    status: str = Status.NEW,
    name: str = "Jo Bloggs",
    reference: str | None = None,
    service: str = "test-service",
    **fields: Any,
) -> Case:
    """A case with a submission whose only answer is the applicant's name."""
    number = next(_numbers)
    reference = reference or f"TS-{number:04d}-AAAA"
    queue = (
        queue
        or Queue.objects.get_or_create(
            organisation=org, slug="applications", defaults={"name": "Applications"}
        )[0]
    )
    version = definition_version(service)
    blob, key_id = encrypt({"full_name": name, "alone": True}, context=f"submission:{reference}")
    submission = Submission.objects.create(
        reference=reference,
        service=service,
        definition=version,
        answers=blob,
        key_id=key_id,
        language="en",
    )
    name_index, name_index_key = blind_index(name)
    return Case.objects.create(
        submission=submission,
        reference=reference,
        organisation=org,
        queue=queue,
        service=service,
        status=status,
        channel="online",
        name_index=name_index,
        name_index_key=name_index_key,
        **fields,
    )
