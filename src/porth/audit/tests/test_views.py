import re

import pytest
from django.urls import reverse

from porth.accounts.models import Role
from porth.audit.models import AuditEvent
from porth.audit.service import record
from porth.audit.views import PAGE

from .helpers import organisation, signed_in, staff

URL = "/staff/audit/"
ROW_ID = re.compile(r'<th scope="row" class="govuk-table__header">(\d+)</th>')


def results(html: str) -> str:
    """The page below the search form."""
    return html.split('role="search"', 1)[1].split("</form>", 1)[1]


@pytest.fixture
def orgs():
    return organisation("org-a"), organisation("org-b")


def test_the_url_is_named():
    assert reverse("audit-log") == URL


@pytest.mark.django_db
def test_an_auditor_sees_only_their_organisations_entries(orgs):
    org_a, org_b = orgs
    record("case.opened", organisation=org_a, data={"reference": "AA-1111-1111"})
    record("case.opened", organisation=org_b, data={"reference": "BB-2222-2222"})
    client = signed_in(staff((org_a, Role.AUDITOR)))
    html = client.get(URL).content.decode()
    assert "AA-1111-1111" in html
    assert "BB-2222-2222" not in html
    # Searching for the other organisation's case finds nothing either.
    html = client.get(URL, {"reference": "BB-2222-2222"}).content.decode()
    assert "BB-2222-2222" not in results(html)
    assert "No entries match your search" in html


@pytest.mark.django_db
def test_a_platform_admin_sees_every_entry(orgs):
    org_a, org_b = orgs
    record("case.opened", organisation=org_a, data={"reference": "AA-1111-1111"})
    record("submission.created", data={"reference": "BB-2222-2222"})
    html = signed_in(staff((org_b, Role.PLATFORM_ADMIN))).get(URL).content.decode()
    assert "AA-1111-1111" in html and "BB-2222-2222" in html


@pytest.mark.django_db
def test_a_caseworker_gets_not_found(orgs):
    response = signed_in(staff((orgs[0], Role.CASEWORKER))).get(URL)
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_can_change_the_log_through_the_page(orgs, method):
    record("case.opened", organisation=orgs[0])
    client = signed_in(staff((orgs[0], Role.PLATFORM_ADMIN)))
    client.handler.enforce_csrf_checks = False
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert AuditEvent.objects.filter(action="case.opened").count() == 1


@pytest.mark.django_db
def test_viewing_the_log_is_recorded_with_the_filters(orgs):
    auditor = staff((orgs[0], Role.AUDITOR))
    signed_in(auditor).get(URL, {"action": "case.opened", "start": "2026-01-01"})
    viewed = AuditEvent.objects.get(action="audit.viewed")
    assert viewed.actor == auditor
    assert viewed.data["filters"] == {"action": "case.opened", "start": "2026-01-01"}


@pytest.mark.django_db
def test_filters_by_who_action_reference_and_date(orgs):
    org = orgs[0]
    alice = staff((org, Role.CASEWORKER), username="alice")
    bob = staff((org, Role.CASEWORKER), username="bob")
    record("case.opened", actor=alice, organisation=org, data={"reference": "AA-0001"})
    record("case.assigned", actor=bob, organisation=org, data={"reference": "AA-0002"})
    client = signed_in(staff((org, Role.AUDITOR)))

    def found(**filters: str) -> set[str]:
        html = results(client.get(URL, filters).content.decode())
        return {ref for ref in ("AA-0001", "AA-0002") if ref in html}

    assert found(who="alice") == {"AA-0001"}
    assert found(who="BOB") == {"AA-0002"}
    assert found(action="case.assigned") == {"AA-0002"}
    assert found(reference="AA-0001") == {"AA-0001"}
    assert found(start="2000-01-01", end="2999-12-31") == {"AA-0001", "AA-0002"}
    assert found(end="2000-01-01") == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"start": "yesterday"}, "Enter a real date in the format YYYY-MM-DD"),
        ({"end": "2026-02-30"}, "Enter a real date in the format YYYY-MM-DD"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "The end date must be the same as"),
    ],
)
def test_bad_dates_are_shown_in_an_error_summary(orgs, filters, message):
    response = signed_in(staff((orgs[0], Role.AUDITOR))).get(URL, filters)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error: Audit log" in html
    assert not AuditEvent.objects.filter(action="audit.viewed").exists()


@pytest.mark.django_db
def test_pages_go_back_and_forth_by_id(orgs):
    org = orgs[0]
    ids = [record("test.page", organisation=org, data={"n": n}).pk for n in range(PAGE * 2 + 5)]
    client = signed_in(staff((org, Role.AUDITOR)))

    def page(params: dict[str, object]) -> tuple[list[int], str | None, str | None]:
        html = client.get(URL, {"action": "test.page", **params}).content.decode()
        shown = [int(n) for n in ROW_ID.findall(html)]
        older = re.search(r'href="([^"]+)"[^>]*>\s*<svg[^>]*govuk-pagination__icon--next', html)
        newer = re.search(r'href="([^"]+)"[^>]*>\s*<svg[^>]*govuk-pagination__icon--prev', html)
        return shown, older and older[1], newer and newer[1]

    first, older, newer = page({})
    assert first == ids[::-1][:PAGE] and older and not newer
    second, older, newer = page({"before": first[-1]})
    assert second == ids[::-1][PAGE : PAGE * 2] and older and newer
    assert older is not None and "action=test.page" in older
    assert f"before={second[-1]}" in older
    third, older, newer = page({"before": second[-1]})
    assert third == ids[::-1][PAGE * 2 :] and not older and newer
    back, older, newer = page({"after": third[0]})
    assert back == second and older and newer
    back, older, newer = page({"after": back[0]})
    assert back == first and older and not newer
