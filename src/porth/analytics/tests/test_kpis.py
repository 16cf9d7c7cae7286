"""The KPIs and figures read from the rollups: costs, many services at once, trend lines,
casework, and how little a dashboard asks of the database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from porth.analytics import kpis, rollups
from porth.analytics.models import Cost, Event
from porth.analytics.periods import Period
from porth.casework.models import Status
from porth.casework.tests.helpers import make_case, organisation
from porth.services import registry

from .streams import SLUG, write_service

pytestmark = pytest.mark.django_db

JUNE = Period("month", date(2026, 6, 1))


@pytest.fixture(autouse=True)
def service(tmp_path: Path, settings: Any) -> Any:
    settings.PORTH_SERVICES_DIR = tmp_path
    write_service(tmp_path)  # costs: online 0.35, assisted 4.10, phone 6.20 a transaction
    yield
    registry.reload()


def submitted(day: int, channel: str, n: int = 1, *, service: str = SLUG, journey: int = 0) -> None:
    at = datetime(2026, 6, day, 10, tzinfo=UTC)
    for i in range(n):
        Event.objects.create(
            at=at, service=service, kind="submitted", journey=journey * 1000 + day * 100 + i,
            channel=channel, value=300,
        )  # fmt: skip


def test_the_four_kpis() -> None:
    submitted(3, "online", 6)
    submitted(4, "assisted", 1)
    submitted(5, "paper", 3)
    for journey in range(20):
        Event.objects.create(
            at=datetime(2026, 6, 2, 9, tzinfo=UTC), service=SLUG, kind="page_answered",
            journey=10_000 + journey, page="eligible", channel="online",
        )  # fmt: skip
    for rating in [5, 5, 4, 2]:
        Event.objects.create(
            at=datetime(2026, 6, 3, 9, tzinfo=UTC), service=SLUG, kind="rated", value=rating,
            channel="online",
        )  # fmt: skip
    rollups.roll_up()
    found = kpis.figures(SLUG, JUNE).kpis
    # The 10 submissions started journeys of their own (no earlier event), the 20 did not finish.
    assert (found.started, found.completed) == (30, 10)
    assert found.completion_rate.value == pytest.approx(1 / 3)
    assert found.transactions == {"online": 6, "assisted": 1, "phone": 0, "paper": 3}
    assert found.digital_take_up.value == pytest.approx(0.7)
    assert found.ratings == {1: 0, 2: 1, 3: 0, 4: 1, 5: 2}
    assert found.satisfied.value == pytest.approx(0.75)
    assert found.satisfaction_score == pytest.approx((4 - 1) / 4)
    # Paper has no cost per transaction in the definition: not known, so not counted.
    assert found.costs == {
        "online": Decimal("2.10"),
        "assisted": Decimal("4.10"),
        "phone": Decimal("0.00"),
    }
    assert found.total_cost == Decimal("6.20")
    assert found.cost_per_transaction == Decimal("0.62")


def test_an_entered_cost_is_spread_over_its_days_and_replaces_the_definitions() -> None:
    submitted(1, "paper", 2)
    submitted(20, "online", 4)
    # £300 of paper handling over 1-30 June: £10 a day. And online for two days of June.
    Cost.objects.create(service=SLUG, channel="paper", first_day=date(2026, 6, 1),
                        last_day=date(2026, 6, 30), amount=Decimal("300"))  # fmt: skip
    Cost.objects.create(service=SLUG, channel="online", first_day=date(2026, 5, 31),
                        last_day=date(2026, 6, 1), amount=Decimal("50"))  # fmt: skip
    rollups.roll_up()
    week = Period.containing("week", date(2026, 6, 1))  # 1-7 June
    costs = kpis.figures(SLUG, week).kpis.costs
    assert costs["paper"] == Decimal("70.00")
    assert costs["online"] == Decimal("25.00")  # half of the span is in this week
    month = kpis.figures(SLUG, JUNE).kpis
    # Online on 20 June is not covered by the span: 4 x £0.35 from the definition.
    assert month.costs["online"] == Decimal("26.40")
    assert month.total_cost == Decimal("326.40")  # paper £300 + online £25 + £1.40
    assert month.cost_per_transaction == Decimal("54.40")  # over 6 transactions


def test_a_cost_entered_again_for_the_same_days_replaces_the_first() -> None:
    for amount in ["100", "70"]:
        Cost.objects.create(service=SLUG, channel="phone", first_day=date(2026, 6, 1),
                            last_day=date(2026, 6, 30), amount=Decimal(amount))  # fmt: skip
    assert kpis.figures(SLUG, JUNE).kpis.costs["phone"] == Decimal("70.00")


def test_with_no_cost_known_there_is_no_cost_per_transaction(settings: Any) -> None:
    submitted(3, "paper", 2)
    rollups.roll_up()
    found = kpis.figures(SLUG, JUNE, channel="paper").kpis
    assert (found.costs, found.total_cost, found.cost_per_transaction) == ({}, None, None)


def test_the_overview_gives_each_services_kpis_in_a_few_queries(
    django_assert_max_num_queries: Any,
) -> None:
    submitted(3, "online", 2)
    submitted(4, "phone", 1, service="report-a-pothole", journey=1)
    rollups.roll_up()
    with django_assert_max_num_queries(3):
        found = kpis.overview([SLUG, "report-a-pothole", "never-used"], JUNE)
    assert found[SLUG] == kpis.figures(SLUG, JUNE).kpis
    assert found["report-a-pothole"].transactions["phone"] == 1
    assert found["never-used"].completed == 0
    assert found["never-used"].completion_rate.value is None


def test_a_trend_line_has_every_day_of_the_period() -> None:
    submitted(3, "online", 2)
    submitted(5, "phone", 1)
    rollups.roll_up()
    line = kpis.daily(SLUG, JUNE, "completed")
    assert len(line) == 30
    assert line[2] == (date(2026, 6, 3), 2)
    assert line[4] == (date(2026, 6, 5), 1)
    assert kpis.daily(SLUG, JUNE, "completed", channel="phone")[2] == (date(2026, 6, 3), 0)


def test_a_dashboard_is_a_handful_of_queries(django_assert_max_num_queries: Any) -> None:
    submitted(3, "online", 2)
    rollups.roll_up()
    quarter = Period.containing("quarter", date(2026, 6, 1))
    with django_assert_max_num_queries(4):
        kpis.figures(SLUG, quarter)


def test_casework_throughput_per_queue_with_cases_overdue_now() -> None:
    at = datetime(2026, 6, 3, 9, tzinfo=UTC)
    for queue in ["applications", "applications", "appeals"]:
        Event.objects.create(
            at=at, service=SLUG, kind="case_opened", detail=queue, channel="online"
        )
    Event.objects.create(at=at, service=SLUG, kind="case_decided", detail="applications",
                         field="approved", value=3 * 24 * 3600, channel="online")  # fmt: skip
    rollups.roll_up()
    org = organisation()
    yesterday = timezone.now() - timedelta(days=1)
    make_case(org, service=SLUG, due_at=yesterday)
    make_case(org, service=SLUG, due_at=yesterday, status=Status.APPROVED)  # decided: not overdue
    make_case(org, service=SLUG, due_at=timezone.now() + timedelta(days=1))
    found = {q.queue: q for q in kpis.figures(SLUG, JUNE).casework}
    assert (found["applications"].opened, found["applications"].decided) == (2, 1)
    assert found["applications"].overdue == 1
    median = found["applications"].median_to_decision
    assert median is not None and 3 * 24 * 3600 / 1.1 < median < 3 * 24 * 3600 * 1.1
    assert (found["appeals"].opened, found["appeals"].overdue) == (1, 0)


def test_the_overview_spreads_entered_costs_as_the_dashboard_does() -> None:
    submitted(3, "online", 2)
    submitted(20, "paper", 1)
    Cost.objects.create(service=SLUG, channel="online", first_day=date(2026, 6, 1),
                        last_day=date(2026, 6, 10), amount=Decimal("40"))  # fmt: skip
    rollups.roll_up()
    assert kpis.overview([SLUG], JUNE)[SLUG] == kpis.figures(SLUG, JUNE).kpis
