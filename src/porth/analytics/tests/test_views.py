"""The performance pages as staff use them: who sees what, the period and channel pickers,
exports that agree with the page, and the cost form."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from porth.accounts.models import Organisation, Role, User
from porth.accounts.tests.factories import MembershipFactory, OrganisationFactory, signed_in_client
from porth.analytics import views
from porth.analytics.figures import Figures, Kpis
from porth.analytics.models import Cost
from porth.analytics.periods import Period
from porth.audit.models import AuditEvent
from porth.services import registry

from . import sample

pytestmark = pytest.mark.django_db

SERVICE = "apply-for-a-blue-badge"  # owned by example-council
OTHER_SERVICES = {"report-a-road-problem", "council-tax-single-person-discount"}


@pytest.fixture(autouse=True)
def _examples_and_figures(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The example services, and made-up figures in place of the real ones (recorded calls)."""
    registry.reload()
    calls: list[tuple[Any, ...]] = []

    def figures(service: str, period: Period, *, channel: str | None = None) -> Figures:
        calls.append((service, period, channel))
        return sample.figures(service, period, channel)

    def overview(services: Any, period: Period) -> dict[str, Kpis]:
        return {service: sample.kpis() for service in services}

    def daily(service: str, period: Period, metric: str) -> list[tuple[date, int]]:
        return [(period.start, 5), (period.end, 7)]

    monkeypatch.setattr(views, "figures", figures)
    monkeypatch.setattr(views, "overview", overview)
    monkeypatch.setattr(views, "daily", daily)
    return calls


def person(org_slug: str, role: str) -> tuple[Client, User]:
    org = OrganisationFactory.create(slug=org_slug, name=org_slug.replace("-", " ").title())
    user = MembershipFactory.create(organisation=org, role=role).user
    return signed_in_client(user), user


def owner() -> Client:
    return person("example-council", Role.SERVICE_OWNER)[0]


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_service_owner_sees_their_organisations_services_with_the_four_kpis() -> None:
    response = owner().get("/staff/performance/")
    assert response.status_code == 200
    page = text(response)
    assert "Apply for a Blue Badge" in page
    assert "28.6%" in page  # completion rate 1234 / 4321
    assert "£4.60" in page  # cost per transaction 5678.90 / 1234
    assert "All organisations" not in page


def test_a_service_owner_of_another_organisation_sees_none_of_them() -> None:
    client, _ = person("other-council", Role.SERVICE_OWNER)
    assert "Apply for a Blue Badge" not in text(client.get("/staff/performance/"))
    assert client.get(f"/staff/performance/{SERVICE}").status_code == 404
    assert client.get(f"/staff/performance/{SERVICE}/figures.csv").status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TEAM_LEADER, Role.AUDITOR])
def test_other_roles_get_not_found(role: str) -> None:
    client, _ = person("example-council", role)
    assert client.get("/staff/performance/").status_code == 404
    assert client.get(f"/staff/performance/{SERVICE}").status_code == 404


def test_a_platform_admin_sees_every_service_and_each_organisations_totals() -> None:
    client, _ = person("platform", Role.PLATFORM_ADMIN)
    page = text(client.get("/staff/performance/"))
    assert "All organisations" in page
    for name in ("Apply for a Blue Badge", "Report a problem with a road or pavement"):
        assert name in page
    assert client.get(f"/staff/performance/{SERVICE}").status_code == 200


def test_the_dashboard_shows_this_period_against_the_previous_one(
    _examples_and_figures: list[tuple[Any, ...]],
) -> None:
    response = owner().get(f"/staff/performance/{SERVICE}?period=month&start=2026-10-15")
    assert response.status_code == 200
    page = text(response)
    assert "Performance: October 2026" in page
    october = Period.containing("month", date(2026, 10, 1))
    assert (SERVICE, october, None) in _examples_and_figures
    assert (SERVICE, october.previous(), None) in _examples_and_figures
    for figure in ("4,321", "1,234", "Enter your full name", "777", "6 min 52 s", "27 min 30 s"):
        assert figure in page
    assert 'role="img"' in page and "<title" in page


