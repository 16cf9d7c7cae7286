"""The demo's performance data: recorded through the recorder, plausible, and made once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from porth.analytics import demo
from porth.analytics.models import Event
from porth.services import registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _examples() -> None:
    registry.reload()


def test_the_demo_records_journeys_for_every_example_service_once() -> None:
    now = timezone.now()
    recorded = demo.seed(journeys=40, now=now)
    assert set(recorded) == set(registry.definitions())
    assert Event.objects.count() == sum(recorded.values())
    assert demo.seed(journeys=40, now=now) == {}  # a second run adds nothing
    assert Event.objects.count() == sum(recorded.values())


def test_demo_journeys_look_like_real_ones() -> None:
    now = timezone.now()
    demo.seed(journeys=60, now=now)
    events = Event.objects.filter(service="apply-for-a-blue-badge")
    kinds = set(events.values_list("kind", flat=True))
    assert {
        "page_viewed",
        "page_answered",
        "validation_error",
        "submitted",
        "rated",
        "case_opened",
        "case_decided",
    } <= kinds
    assert events.filter(kind="submitted").count() < events.filter(kind="page_answered").count()
    assert not events.filter(at__gt=now).exists()
    assert events.filter(at__lt=now - timedelta(days=60)).exists()
    journey_events = events.exclude(kind__in=["case_opened", "case_decided"])
    assert not journey_events.filter(channel="").exists()
    assert set(events.values_list("channel", flat=True)) <= {"online", "assisted", "phone", "paper"}
    assert not events.filter(kind="submitted", value__isnull=True).exists()


def test_the_command_says_what_it_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("performance_demo")
    assert "demo performance events for apply-for-a-blue-badge" in capsys.readouterr().out


def test_after_the_demo_a_service_owner_sees_figures() -> None:
    from porth.accounts.models import Role
    from porth.accounts.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        signed_in_client,
    )

    demo.seed(journeys=100)
    start = (timezone.localdate() - timedelta(days=45)).isoformat()  # well inside the 100 days
    org = OrganisationFactory.create(slug="example-council", name="Example Council")
    owner = MembershipFactory.create(organisation=org, role=Role.SERVICE_OWNER).user
    client = signed_in_client(owner)
    page = client.get(f"/staff/performance/?period=quarter&start={start}").content.decode()
    assert "No data" not in page.split("table-services")[1].split("</table>")[0]
    response = client.get(
        f"/staff/performance/apply-for-a-blue-badge/figures.json?period=quarter&start={start}"
    )
    figures = response.json()["figures"]
    assert figures["kpis"]["completed"] > 0
    assert figures["funnel"] and figures["errors"] and sum(figures["by_hour"]) > 0
    assert figures["casework"][0]["decided"] > 0


def test_the_demo_shows_an_experiment_and_screened_comments() -> None:
    now = timezone.now()
    demo.seed(now=now)
    from porth.analytics.models import Feedback
    from porth.analytics.service import results

    definition = registry.get("apply-for-a-blue-badge")
    assert definition is not None
    (result,) = results(definition)
    assert result.a.journeys > 0 and result.b.journeys > 0
    comments = list(Feedback.objects.values_list("comment", flat=True))
    assert comments
    assert not any("07700" in c for c in comments)
    assert any("removed]" in c for c in comments)  # the number in a comment, screened
