"""Finding a case by the applicant's name across key rotations, and `porth reindex`."""

import base64
import io
import re

import pytest
from django.core.management import CommandError, call_command

from porth.accounts.models import Role
from porth.audit.models import AuditEvent
from porth.casework.models import Case

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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _reindex(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), Terminal()
    call_command("reindex", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rotating_the_index_key_then_reindexing_keeps_every_case_findable(org, worker, settings):
    settings.PORTH_INDEX_KEY = f"old:{_key(b'a')}"
    jo = make_case(org, name="Jo Bloggs")
    sian = make_case(org, name="Siân Prydderch")

    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')},old:{_key(b'a')}"
    added = make_case(org, name="Jo Prydderch")  # during the rotation: the new key
    assert _found(worker, "bloggs") == [jo.reference]  # before reindexing, by the old key
    assert sorted(_found(worker, "prydderch")) == sorted([sian.reference, added.reference])

    _reindex()
    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')}"  # the old key retired

    assert _found(worker, "bloggs") == [jo.reference]
    assert _found(worker, "sian") == [sian.reference]
    assert sorted(_found(worker, "jo")) == sorted([jo.reference, added.reference])
    assert set(Case.objects.values_list("name_index_key", flat=True)) == {"new"}


def test_reindex_says_how_far_it_has_got_and_how_many_it_did(org, settings):
    settings.PORTH_INDEX_KEY = f"old:{_key(b'a')}"
    for _ in range(3):
        make_case(org)
    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')},old:{_key(b'a')}"

    out, progress = _reindex("--batch-size", "2")

    assert out == "3 cases reindexed with index key 'new'\n"
    assert progress == "\rreindexed 2 of 3 cases\rreindexed 3 of 3 cases\n"


def test_reindex_can_run_again_and_changes_nothing_more(org, settings):
    settings.PORTH_INDEX_KEY = f"old:{_key(b'a')}"
    case = make_case(org, name="Jo Bloggs")
    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')}"
    _reindex()
    tokens = Case.objects.get().name_index

    assert _reindex() == ("0 cases reindexed with index key 'new'\n", "")
    assert _reindex("--all")[0] == "1 case reindexed with index key 'new'\n"
    after = Case.objects.get()
    assert after.name_index == tokens and after.name_index != ""
    assert after.version == case.version  # an open case page is not made stale


def test_reindexing_is_audited(org, settings):
    make_case(org, reference="TS-0001-AAAA")
    make_case(org, reference="TS-0002-AAAA")
    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')}"

    _reindex()

    entry = AuditEvent.objects.get(action="cases.reindexed")
    assert entry.data["cases"] == 2 and entry.data["index_key"] == "new"
    assert (entry.data["from"], entry.data["to"]) == ("TS-0001-AAAA", "TS-0002-AAAA")


def test_reindex_names_a_case_it_cannot_read(org, settings):
    settings.PORTH_ENCRYPTION_KEYS = f"gone:{_key(b'a')}"
    make_case(org, reference="TS-0001-AAAA")
    settings.PORTH_ENCRYPTION_KEYS = f"new:{_key(b'b')}"
    settings.PORTH_INDEX_KEY = f"new:{_key(b'b')}"

    with pytest.raises(CommandError, match="case TS-0001-AAAA: no encryption key 'gone'"):
        _reindex()
