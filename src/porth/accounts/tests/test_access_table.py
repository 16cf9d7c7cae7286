"""Who reaches which staff URL: every staff URL, every method we care about, every kind of
visitor, checked against one table.

The table is the whole rule. Each row is a staff route (as the URL resolver spells it) and a
method, with the outcome for every actor: someone signed out, someone part-way through
signing in, someone signed in with a password but no second factor, and each role in the
organisation that owns the case and services ("A", example-council) and in another ("B").

A staff URL that is not in the table fails `test_every_staff_url_is_in_the_access_table`,
so a new view cannot escape being checked.
"""

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from porth.accounts import staff_session
from porth.accounts.models import Organisation, Role, User
from porth.analytics.models import Cost
from porth.audit.service import record
from porth.casework.models import Case, CaseEvent, Status
from porth.casework.tests.helpers import make_case
from porth.exchange import actions as exchange_actions
from porth.exchange.models import Grant
from porth.integrations import actions as integrations
from porth.integrations import delivery as webhooks
from porth.integrations import tokens as integration_tokens
from porth.integrations.models import ApiToken as IntegrationToken
from porth.integrations.models import WebhookDelivery, WebhookEndpoint
from porth.notifications.models import Notification
from porth.notifications.models import Status as NotificationStatus
from porth.notifications.tests.factories import make_notification
from porth.notifications.tests.stubs import scheduled as scheduled  # a fixture
from porth.opendata import tokens
from porth.opendata.models import ApiToken, Dataset, Resource
from porth.opendata.tests.factories import DatasetFactory, ResourceFactory
from porth.services import registry
from porth.submissions.models import Journey

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
    signed_in_client,
)
from .helpers import post_password

pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.PROJECT_DIR) / "services"
HOME_ORG = "example-council"  # owns the example services, and the case below
OTHER_ORG = "other-council"
SERVICE = "apply-for-a-blue-badge"
SERVICE_NAME = "Apply for a Blue Badge"
SERVICE_FIRST_PAGE = f"/services/{SERVICE}/where-do-you-live"

# --- Actors -----------------------------------------------------------------------------------

# Not signed in with both factors: nobody, the password step only (with an authenticator app,
# and before setting one up), and a session signed in by password whose code step was skipped.
NOT_SIGNED_IN = ("signed_out", "password_only", "enrolling", "unverified")
ORGS = {"A": HOME_ORG, "B": OTHER_ORG}
STAFF = tuple(f"{role}_{org}" for role in Role.values for org in ORGS)
ACTORS = NOT_SIGNED_IN + STAFF
CASE_ROLES_A = ("caseworker_A", "team_leader_A", "service_owner_A")
CASE_ROLES_B = ("caseworker_B", "team_leader_B", "service_owner_B")
ASSISTED = ("caseworker_A", "team_leader_A", "caseworker_B", "team_leader_B")
PUBLISHERS = ("data_publisher_A", "data_publisher_B")
OWNERS = ("service_owner_A", "service_owner_B")
DATASET = "road-casualties"  # A's, with a link resource
DATASET_TITLE = "Road casualties"
DATASET_PAGE = f"/staff/open-data/dataset/{DATASET}"
EXCHANGE = "confirm-application"  # A's exchange service, which B may call
EXCHANGE_NAME = "Confirm an application"
EXCHANGE_PAGE = f"/staff/exchange/{HOME_ORG}/{EXCHANGE}"