def test_choosing_a_channel_asks_for_that_channels_figures(
    _examples_and_figures: list[tuple[Any, ...]],
) -> None:
    response = owner().get(
        f"/staff/performance/{SERVICE}?period=week&start=2026-11-04&channel=phone"
    )
    assert response.status_code == 200
    week = Period.containing("week", date(2026, 11, 4))
    assert (SERVICE, week, "phone") in _examples_and_figures
    assert "phone only" in text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=fortnight", "Choose a day, week, month or quarter"),
        ("period=month&start=2026-02-30", "Enter the start date as a real date"),
        ("period=month&start=yesterday", "Enter the start date as a real date"),
        ("period=day&start=2999-01-01", "The start date must be today or in the past"),
        ("channel=pigeon", "Choose a channel from the list"),
    ],
)
def test_bad_parameters_are_explained_in_an_error_summary(query: str, message: str) -> None:
    client = owner()
    for url in (f"/staff/performance/{SERVICE}", "/staff/performance/"):
        if url.endswith("/") and query.startswith("channel"):
            continue  # the list has no channel picker
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        page = text(response)
        assert "There is a problem" in page and message in page
        assert "<title>Error:" in page
    response = client.get(f"/staff/performance/{SERVICE}/figures.json?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"].values())


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_export_holds_every_figure_of_the_page() -> None:
    client = owner()
    query = "period=month&start=2026-10-01&channel=online"
    page = text(client.get(f"/staff/performance/{SERVICE}?{query}"))
    response = client.get(f"/staff/performance/{SERVICE}/figures.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SERVICE}-month-2026-10-01-online.csv"'
    )
    rows = _csv(response)
    tables = {row["table"] for row in rows}
    assert {
        "kpis",
        "channels",
        "funnel",
        "errors",
        "durations",
        "by_hour",
        "by_weekday",
        "devices",
        "activity",
        "ratings",
        "costs",
        "casework",
        "trend",
    } <= tables
    figure = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert figure[("kpis", "Journeys completed", "October 2026")] == "1234"
    assert figure[("kpis", "Completion rate", "October 2026")] == "0.2856"
    assert figure[("kpis", "Cost per transaction", "October 2026")] == "4.60"
    assert figure[("funnel", "What is your name?", "Left here")] == "200"
    assert figure[("casework", "blue-badge", "Overdue now")] == "17"
    assert {r["channel"] for r in rows} == {"online"}
    # Each count in the export is on the page, as the page words it (times are worded).
    for row in rows:
        value = row["value"]
        if value.isdigit() and row["table"] not in {"durations", "casework"}:
            assert f"{int(value):,}" in page, row


def test_the_json_export_holds_the_figures_and_the_previous_periods() -> None:
    response = owner().get(
        f"/staff/performance/{SERVICE}/figures.json?period=quarter&start=2026-08-01"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SERVICE}-quarter-2026-07-01.json"'
    )
    data = json.loads(response.content)
    assert data["figures"]["period"]["first_day"] == "2026-07-01"
    assert data["figures"]["period"]["last_day"] == "2026-09-30"
    assert data["previous"]["period"]["first_day"] == "2026-04-01"
    kpis = data["figures"]["kpis"]
    assert kpis["completed"] == 1234
    assert kpis["completion_rate"] == {
        "numerator": 1234,
        "denominator": 4321,
        "value": pytest.approx(1234 / 4321),
    }
    assert kpis["cost_per_transaction"] == "4.60"
    assert kpis["ratings"]["5"] == 61
    assert data["figures"]["durations"]["median"] == 412.0


