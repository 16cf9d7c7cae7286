"""The REST API: tokens and scopes, one organisation's data only, every endpoint, and a
structured 4xx for every bad input."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.audit.models import AuditEvent
from porth.casework.models import Case, CaseEvent, Status
from porth.casework.tests.helpers import make_case
from porth.integrations import tokens
from porth.integrations.models import Scope
from porth.submissions.models import Submission

from .helpers import api, foreign_case, service_owner, token

pytestmark = pytest.mark.django_db


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()["error"]
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


# --- Tokens -------------------------------------------------------------------------------


def test_no_token_unknown_token_and_other_schemes_get_401(org: Organisation) -> None:
    make_case(org)
    from django.test import Client

    assert error_of(Client().get("/api/v1/submissions"), 401, "unauthorised")
    response = api("porth_api_not-a-real-token").get("/api/v1/cases")
    error_of(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    basic = Client(headers={"Authorization": "Basic dXNlcjpwYXNz"}).get("/api/v1/cases")
    error_of(basic, 401)


def test_a_token_is_kept_only_as_a_hash_and_its_making_is_audited(org: Organisation) -> None:
    made, secret = token(org)
    assert secret.startswith("porth_api_")
    assert secret not in made.digest and len(made.digest) == 64
    entry = AuditEvent.objects.get(action="integrations.token_made")
    assert entry.organisation_id == org.pk and entry.data["scopes"] == sorted(Scope.values)
    assert not made.user.has_usable_password()


def test_a_revoked_token_stops_working_at_once_and_the_revocation_is_audited(
    org: Organisation,
) -> None:
    made, secret = token(org)
    assert api(secret).get("/api/v1/cases").status_code == 200
    tokens.revoke(made, actor=service_owner(org))
    error_of(api(secret).get("/api/v1/cases"), 401)
    assert AuditEvent.objects.filter(action="integrations.token_revoked").count() == 1


def test_an_expired_token_gets_401(org: Organisation) -> None:
    _, secret = token(org, expires_at=timezone.now() - timedelta(seconds=1))
    error_of(api(secret).get("/api/v1/cases"), 401)


def test_each_endpoint_needs_its_scope(org: Organisation) -> None:
    case = make_case(org)
    _, cases_only = token(org, [Scope.CASES_READ])
    _, submissions_only = token(org, [Scope.SUBMISSIONS_READ])
    error_of(api(cases_only).get("/api/v1/submissions"), 403, "forbidden")
    error_of(api(cases_only).get(f"/api/v1/submissions/{case.reference}"), 403)
    error_of(api(submissions_only).get("/api/v1/cases"), 403)
    error_of(api(submissions_only).get(f"/api/v1/cases/{case.reference}"), 403)
    action = {"action": "note", "version": 1, "text": "Checked"}
    url = f"/api/v1/cases/{case.reference}/actions"
    error_of(api(cases_only).post(url, action, content_type="application/json"), 403)
    assert CaseEvent.objects.filter(case=case).count() == 0


# --- One organisation's data only -----------------------------------------------------------


def test_a_token_sees_only_its_organisations_submissions_and_cases(
    org: Organisation, other_org: Organisation
) -> None:
    ours = make_case(org)
    theirs = foreign_case(other_org)
    _, secret = token(org)
    client = api(secret)
    listed = client.get("/api/v1/submissions").json()["items"]
    assert [item["reference"] for item in listed] == [ours.reference]
    assert [c["reference"] for c in client.get("/api/v1/cases").json()["items"]] == [ours.reference]
    error_of(client.get(f"/api/v1/submissions/{theirs.reference}"), 404, "not_found")
    error_of(client.get(f"/api/v1/cases/{theirs.reference}"), 404)
    note = {"action": "note", "version": 1, "text": "Mine now"}
    url = f"/api/v1/cases/{theirs.reference}/actions"
    error_of(client.post(url, note, content_type="application/json"), 404)
    error_of(client.get("/api/v1/submissions?service=other-service"), 403)
    error_of(client.get("/api/v1/cases?service=other-service"), 403)


# --- Submissions ------------------------------------------------------------------------------


def test_submissions_come_a_page_at_a_time_in_a_stable_order(org: Organisation) -> None:
    made = [make_case(org).reference for _ in range(5)]
    _, secret = token(org)
    client = api(secret)
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        body = client.get(f"/api/v1/submissions{query}").json()
        seen += [item["reference"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == made and pages == 3
    assert body["items"][0]["case"] == made[-1]


def test_submissions_filter_by_service_and_since(org: Organisation) -> None:
    old = make_case(org)
    Submission.objects.filter(pk=old.submission_id).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    new = make_case(org)
    _, secret = token(org)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = api(secret).get("/api/v1/submissions", {"since": since, "service": "test-service"})
    assert [item["reference"] for item in response.json()["items"]] == [new.reference]


def test_a_submission_comes_with_its_answers_and_the_read_is_audited(org: Organisation) -> None:
    case = make_case(org, name="Jo Bloggs")
    made, secret = token(org)
    body = api(secret).get(f"/api/v1/submissions/{case.reference}").json()
    assert body["answers"] == {"full_name": "Jo Bloggs", "alone": True}
    assert body["erased"] is False and body["case"] == case.reference
    entry = AuditEvent.objects.get(action="integrations.submission_read")
    assert entry.actor_id == made.user_id and entry.data["reference"] == case.reference
    assert entry.actor_label == "API: Case system"


def test_an_erased_submission_says_so_and_has_no_answers(org: Organisation) -> None:
    case = make_case(org)
    Submission.objects.filter(pk=case.submission_id).update(erased_at=timezone.now(), answers=b"")
    _, secret = token(org)
    body = api(secret).get(f"/api/v1/submissions/{case.reference}").json()
    assert body["erased"] is True and body["answers"] is None and body["erased_at"]


# --- Cases ------------------------------------------------------------------------------------


def test_cases_filter_by_queue_status_and_service(org: Organisation) -> None:
    new = make_case(org)
    started = make_case(org, status=Status.IN_PROGRESS)
    _, secret = token(org)
    client = api(secret)

    def refs(**query: str) -> list[str]:
        return [c["reference"] for c in client.get("/api/v1/cases", query).json()["items"]]

    assert refs(status="in_progress") == [started.reference]
    assert refs(queue="applications", service="test-service") == [new.reference, started.reference]
    assert refs(queue="elsewhere") == []


def test_a_case_shows_its_status_queue_and_timeline(org: Organisation) -> None:
    case = make_case(org, status=Status.IN_PROGRESS)
    _, secret = token(org)
    client = api(secret)
    url = f"/api/v1/cases/{case.reference}/actions"
    client.post(url, {"action": "note", "version": 1, "text": "Rang back"}, "application/json")
    body = client.get(f"/api/v1/cases/{case.reference}").json()
    assert body["status"] == "in_progress" and body["queue"]["slug"] == "applications"
    assert body["version"] == 2
    assert body["events"][-1] | {"at": None} == {
        "kind": "note",
        "at": None,
        "actor": "API: Case system",
        "text": "Rang back",
    }
    assert AuditEvent.objects.filter(action="integrations.case_read").count() == 2


@pytest.mark.parametrize(
    ("action", "text", "status"),
    [
        ("approve", None, Status.APPROVED),
        ("reject", "Not eligible", Status.REJECTED),
        ("request_information", "Send proof of address", Status.AWAITING_INFORMATION),
        ("message", "We are looking at it", Status.IN_PROGRESS),
    ],
)
def test_actions_go_through_casework_and_are_audited_as_the_token(
    org: Organisation, action: str, text: str | None, status: str
) -> None:
    case = make_case(org, status=Status.IN_PROGRESS)
    made, secret = token(org)
    body: dict[str, Any] = {"action": action, "version": case.version}
    if text:
        body["text"] = text
    response = api(secret).post(
        f"/api/v1/cases/{case.reference}/actions", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    case.refresh_from_db()
    assert case.status == status
    entry = AuditEvent.objects.get(action=f"case.{action}")
    assert entry.actor_id == made.user_id


def test_a_stale_version_or_a_move_the_status_refuses_is_409(org: Organisation) -> None:
    case = make_case(org, status=Status.NEW)
    _, secret = token(org)
    client = api(secret)
    url = f"/api/v1/cases/{case.reference}/actions"
    stale = client.post(url, {"action": "approve", "version": 7}, "application/json")
    assert "Someone else changed" in error_of(stale, 409, "conflict")["message"]
    refused = client.post(url, {"action": "approve", "version": 1}, "application/json")
    assert "cannot approve" in error_of(refused, 409, "refused")["message"]
    assert Case.objects.get(pk=case.pk).status == Status.NEW


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"action": "note", "version": 1},  # no text
        {"action": "note", "version": 1, "text": "   "},
        {"action": "close", "version": 1, "text": "Why"},  # text where none is taken
        {"action": "note", "version": 1, "text": "bad\u0000text"},
        {"action": "note", "version": 1, "text": "x" * 5001},
        {"action": "explode", "version": 1},
        {"action": "note", "version": "one", "text": "x"},
        {"action": "note", "version": 0, "text": "x"},
        {"action": "note", "version": 2**40, "text": "x"},
        {},
        [],
        '"note"',
    ],
)
def test_bad_action_bodies_are_422_and_change_nothing(org: Organisation, body: Any) -> None:
    case = make_case(org, status=Status.IN_PROGRESS)
    _, secret = token(org)
    response = api(secret).post(
        f"/api/v1/cases/{case.reference}/actions", body, content_type="application/json"
    )
    error_of(response, 422)
    assert CaseEvent.objects.filter(case=case).count() == 0


def test_a_body_that_is_not_json_is_a_4xx(org: Organisation) -> None:
    case = make_case(org, status=Status.IN_PROGRESS)
    _, secret = token(org)
    response = api(secret).post(
        f"/api/v1/cases/{case.reference}/actions", b"{not json", content_type="application/json"
    )
    assert response.status_code in {400, 422}
    assert response.json()["error"]["status"] == response.status_code


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "limit=ten",
        "since=yesterday",
        "since=0001-01-01T00:00:00%2B14:00",
        "since=9999-12-31T23:59:59-14:00",
        "cursor=!!",
        "cursor=bm90LWEtY3Vyc29y",  # base64 of something the API never gave
        "service=Not%20A%20Slug",
        "status=lost",
    ],
)
def test_bad_queries_are_422(org: Organisation, query: str) -> None:
    _, secret = token(org)
    client = api(secret)
    path = "/api/v1/cases" if query.startswith("status") else "/api/v1/submissions"
    error_of(client.get(f"{path}?{query}"), 422, "invalid")


def test_bad_references_and_unknown_addresses_are_json_404s_or_422s(org: Organisation) -> None:
    _, secret = token(org)
    client = api(secret)
    error_of(client.get("/api/v1/cases/NO-SUCH-CASE"), 404)
    # Control characters are refused by the site before any view: still the API's JSON.
    error_of(client.get("/api/v1/cases/%00bad"), 400, "bad_request")
    error_of(client.get("/api/v1/submissions?service=%00"), 400, "bad_request")
    error_of(client.get("/api/v1/nothing/here"), 404, "not_found")
    assert client.delete("/api/v1/cases").status_code == 405


def test_an_unknown_query_parameter_is_422_not_ignored(org: Organisation) -> None:
    _, secret = token(org)
    body = error_of(api(secret).get("/api/v1/cases?statuss=new"), 422, "invalid")
    assert body["fields"][0]["location"][-1] == "statuss"