# --- Outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a request gets. `location` (for redirects) may name {next} (the sign-in query for
    the requested path) and {reference} (the case's). `shows` says whether the row's marker
    (the case reference, a service name) is on the page; `changes` whether the request
    changes the case or starts a journey (every other request must leave them alone)."""

    status: int
    location: str | None = None
    shows: bool | None = None
    changes: bool = False


OK = Outcome(200)
SHOWN = Outcome(200, shows=True)
HIDDEN = Outcome(200, shows=False)
NOT_FOUND = Outcome(404)
NOT_ALLOWED = Outcome(405)
TO_SIGN_IN = Outcome(302, "/staff/sign-in?{next}")
TO_SIGN_IN_PAGE = Outcome(302, "/staff/sign-in")
TO_HOME = Outcome(302, "/staff/")


def expect(not_signed_in: Outcome, staff: Outcome, **actors: Outcome) -> dict[str, Outcome]:
    """An outcome for every actor: `not_signed_in` for the four who are not signed in with
    both factors, `staff` for every role in either organisation, except those named."""
    unknown = set(actors) - set(ACTORS)
    assert not unknown, f"not actors: {unknown}"
    return {
        actor: actors.get(actor, not_signed_in if actor in NOT_SIGNED_IN else staff)
        for actor in ACTORS
    }


def only(outcome: Outcome, *actors: str) -> dict[str, Outcome]:
    return dict.fromkeys(actors, outcome)


def case_action(action: str) -> dict[str, Outcome]:
    """A case action posted to the case page: done by the case roles of A, 404 for the rest."""
    done = Outcome(303, f"/staff/cases/{{reference}}?done={action}", changes=True)
    return expect(TO_SIGN_IN, NOT_FOUND, **only(done, *CASE_ROLES_A))


def people_action(action: str) -> dict[str, Outcome]:
    """An action on the colleague's sign-in, posted to the staff page: platform admins only."""
    done = Outcome(303, f"/staff/people?done={action}&user={{colleague_name}}", changes=True)
    return expect(TO_SIGN_IN, NOT_FOUND, platform_admin_A=done, platform_admin_B=done)


@dataclass(frozen=True)
class Row:
    outcomes: dict[str, Outcome]
    # may name {version}, {colleague} (a pk) and {colleague_name} (a user name)
    data: dict[str, str] = field(default_factory=dict)
    marker: str = ""  # what `shows` looks for: {reference}, {colleague_name} or a service name


# --- The table ---------------------------------------------------------------------------------

TABLE: dict[tuple[str, str], Row] = {
    # Signing in and out: public; signed-in staff are sent on to their home.
    ("staff/sign-in", "GET"): Row(expect(OK, TO_HOME)),
    ("staff/sign-in/code", "GET"): Row(
        expect(TO_SIGN_IN_PAGE, TO_SIGN_IN_PAGE, password_only=OK, enrolling=OK)
    ),
    ("staff/sign-in/set-up-app", "GET"): Row(
        expect(
            TO_SIGN_IN_PAGE,
            TO_SIGN_IN_PAGE,
            password_only=Outcome(302, "/staff/sign-in/code"),
            enrolling=OK,
        )
    ),
    ("staff/sign-out", "GET"): Row(expect(NOT_ALLOWED, NOT_ALLOWED)),
    ("staff/sign-out", "POST"): Row(expect(TO_SIGN_IN_PAGE, TO_SIGN_IN_PAGE)),
    # Staff, lockouts and sign-outs: platform admins only (every organisation's staff).
    ("staff/people", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, platform_admin_A=SHOWN, platform_admin_B=SHOWN),
        marker="{colleague_name}",
    ),
    ("staff/people", "POST unlock"): Row(
        people_action("unlock"), {"action": "unlock", "user": "{colleague_name}"}
    ),
    ("staff/people", "POST sign_out_everywhere"): Row(
        people_action("sign_out_everywhere"),
        {"action": "sign_out_everywhere", "user": "{colleague_name}"},
    ),
    ("staff/people", "POST reset_authenticator"): Row(
        people_action("reset_authenticator"),
        {"action": "reset_authenticator", "user": "{colleague_name}"},
    ),
    # Staff home: each role's main page; a platform admin has no case or audit role here.
    ("staff/", "GET"): Row(
        expect(
            TO_SIGN_IN,
            Outcome(302, "/staff/cases"),
            auditor_A=Outcome(302, "/staff/audit/"),
            auditor_B=Outcome(302, "/staff/audit/"),
            platform_admin_A=OK,
            platform_admin_B=OK,
            data_publisher_A=Outcome(302, "/staff/open-data/"),
            data_publisher_B=Outcome(302, "/staff/open-data/"),
        )
    ),
    # Cases: case roles only, and only their own organisation's cases.
    ("staff/cases", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(SHOWN, *CASE_ROLES_A), **only(HIDDEN, *CASE_ROLES_B)),
        marker="{reference}",
    ),
    ("staff/cases/<str:reference>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(SHOWN, *CASE_ROLES_A)), marker="{reference}"
    ),
    ("staff/cases/<str:reference>", "POST claim"): Row(
        case_action("claim"), {"action": "claim", "version": "{version}"}
    ),
    ("staff/cases/<str:reference>", "POST assign"): Row(
        case_action("assign"),
        {"action": "assign", "version": "{version}", "assignee": "{colleague}"},
    ),
    ("staff/cases/<str:reference>", "POST note"): Row(
        case_action("note"),
        {"action": "note", "version": "{version}", "note": "Phoned the applicant."},
    ),
    ("staff/cases/<str:reference>", "POST request_information"): Row(
        case_action("request_information"),
        {
            "action": "request_information",
            "version": "{version}",
            "message": "Send a copy of your PIP award letter.",
        },
    ),
    ("staff/cases/<str:reference>", "POST approve"): Row(
        case_action("approve"), {"action": "approve", "version": "{version}"}
    ),
    ("staff/cases/<str:reference>", "POST reject"): Row(
        case_action("reject"),
        {"action": "reject", "version": "{version}", "reason": "Not eligible."},
    ),
    # A case's messages, and failed messages: case roles, their own organisation's only.
    ("staff/cases/<str:reference>/notifications", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(SHOWN, *CASE_ROLES_A)), marker="{reference}"
    ),
    ("staff/notifications/failed", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(SHOWN, *CASE_ROLES_A), **only(HIDDEN, *CASE_ROLES_B)),
        marker="{reference}",
    ),
    ("staff/notifications/failed", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            **only(
                Outcome(303, "/staff/notifications/failed?done=retried", changes=True),
                *CASE_ROLES_A,
            ),
        ),
        {"notification": "{notification}"},
    ),
    # The audit log: auditors (their organisations' entries) and platform admins (all).
    ("staff/audit/", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            auditor_A=SHOWN,
            auditor_B=HIDDEN,
            platform_admin_A=SHOWN,
            platform_admin_B=SHOWN,
        ),
        marker="{reference}",
    ),
    ("staff/audit/", "POST"): Row(expect(NOT_ALLOWED, NOT_ALLOWED)),  # nothing edits the log
    # Performance: service owners (their organisations' services) and platform admins (all);
    # only the owning organisation's service owners enter costs.
    ("staff/performance/", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=SHOWN,
            service_owner_B=HIDDEN,
            platform_admin_A=SHOWN,
            platform_admin_B=SHOWN,
        ),
        marker=SERVICE_NAME,
    ),
    ("staff/performance/services.<str:fmt>", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=SHOWN,
            service_owner_B=HIDDEN,
            platform_admin_A=SHOWN,
            platform_admin_B=SHOWN,
        ),
        marker=SERVICE_NAME,
    ),
    ("staff/performance/<slug:slug>", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=SHOWN,
            platform_admin_A=SHOWN,
            platform_admin_B=SHOWN,
        ),
        marker=SERVICE_NAME,
    ),
    ("staff/performance/<slug:slug>/figures.<str:fmt>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=OK, platform_admin_A=OK, platform_admin_B=OK)
    ),
    ("staff/performance/<slug:slug>/costs", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=SHOWN), marker=SERVICE_NAME
    ),
    ("staff/performance/<slug:slug>/costs", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(
                303, f"/staff/performance/{SERVICE}/costs?done={{cost}}", changes=True
            ),
        ),
        {"channel": "phone", "period": "month", "start": "2026-01-01", "amount": "100"},
    ),
    # Assisted digital: caseworkers and team leaders, for their own organisation's services.
    ("staff/apply", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            **only(SHOWN, "caseworker_A", "team_leader_A"),
            **only(HIDDEN, "caseworker_B", "team_leader_B"),
        ),
        marker=SERVICE_NAME,
    ),
    ("staff/apply", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            **only(Outcome(303, SERVICE_FIRST_PAGE, changes=True), "caseworker_A", "team_leader_A"),
        ),
        {"service": SERVICE, "channel": "phone"},
    ),
    ("staff/apply/record", "GET"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            **only(SHOWN, "caseworker_A", "team_leader_A"),
            **only(HIDDEN, "caseworker_B", "team_leader_B"),
        ),
        marker=SERVICE_NAME,
    ),
    ("staff/apply/record", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            **only(Outcome(303, SERVICE_FIRST_PAGE, changes=True), "caseworker_A", "team_leader_A"),
        ),
        {"service": SERVICE, "channel": "paper"},
    ),
    # Shown after a sign-out ended assisted mode, so to anyone; it says nothing about anyone.
    ("staff/apply/stopped", "GET"): Row(expect(OK, OK)),
    # Not in assisted mode here, so back to the start page (for those allowed to use it).
    ("staff/apply/<slug:slug>/stop", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(Outcome(303, "/staff/apply"), *ASSISTED))
    ),
    ("staff/apply/<slug:slug>/stop", "POST"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(Outcome(303, "/staff/apply"), *ASSISTED))
    ),
    # Open data: data publishers, their own organisation's datasets and their own tokens (the
    # token here is a colleague's, so nobody but its owner may revoke it).
    ("staff/open-data/", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=SHOWN, data_publisher_B=HIDDEN),
        marker=DATASET_TITLE,
    ),
    ("staff/open-data/new", "GET"): Row(expect(TO_SIGN_IN, NOT_FOUND, **only(OK, *PUBLISHERS))),
    ("staff/open-data/new", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(
                303, "/staff/open-data/dataset/new-data?done=created", changes=True
            ),
            data_publisher_B=Outcome(400),  # A is not theirs to publish for
        ),
        {"title": "New", "name": "new-data", "owner_org": HOME_ORG, "visibility": "draft"},
    ),
    ("staff/open-data/api-tokens", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(OK, *PUBLISHERS))
    ),
    ("staff/open-data/api-tokens", "POST"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(Outcome(200, changes=True), *PUBLISHERS)),
        {"name": "Nightly upload"},
    ),
    ("staff/open-data/api-tokens/<int:token_id>", "GET"): Row(expect(TO_SIGN_IN, NOT_FOUND)),
    ("staff/open-data/api-tokens/<int:token_id>", "POST"): Row(expect(TO_SIGN_IN, NOT_FOUND)),
    ("staff/open-data/dataset/<slug:name>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=SHOWN), marker=DATASET_TITLE
    ),
    ("staff/open-data/dataset/<slug:name>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(303, f"{DATASET_PAGE}?done=saved", changes=True),
        ),
        {"title": "Changed", "name": DATASET, "owner_org": HOME_ORG, "visibility": "public"},
    ),
    ("staff/open-data/dataset/<slug:name>/delete", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=OK)
    ),
    ("staff/open-data/dataset/<slug:name>/delete", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(303, "/staff/open-data/?done=deleted", changes=True),
        )
    ),
    ("staff/open-data/dataset/<slug:name>/resources/new", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=OK)
    ),
    ("staff/open-data/dataset/<slug:name>/resources/new", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(303, f"{DATASET_PAGE}?done=resource-added", changes=True),
        ),
        {"url": "https://example.gov.uk/more.csv", "name": "More"},
    ),
    ("staff/open-data/dataset/<slug:name>/resources/<uuid:resource_id>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=OK)
    ),
    ("staff/open-data/dataset/<slug:name>/resources/<uuid:resource_id>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(303, f"{DATASET_PAGE}?done=resource-saved", changes=True),
        ),
        {"url": "https://example.gov.uk/changed.csv", "name": "Changed"},
    ),
    ("staff/open-data/dataset/<slug:name>/resources/<uuid:resource_id>/delete", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, data_publisher_A=OK)
    ),
    ("staff/open-data/dataset/<slug:name>/resources/<uuid:resource_id>/delete", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            data_publisher_A=Outcome(303, f"{DATASET_PAGE}?done=resource-deleted", changes=True),
        )
    ),
    # Exchange: service owners of the organisation that publishes the service grant access
    # to it and revoke it; the grant here is A's.
    ("staff/exchange/", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=SHOWN, service_owner_B=HIDDEN),
        marker=EXCHANGE_NAME,
    ),
    ("staff/exchange/<slug:organisation>/<slug:service>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=SHOWN), marker=EXCHANGE_NAME
    ),
    ("staff/exchange/<slug:organisation>/<slug:service>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(303, f"{EXCHANGE_PAGE}?done=granted", changes=True),
        ),
        {"caller": OTHER_ORG, "purpose": "housing-benefit"},
    ),
    ("staff/exchange/grants/<int:grant_id>/revoke", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=OK)
    ),
    ("staff/exchange/grants/<int:grant_id>/revoke", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(303, f"{EXCHANGE_PAGE}?done=revoked", changes=True),
        )
    ),
    # Integrations (API tokens and webhooks): service owners, their own organisation's only.
    ("staff/integrations/api-tokens", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(OK, *OWNERS))
    ),
    ("staff/integrations/api-tokens", "POST"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(Outcome(200, changes=True), *OWNERS)),
        {"name": "Case system", "scopes": "cases:read", "expires": "90"},
    ),
    ("staff/integrations/api-tokens/<int:token_id>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=OK)
    ),
    ("staff/integrations/api-tokens/<int:token_id>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(
                303, "/staff/integrations/api-tokens?done=revoked", changes=True
            ),
        )
    ),
    ("staff/integrations/webhooks", "GET"): Row(expect(TO_SIGN_IN, NOT_FOUND, **only(OK, *OWNERS))),
    ("staff/integrations/webhooks", "POST"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, **only(Outcome(200, changes=True), *OWNERS)),
        {"url": "https://cases.example.gov.uk/events", "events": "case.created"},
    ),
    ("staff/integrations/webhooks/<int:endpoint_id>", "GET"): Row(
        expect(TO_SIGN_IN, NOT_FOUND, service_owner_A=OK)
    ),
    ("staff/integrations/webhooks/<int:endpoint_id>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(303, "{endpoint_page}?done=disabled", changes=True),
        ),
        {"action": "disable"},
    ),
    ("staff/integrations/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>", "POST"): Row(
        expect(
            TO_SIGN_IN,
            NOT_FOUND,
            service_owner_A=Outcome(303, "{endpoint_page}?done=queued", changes=True),
        )
    ),
}

