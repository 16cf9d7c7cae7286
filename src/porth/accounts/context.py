"""The staff menu: only the pages the signed-in member of staff may use."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .models import Membership, Role

# (label, URL name, roles that see it); the views check the roles again, on the server.
MENU = [
    ("Cases", "queues", {Role.CASEWORKER, Role.TEAM_LEADER, Role.SERVICE_OWNER}),
    (
        "Failed messages",
        "failed-notifications",
        {Role.CASEWORKER, Role.TEAM_LEADER, Role.SERVICE_OWNER},
    ),
    ("Record an application", "record-application", {Role.CASEWORKER, Role.TEAM_LEADER}),
    ("Apply for someone", "assisted-start", {Role.CASEWORKER, Role.TEAM_LEADER}),
    ("Performance", "performance", {Role.SERVICE_OWNER, Role.PLATFORM_ADMIN}),
    ("Open data", "opendata-staff-datasets", {Role.DATA_PUBLISHER}),
    ("API tokens", "opendata-staff-tokens", {Role.DATA_PUBLISHER}),
    ("Exchange", "exchange-staff-services", {Role.SERVICE_OWNER}),
    ("API tokens", "integrations-tokens", {Role.SERVICE_OWNER}),
    ("Webhooks", "integrations-webhooks", {Role.SERVICE_OWNER}),
    ("Audit log", "audit-log", {Role.AUDITOR, Role.PLATFORM_ADMIN}),
    ("Staff", "staff-people", {Role.PLATFORM_ADMIN}),
]


def staff(request: HttpRequest) -> dict[str, Any]:
    # An error page may be drawn before the authentication middleware has run (a request
    # refused at the edge): no user then, and no menu.
    user = getattr(request, "user", None)
    if not request.path.startswith("/staff/") or user is None or not user.is_authenticated:
        return {}
    roles = set(Membership.objects.filter(user_id=user.pk).values_list("role", flat=True))
    menu = []
    for label, name, allowed in MENU:
        if roles & allowed:
            try:
                reverse(name)
            except NoReverseMatch:  # a page not built yet
                continue
            menu.append((label, name))
    return {"staff_menu": menu}