def test_the_services_list_exports_too() -> None:
    OrganisationFactory.create(slug="example-council", name="Example Council")
    client, _ = person("platform", Role.PLATFORM_ADMIN)
    response = client.get("/staff/performance/services.csv?period=month&start=2026-10-01")
    assert response["Content-Disposition"] == 'attachment; filename="services-month-2026-10-01.csv"'
    rows = _csv(response)
    assert {r["table"] for r in rows} == {"services", "organisations"}
    completed = {r["row"]: r["value"] for r in rows if r["column"] == "Completed"}
    assert completed["Apply for a Blue Badge"] == "1234"
    examples = len(list((Path(settings.PROJECT_DIR) / "services").glob("*.yaml")))
    assert completed["Example Council"] == str(1234 * examples)  # each example's sample
    data = client.get("/staff/performance/services.json?period=month&start=2026-10-01").json()
    assert [t["table"] for t in data["tables"]] == ["services", "organisations"]


def test_the_staff_menu_links_to_performance_for_service_owners_only() -> None:
    assert 'href="/staff/performance/"' in text(owner().get("/staff/performance/"))
    client, _ = person("example-council", Role.CASEWORKER)
    assert 'href="/staff/performance/"' not in text(client.get("/staff/cases"))


# --- Costs ------------------------------------------------------------------------------------


def test_a_service_owner_enters_a_channels_cost_for_a_month() -> None:
    client = owner()
    url = f"/staff/performance/{SERVICE}/costs"
    response = client.post(
        url, {"channel": "phone", "period": "month", "start": "2026-10-01", "amount": "£1,250.50"}
    )
    assert response.status_code == 303
    cost = Cost.objects.get()
    assert (cost.service, cost.channel, cost.first_day, cost.last_day, cost.amount) == (
        SERVICE,
        "phone",
        date(2026, 10, 1),
        date(2026, 10, 31),
        Decimal("1250.50"),
    )
    entry = AuditEvent.objects.get(action="performance.cost_entered")
    assert entry.data["amount"] == "1250.50"
    assert entry.organisation == Organisation.objects.get(slug="example-council")
    page = text(client.get(response["Location"]))
    assert "is saved: £1,250.50" in page


def test_entering_a_cost_again_corrects_it() -> None:
    client = owner()
    url = f"/staff/performance/{SERVICE}/costs"
    for amount in ("100", "120"):
        client.post(
            url, {"channel": "paper", "period": "quarter", "start": "2026-08-09", "amount": amount}
        )
    cost = Cost.objects.get()
    assert (cost.first_day, cost.last_day, cost.amount) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        Decimal("120"),
    )
    last = AuditEvent.objects.filter(action="performance.cost_entered").order_by("-pk").first()
    assert last is not None and last.data["replaced"] == "100.00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "month", "start": "2026-10-01", "amount": "1"}, "Select the channel"),
        ({"channel": "phone", "start": "2026-10-01", "amount": "1"}, "day, week, month or quarter"),
        ({"channel": "phone", "period": "month", "amount": "1"}, "Enter the first day"),
        (
            {"channel": "phone", "period": "month", "start": "31/10/2026", "amount": "1"},
            "as a real date",
        ),
        (
            {"channel": "phone", "period": "month", "start": "2999-01-01", "amount": "1"},
            "must have started",
        ),
        (
            {"channel": "phone", "period": "month", "start": "2026-10-01", "amount": "lots"},
            "Enter the cost in pounds",
        ),
        (
            {"channel": "phone", "period": "month", "start": "2026-10-01", "amount": "-5"},
            "£0 or more",
        ),
        (
            {"channel": "phone", "period": "month", "start": "2026-10-01", "amount": "1.234"},
            "pounds and pence",
        ),
    ],
)
def test_a_cost_that_cannot_be_saved_is_explained(data: dict[str, str], message: str) -> None:
    response = owner().post(f"/staff/performance/{SERVICE}/costs", data)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page
    assert Cost.objects.count() == 0