# Staff URLs that anyone may request: no `staff_view`, so no `staff_roles`.
PUBLIC = {
    "staff/",  # checks both factors itself, then redirects by role
    "staff/sign-in",
    "staff/sign-in/code",
    "staff/sign-in/set-up-app",
    "staff/sign-out",
    "staff/apply/stopped",
}


# --- URLs ---------------------------------------------------------------------------------------


def staff_routes() -> dict[str, URLPattern]:
    """Every route under staff/, as the resolver spells it, with its pattern."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern

    return {
        route: pattern
        for route, pattern in walk(get_resolver().url_patterns, "")
        if route.startswith("staff/")
    }


def fill(route: str, values: dict[str, str]) -> str:
    """The path for a route, its parameters filled from `values` by name."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def test_every_staff_url_is_in_the_access_table() -> None:
    routes = set(staff_routes())
    listed = {route for route, _ in TABLE}
    assert routes - listed == set(), "staff URLs missing from TABLE in this file"
    assert listed - routes == set(), "TABLE lists routes that no longer exist"


def test_every_staff_url_but_the_sign_in_pages_declares_its_roles() -> None:
    undeclared = {
        route
        for route, pattern in staff_routes().items()
        if not getattr(pattern.callback, "staff_roles", None)
    }
    assert undeclared == PUBLIC


