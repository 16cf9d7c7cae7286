"""Cases whose answers were erased under the retention period: staff pages show that they
were, rather than failing on the empty records; search and reindexing leave them be."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from porth.casework import actions
from porth.casework.models import Case, CaseEvent
from porth.casework.service import erase_cases
from porth.submissions.service import erase_submissions, read_answers

from .helpers import make_case, signed_in

pytestmark = pytest.mark.django_db

NAME = "Jo Bloggs-Prydderch"


def _erase(case: Case) -> Case:
    now = timezone.now()
    erase_submissions([case.submission_id], at=now)
    erase_cases([case.submission_id], at=now)
    return Case.objects.select_related("submission").get(pk=case.pk)


def _noted(case: Case, worker, text: str = f"Rang {NAME} back") -> Case:
    return actions.add_note(case, text, version=case.version, actor=worker)


def test_an_erased_case_page_says_when_its_answers_were_erased(org, worker):
    case = _noted(make_case(org, name=NAME), worker)
    case = actions.claim(case, version=case.version, actor=worker)
    actions.reject(case, f"{NAME} lives elsewhere", version=case.version, actor=worker)
    case = _erase(case)

    response = signed_in(worker).get(f"/staff/cases/{case.reference}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Erased under the retention policy on" in page
    assert timezone.localtime(case.submission.erased_at).strftime("%-d %B %Y") in page
    assert "Notes were erased with the applicant’s answers." in page
    assert NAME not in page and "Bloggs" not in page
    assert case.reference in page and "Rejected" in page and "Note added" in page


def test_a_case_not_erased_says_nothing_of_erasure(org, worker):
    case = make_case(org, name=NAME)

    page = signed_in(worker).get(f"/staff/cases/{case.reference}").content.decode()

    assert NAME in page and "Erased under the retention policy" not in page


def test_the_queue_shows_erased_cases_without_a_name(org, worker):
    erased = _erase(make_case(org, name=NAME))
    kept = make_case(org, name="Sam Jones")

    page = signed_in(worker).get("/staff/cases").content.decode()

    assert erased.reference in page and kept.reference in page
    assert "Sam Jones" in page and NAME not in page
    assert "Erased under the retention policy" in page


def test_an_erased_case_is_no_longer_found_by_name(org, worker):
    case = _erase(make_case(org, name=NAME))

    page = signed_in(worker).get("/staff/cases", {"search": "Bloggs"}).content.decode()
    assert case.reference not in re.findall(r'href="/staff/cases/([^"?]+)"', page)
    page = signed_in(worker).get("/staff/cases", {"search": case.reference}).content.decode()
    assert case.reference in page  # the reference stays, for the applicant's enquiries


def test_reindexing_leaves_erased_cases_unindexed(org):
    erased = _erase(make_case(org, name=NAME))
    kept = make_case(org, name="Sam Jones")
    Case.objects.filter(pk=kept.pk).update(name_index_key="")

    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())

    erased.refresh_from_db()
    kept.refresh_from_db()
    assert (erased.name_index, erased.name_index_key) == ("", "")
    assert kept.name_index and kept.name_index_key


def test_erasing_a_case_empties_its_name_index_and_timeline_details(org, worker):
    case = _noted(make_case(org, name=NAME), worker)

    counts = erase_cases([case.submission_id], at=timezone.now())

    assert counts == {"cases": 1, "case events": 1, "information requests": 0}
    case.refresh_from_db()
    assert (case.name_index, case.name_index_key) == ("", "")
    assert not CaseEvent.objects.filter(case=case).exclude(detail=b"").exists()
    assert list(case.events.values_list("kind", flat=True)) == ["note"]
    assert erase_cases([case.submission_id], at=timezone.now()) == {
        "cases": 0,
        "case events": 0,
        "information requests": 0,
    }


def test_an_erased_submission_reads_as_no_answers(org):
    case = _erase(make_case(org, name=NAME))

    assert read_answers(case.submission) == {}