def test_only_the_owning_organisations_service_owners_enter_costs() -> None:
    url = f"/staff/performance/{SERVICE}/costs"
    data = {"channel": "phone", "period": "month", "start": "2026-10-01", "amount": "1"}
    admin, _ = person("platform", Role.PLATFORM_ADMIN)
    other, _ = person("other-council", Role.SERVICE_OWNER)
    for client in (admin, other):
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert Cost.objects.count() == 0
    assert timezone.localdate() >= date(2026, 10, 1)  # the dates above are in the past


def test_a_dashboard_is_light_and_needs_no_script_of_its_own() -> None:
    client = owner()
    response = client.get(f"/staff/performance/{SERVICE}?period=quarter&start=2026-07-01")
    assert len(response.content) < 100_000
    # Only the staff layout's scripts (GOV.UK and MOJ Frontend), no chart library.
    layout = client.get("/staff/cases").content.decode().count("<script")
    assert response.content.decode().count("<script") == layout


def test_screened_comments_are_shown_with_their_rating(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass
    from datetime import datetime

    @dataclass(frozen=True)
    class Comment:
        at: datetime
        rating: int
        text: str

    asked: list[tuple[Any, ...]] = []

    def comments(service: str, first_day: date, last_day: date, limit: int = 50) -> list[Comment]:
        asked.append((service, first_day, last_day, limit))
        return [Comment(timezone.now(), 2, "The address page was confusing [email removed]")]

    monkeypatch.setattr(views, "comments", comments)
    page = text(owner().get(f"/staff/performance/{SERVICE}?period=month&start=2026-10-01"))
    assert asked == [(SERVICE, date(2026, 10, 1), date(2026, 10, 31), 50)]
    assert "“The address page was confusing [email removed]”" in page
    assert "Dissatisfied," in page


def test_experiment_results_are_on_the_dashboard_and_in_its_export(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from porth.analytics import experiments as ex

    a, b = ex.rate(400, 1000), ex.rate(460, 1000)
    result = ex.ExperimentResult(
        id="shorter-question",
        page="your-name",
        page_title="What is your name?",
        split=50,
        ends=None,
        running=True,
        a=ex.Variant("a", "shorter-question:a", 1000, a, ex.rate(50, 1000)),
        b=ex.Variant("b", "shorter-question:b", 1000, b, ex.rate(40, 1000)),
        completion=ex.difference(b, a),
        errors=ex.difference(ex.rate(40, 1000), ex.rate(50, 1000)),
        verdict=ex.verdict(a, b, ex.difference(b, a)),
        errors_note="",
    )
    monkeypatch.setattr(views, "results", lambda definition: [result])
    client = owner()
    page = text(client.get(f"/staff/performance/{SERVICE}"))
    assert "shorter-question: “What is your name?”" in page
    assert result.verdict in page
    data = client.get(f"/staff/performance/{SERVICE}/figures.json").json()
    assert data["experiments"][0]["b"]["completion"]["numerator"] == 460
    download = client.get(f"/staff/performance/{SERVICE}/figures.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(download)))
    of = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert of[("experiment:shorter-question", "Variant B", "Completion rate")] == "0.46"
    assert of[("experiment:shorter-question", "Variant A", "Journeys")] == "1000"
    assert (
        of[("experiment:shorter-question:verdict", "shorter-question", "Verdict")] == result.verdict
    )


def test_a_corrected_cost_counts_over_a_longer_span_entered_since() -> None:
    from porth.analytics import kpis

    client = owner()
    url = f"/staff/performance/{SERVICE}/costs"
    for period, start, amount in (
        ("month", "2026-10-01", "100"),
        ("quarter", "2026-10-01", "920"),
        ("month", "2026-10-01", "200"),  # the correction
    ):
        client.post(url, {"channel": "paper", "period": period, "start": start, "amount": amount})
    october = Period.containing("month", date(2026, 10, 1))
    assert kpis.figures(SERVICE, october).kpis.costs["paper"] == Decimal("200.00")