# --- The world: a case in A, and one actor ----------------------------------------------------


@pytest.fixture(autouse=True)
def _example_services() -> None:
    """Serve the example services (owned by A), whatever earlier tests loaded."""
    examples = {path.stem for path in EXAMPLES.glob("*.yaml")}
    if set(registry.definitions()) != examples:
        registry.reload()


@pytest.fixture
def orgs() -> dict[str, Organisation]:
    return {
        key: OrganisationFactory.create(slug=slug, name=slug.replace("-", " ").title())
        for key, slug in ORGS.items()
    }


@pytest.fixture
def case(orgs: dict[str, Organisation]) -> Case:
    """An in-progress case of A's, with an audit entry naming it (for the audit log) and a
    message to the applicant that failed (for staff to send again)."""
    made = make_case(orgs["A"], status=Status.IN_PROGRESS)
    record("case.opened", organisation=orgs["A"], obj=made, data={"reference": made.reference})
    make_notification(made, status=NotificationStatus.PERMANENT_FAILURE)
    return made


@pytest.fixture
def colleague(orgs: dict[str, Organisation]) -> User:
    """A caseworker of A's, for cases to be assigned to, locked out of signing in (for
    platform admins to unlock), and with an authenticator app (for them to reset)."""
    user: User = MembershipFactory.create(organisation=orgs["A"], role=Role.CASEWORKER).user
    TOTPDeviceFactory.create(user=user)
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="127.0.0.1",
        user_agent="",
        path_info="/staff/sign-in",
        http_accept="",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    return user


