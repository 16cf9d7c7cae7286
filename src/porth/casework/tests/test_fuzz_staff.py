"""Anything at all in the staff pages' search boxes, filters, notes and forms, from a signed-in
member of staff: never a server error, and never markup sent back unescaped (on the page
answered, or later, where a note shows it)."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porth.accounts.models import Role, User
from porth.casework.models import Case
from porth.casework.views import ACTS
from porth.utils.tests.hostile import QUERY_TEXT, TEXT, assert_safe

from .helpers import make_case, organisation, signed_in, staff

pytestmark = pytest.mark.django_db

QUEUE_FILTERS = ["queue", "status", "service", "assigned", "overdue", "search", "sort", "order"]
AUDIT_FILTERS = ["reference", "who", "action", "start", "end", "before", "after"]


def _query(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.sampled_from(names), QUERY_TEXT, max_size=len(names))


def _requests(case: Case) -> st.SearchStrategy[tuple[str, str, dict[str, str]]]:
    """(method, path, data): a GET's query or a POST's form."""
    page = f"/staff/cases/{case.reference}"
    text_or = lambda *known: st.one_of(st.sampled_from(known), TEXT)  # noqa: E731
    case_form = st.fixed_dictionaries(
        {"action": text_or(*ACTS), "version": text_or("1", "2", "3")},
        optional={"note": TEXT, "reason": TEXT, "message": TEXT, "assignee": TEXT},
    )
    people_form = st.fixed_dictionaries(
        {"action": text_or("unlock", "sign_out_everywhere"), "user": text_or("colleague")}
    )
    return st.one_of(
        st.tuples(st.just("get"), st.just("/staff/cases"), _query([*QUEUE_FILTERS, "after"])),
        st.tuples(st.just("get"), st.just("/staff/cases"), _query([*QUEUE_FILTERS, "before"])),
        st.tuples(st.just("get"), st.just(page), _query(["done"])),
        st.tuples(
            st.just("get"), QUERY_TEXT.map(lambda ref: f"/staff/cases/{quote(ref)}"), st.just({})
        ),
        st.tuples(st.just("post"), st.just(page), case_form),
        st.tuples(st.just("get"), st.just("/staff/people"), _query(["done", "user", "q"])),
        st.tuples(st.just("post"), st.just("/staff/people"), people_form),
        st.tuples(st.just("get"), st.just("/staff/audit/"), _query(AUDIT_FILTERS)),
        st.tuples(
            st.just("post"),
            st.just("/staff/apply"),
            st.fixed_dictionaries({"service": text_or("test-service"), "channel": TEXT}),
        ),
    )


def test_no_staff_request_is_a_server_error_or_echoes_markup() -> None:
    org = organisation("test-council")
    case = make_case(org)
    roles = (Role.CASEWORKER, Role.AUDITOR, Role.PLATFORM_ADMIN)
    client: Client = signed_in(staff(*((org, role) for role in roles)))
    User.objects.create_user(username="colleague")  # whom the people page's forms name

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=_requests(case))
    def send_anything(request: tuple[str, str, dict[str, str]]) -> None:
        method, path, data = request
        assert_safe(getattr(client, method)(path, data))
        assert_safe(client.get(f"/staff/cases/{case.reference}"))  # where notes are shown

    send_anything()
    assert client.get("/staff/cases").status_code == 200, "still signed in: the pages were seen"
