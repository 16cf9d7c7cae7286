"""The queue page: scoping, filters, search, sorting and keyset pagination."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from porth.accounts.models import Role
from porth.casework.models import Case, Queue, Status
from porth.services import registry

from .helpers import make_case, organisation, service_yaml, signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organisation("test-council")


@pytest.fixture
def worker(org):
    return staff((org, Role.CASEWORKER))


def _refs(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'href="/staff/cases/([^"?]+)"', response.content.decode())


def test_only_cases_of_the_users_organisations(org, worker):
    mine = make_case(org)
    make_case(organisation("elsewhere"))

    assert _refs(signed_in(worker).get("/staff/cases")) == [mine.reference]


def test_names_come_from_the_answers(org, worker):
    make_case(org, name="Jo Bloggs-Prydderch")

    assert "Jo Bloggs-Prydderch" in signed_in(worker).get("/staff/cases").content.decode()


def test_filters(org, worker):
    other_queue = Queue.objects.create(organisation=org, slug="renewals", name="Renewals")
    new = make_case(org)
    approved = make_case(org, status=Status.APPROVED)
    mine = make_case(org, status=Status.IN_PROGRESS, assigned_to=worker)
    late = make_case(org, due_at=timezone.now() - timedelta(days=1))
    renewal = make_case(org, queue=other_queue, service="other-service")
    client = signed_in(worker)

    assert _refs(client.get("/staff/cases?status=approved")) == [approved.reference]
    assert _refs(client.get("/staff/cases?assigned=me")) == [mine.reference]
    assert mine.reference not in _refs(client.get("/staff/cases?assigned=unassigned"))
    assert _refs(client.get("/staff/cases?overdue=on")) == [late.reference]
    assert _refs(client.get(f"/staff/cases?queue={other_queue.pk}")) == [renewal.reference]
    assert new.reference in _refs(client.get("/staff/cases?status=bogus&queue=x"))


def test_filter_on_information_received(org, worker):
    waiting = make_case(org, status=Status.AWAITING_INFORMATION)
    replied = make_case(org, status=Status.INFORMATION_RECEIVED)
    late = make_case(
        org, status=Status.INFORMATION_RECEIVED, due_at=timezone.now() - timedelta(days=1)
    )
    client = signed_in(worker)

    response = client.get("/staff/cases?status=information_received")

    assert sorted(_refs(response)) == sorted([replied.reference, late.reference])
    assert waiting.reference not in _refs(response)
    page = response.content.decode()
    assert '<option value="information_received" selected>Information received</option>' in page
    assert "govuk-tag--purple" in page
    # Still open, so it can be overdue.
    assert _refs(client.get("/staff/cases?overdue=on")) == [late.reference]


def test_queue_filter_offers_only_the_users_queues(org, worker):
    Queue.objects.create(organisation=organisation("elsewhere"), slug="secret", name="Secret queue")
    make_case(org)

    assert "Secret queue" not in signed_in(worker).get("/staff/cases").content.decode()


def test_search_by_reference_with_or_without_dashes_and_by_name(org, worker):
    case = make_case(org, reference="TS-ACDE-FGHJ", name="Siân Prydderch")
    make_case(org, name="Jo Bloggs")
    client = signed_in(worker)

    for query in [
        "TS-ACDE-FGHJ",
        "ts-acde-fghj",
        "TSACDEFGHJ",
        "ts acde fghj",
        "prydderch",
        "SIAN",
    ]:
        assert _refs(client.get("/staff/cases", {"search": query})) == [case.reference], query
    assert _refs(client.get("/staff/cases", {"search": "Siân Bloggs"})) == []


def test_keyset_pagination_forwards_and_back(org, worker):
    cases = [make_case(org) for _ in range(30)]
    client = signed_in(worker)

    first = client.get("/staff/cases").content.decode()
    assert len(_refs(client.get("/staff/cases"))) == 25
    next_url = re.search(
        r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"', first
    )
    assert next_url, first
    second = client.get(next_url.group(1).replace("&amp;", "&"))
    assert _refs(second) == [c.reference for c in reversed(cases)][25:]
    previous = re.search(r'href="([^"]+)" rel="prev"', second.content.decode())
    assert previous
    back = client.get(previous.group(1).replace("&amp;", "&"))
    assert _refs(back) == [c.reference for c in reversed(cases)][:25]


def test_sort_by_due_date_with_undated_cases_last(org, worker):
    now = timezone.now()
    dated = [make_case(org, due_at=now + timedelta(days=n)) for n in range(27)]
    undated = [make_case(org) for _ in range(3)]
    client = signed_in(worker)
    expected = [c.reference for c in dated] + [c.reference for c in undated]

    seen, url = [], "/staff/cases?sort=due&order=asc"
    while url:
        response = client.get(url)
        seen += _refs(response)
        found = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == expected

    newest = _refs(client.get("/staff/cases?sort=created&order=asc"))
    assert newest[0] == dated[0].reference


def test_sort_headers_are_links_with_aria_sort(org, worker):
    make_case(org)

    page = signed_in(worker).get("/staff/cases?sort=due&order=asc").content.decode()

    assert 'aria-sort="ascending"' in page and "order=desc" in page


def test_case_opened_by_a_real_journey(client, tmp_path, settings, worker):
    settings.PORTH_SERVICES_DIR = tmp_path
    (tmp_path / "test-service.yaml").write_text(service_yaml())
    registry.reload()
    try:
        assert (
            client.post("/services/test-service/name", {"full_name": "Jo Bloggs"}).status_code
            == 303
        )
        assert client.post("/services/test-service/alone", {"alone": "yes"}).status_code == 303
        assert client.post("/services/test-service/check-answers").status_code == 303

        case = Case.objects.get()
        assert case.queue.slug == "applications" and case.status == Status.NEW
        assert case.due_at is not None and case.due_at > timezone.now() + timedelta(days=9)
        assert case.name_index and "Jo" not in case.name_index
        staff_client = signed_in(worker)
        page = staff_client.get(f"/staff/cases/{case.reference}").content.decode()
        assert "Jo Bloggs" in page and "Do you live alone?" in page
        assert "Jo Bloggs" in staff_client.get("/staff/cases?search=bloggs").content.decode()
    finally:
        registry.reload()


def test_seeing_names_in_the_queue_is_audited_with_the_cases_shown(org, worker):
    from porth.audit.models import AuditEvent

    shown = make_case(org, name="Jo Bloggs-Prydderch")
    signed_in(worker).get("/staff/cases?status=new")

    entry = AuditEvent.objects.get(action="queue.viewed")
    assert entry.actor == worker
    assert entry.data["references"] == [shown.reference]
    assert entry.data["filters"]["status"] == "new"