@pytest.fixture
def opendata(orgs: dict[str, Organisation]) -> dict[str, str]:
    """A dataset of A's with a link resource, and an API token of a colleague's."""
    dataset = DatasetFactory.create(name=DATASET, title=DATASET_TITLE, organisation=orgs["A"])
    resource = ResourceFactory.create(dataset=dataset)
    owner = MembershipFactory.create(organisation=orgs["A"], role=Role.DATA_PUBLISHER).user
    token, _ = tokens.make(owner, "Colleague's tool", actor=owner)
    return {"name": DATASET, "resource_id": str(resource.pk), "token_id": str(token.pk)}


@pytest.fixture
def exchange(orgs: dict[str, Organisation]) -> dict[str, str]:
    """An exchange service of A's, which B may call for one purpose."""
    service = exchange_actions.publish(orgs["A"], slug=EXCHANGE, name=EXCHANGE_NAME)
    owner = MembershipFactory.create(organisation=orgs["A"], role=Role.SERVICE_OWNER).user
    grant = exchange_actions.grant(service, caller=OTHER_ORG, purpose="blue-badge", actor=owner)
    return {"organisation": HOME_ORG, "service": EXCHANGE, "grant_id": str(grant.pk)}


@pytest.fixture
def integration(orgs: dict[str, Organisation]) -> dict[str, str]:
    """An API token of A's, and a webhook endpoint of A's with a failed delivery."""
    owner = MembershipFactory.create(organisation=orgs["A"], role=Role.SERVICE_OWNER).user
    token, _ = integration_tokens.make(orgs["A"], "Case system", ["cases:read"], actor=owner)
    endpoint, _ = integrations.register(
        orgs["A"], "https://cases.example.gov.uk/events", ["case.created"], actor=owner
    )
    sent = webhooks.emit([(endpoint.pk, endpoint.events)], "case.created", "X", {})[0]
    WebhookDelivery.objects.filter(pk=sent.pk).update(status="failed", attempts=8)
    return {"token_id": str(token.pk), "endpoint_id": str(endpoint.pk), "delivery_id": str(sent.pk)}


