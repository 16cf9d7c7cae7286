"""Finding a case by the applicant's name across key rotations, and `porth reindex`."""

import base64
import re

import pytest

from porth.accounts.models import Role

from .helpers import make_case, organisation, signed_in, staff

pytestmark = pytest.mark.django_db


def _key(fill: bytes) -> str:
    return base64.b64encode(fill * 32).decode()


@pytest.fixture
def org():
    return organisation("test-council")


@pytest.fixture
def worker(org):
    return staff((org, Role.CASEWORKER))


def _found(worker, query: str) -> list[str]:
    response = signed_in(worker).get("/staff/cases", {"search": query})
    assert response.status_code == 200
    return re.findall(r'href="/staff/cases/([^"?]+)"', response.content.decode())


def test_a_case_is_still_found_by_name_after_the_encryption_key_is_rotated(org, worker, settings):
    settings.PORTH_ENCRYPTION_KEYS = f"old:{_key(b'a')}"
    case = make_case(org, name="Siân Bloggs")

    settings.PORTH_ENCRYPTION_KEYS = f"new:{_key(b'b')},old:{_key(b'a')}"

    assert _found(worker, "bloggs") == [case.reference]
    assert _found(worker, "Sian Bloggs") == [case.reference]