def _without_second_factor(user: User) -> Client:
    """A session signed in by password whose code step never happened: what someone who
    found a way round the code page would have."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=staff_session.BACKEND)
    now = time.time()
    request.session.update(
        {
            staff_session.SIGNED_IN_AT: now,
            staff_session.SEEN_AT: now,
            staff_session.EPOCH: user.session_epoch,
        }
    )
    request.session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return client


def client_for(actor: str, orgs: dict[str, Organisation]) -> Client:
    client = Client()
    if actor == "signed_out":
        return client
    if actor in {"password_only", "enrolling", "unverified"}:
        # A caseworker of A's: the password alone must not open A's cases.
        user = MembershipFactory.create(organisation=orgs["A"], role=Role.CASEWORKER).user
        if actor != "enrolling":
            TOTPDeviceFactory.create(user=user)
        if actor == "unverified":
            return _without_second_factor(user)
        response = post_password(client, user.username)
        assert response.status_code == 302, "the password step did not pass"
        return client
    role, org = actor.rsplit("_", 1)
    membership = MembershipFactory.create(
        user=UserFactory.create(), organisation=orgs[org], role=role
    )
    return signed_in_client(membership.user)


def state(case: Case, colleague: User) -> tuple[Any, ...]:
    """What a refused request must not change: the case, its timeline and messages, assisted
    journeys, the colleague's sign-in (their lockout, their sessions' generation, their
    app), the costs entered for services, the catalogue (datasets, resources, tokens), and
    the integrations (API tokens, webhook endpoints and their deliveries)."""
    case = Case.objects.get(pk=case.pk)
    events = CaseEvent.objects.filter(case=case).count()
    colleague = User.objects.get(pk=colleague.pk)
    lockout = AccessAttempt.objects.filter(username=colleague.username).count()
    messages = tuple(Notification.objects.filter(case=case).values_list("status", flat=True))
    return (
        case.status,
        case.version,
        case.assigned_to_id,
        events,
        messages,
        Journey.objects.count(),
        lockout,
        colleague.session_epoch,
        TOTPDevice.objects.filter(user=colleague).count(),
        Cost.objects.count(),
        tuple(Dataset.objects.order_by("name").values_list("name", "title", "state", "private")),
        tuple(Resource.objects.order_by("pk").values_list("pk", "name", "url")),
        ApiToken.objects.count(),
        tuple(Grant.objects.values_list("pk", "revoked_at")),
        tuple(IntegrationToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        tuple(WebhookEndpoint.objects.order_by("pk").values_list("pk", "enabled")),
        tuple(WebhookDelivery.objects.order_by("pk").values_list("pk", "status", "attempts")),
    )


# --- The test -----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("route", "method"), list(TABLE), ids=[" ".join(key) for key in TABLE])
def test_staff_url_answers_each_actor_as_the_table_says(
    route: str,
    method: str,
    actor: str,
    orgs: dict[str, Organisation],
    case: Case,
    colleague: User,
    request: pytest.FixtureRequest,
    scheduled: list[int],  # sending a message again queues it: not what is on trial here
) -> None:
    row = TABLE[(route, method)]
    expected = row.outcomes[actor]
    # Only the rows of the catalogue, the exchange and the integrations make their data: the
    # others need none of it, and the table is long.
    opendata = request.getfixturevalue("opendata") if "/open-data/" in route else {}
    opendata |= request.getfixturevalue("exchange") if "/exchange/" in route else {}
    integration = request.getfixturevalue("integration") if "/integrations/" in route else {}
    path = fill(
        route,
        {"reference": case.reference, "slug": SERVICE, "fmt": "csv", **opendata, **integration},
    )
    assert resolve(path).route == route, f"{path} is not {route}"
    values = {
        "notification": Notification.objects.get(case=case).reference,
        "version": str(case.version),
        "colleague": str(colleague.pk),
        "colleague_name": colleague.username,
    }
    data = {key: value.format(**values) for key, value in row.data.items()}
    client = client_for(actor, orgs)
    before = state(case, colleague)

    response = client.post(path, data) if method.startswith("POST") else client.get(path)

    got = response.status_code, response.headers.get("Location")
    where = {
        "next": urlencode({"next": path}),
        "reference": case.reference,
        "colleague_name": colleague.username,
        "cost": str(Cost.objects.values_list("pk", flat=True).order_by("-pk").first()),
        "endpoint_page": f"/staff/integrations/webhooks/{integration.get('endpoint_id')}",
    }
    location = expected.location.format(**where) if expected.location else None
    assert got == (expected.status, location), f"{method} {path} as {actor}"
    if expected.shows is not None:
        marker = row.marker.format(reference=case.reference, colleague_name=colleague.username)
        shown = marker in response.content.decode()
        assert shown == expected.shows, f"{marker!r} {'not ' * expected.shows}on the page"
    changed = state(case, colleague) != before
    assert changed == expected.changes, f"{method} {path} as {actor} changed: {changed}"
