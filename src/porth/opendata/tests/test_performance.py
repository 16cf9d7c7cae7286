"""Every live service's KPIs published as open data: the figures are porth.analytics', small
numbers are withheld, the data dictionary describes the CSV, and a refresh writes only what
changed (and audits only that)."""

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from porth.analytics import service as analytics
from porth.analytics.models import Event
from porth.analytics.tests.streams import SLUG, write_service
from porth.audit.models import AuditEvent
from porth.background.service import registered
from porth.opendata import links, performance
from porth.opendata.datasets import clean_dataset
from porth.opendata.models import Dataset, Resource, State
from porth.services import registry

from .factories import DatasetFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 14)  # July 2026 is the last month that has ended
MAY, JUNE, JULY = date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)
BIG = {"online": 40, "assisted": 12, "phone": 15, "paper": 11}
_journeys = itertools.count(1)


@pytest.fixture(autouse=True)
def service(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """The streams' test service (costs: online £0.35, assisted £4.10, phone £6.20 a
    transaction; none for paper), of the Test Council; uploads kept in a folder of the test's."""
    settings.PORTH_SERVICES_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    write_service(tmp_path)
    yield tmp_path
    registry.reload()


def month_of(
    month: date,
    transactions: dict[str, int],
    *,
    unfinished: int = 0,
    ratings: tuple[int, ...] = (),
) -> None:
    """Events of a month: `transactions` applications sent by channel (each a journey of its
    own), `unfinished` journeys started and not sent, and satisfaction `ratings`."""
    at = datetime(month.year, month.month, 3, 10, tzinfo=UTC)
    for channel, n in transactions.items():
        for i in range(n):
            Event.objects.create(
                at=at + timedelta(minutes=i), service=SLUG, kind="submitted",
                journey=next(_journeys), channel=channel, value=300,
            )  # fmt: skip
    for _ in range(unfinished):
        Event.objects.create(
            at=at, service=SLUG, kind="page_answered", journey=next(_journeys),
            page="eligible", channel="online",
        )  # fmt: skip
    for rating in ratings:
        Event.objects.create(
            at=at, service=SLUG, kind="rated", value=rating, channel="online"
        )  # fmt: skip
    analytics.roll_up()


def dataset() -> Dataset:
    return Dataset.objects.get(service=SLUG)


def files(found: Dataset) -> tuple[Resource, Resource]:
    return (
        found.resources.get(generated=performance.CSV_KEY),
        found.resources.get(generated=performance.CSVW_KEY),
    )


def rows(resource: Resource) -> list[dict[str, str]]:
    with resource.upload.open("rb") as handle:
        text = handle.read().decode()
    return list(csv.DictReader(io.StringIO(text)))


def share(ratio: analytics.Ratio) -> str:
    value = Decimal(str(ratio.numerator)) / Decimal(str(ratio.denominator))
    return str(value.quantize(Decimal("0.0001")))


def test_a_live_service_gets_a_dataset_of_its_organisation_described_in_english_and_welsh() -> None:
    month_of(MAY, BIG)
    month_of(JUNE, BIG)
    [outcome] = performance.publish(today=TODAY)
    assert (outcome.action, outcome.dataset) == ("created", f"{SLUG}-performance")
    found = dataset()
    assert found.organisation.slug == "test-council"
    assert found.title == "Test service: service performance"
    assert found.title_cy == "Gwasanaeth prawf: perfformiad y gwasanaeth"
    assert (found.license_id, found.frequency) == ("OGL-UK-3.0", "MONTHLY")
    assert list(found.themes.values_list("name", flat=True)) == ["digital-service-performance"]
    assert "user satisfaction" in set(found.tags.values_list("name", flat=True))
    # From the first to the last month with figures (July has none).
    assert (found.temporal_start, found.temporal_end) == (MAY, date(2026, 6, 30))
    assert found.url == links.absolute(reverse("start", kwargs={"slug": SLUG}))
    assert found.state == State.ACTIVE and not found.private and found.created_by is None
    for notes in (found.notes, found.notes_cy):
        assert "[c]" in notes and "10" in notes and "`digital_take_up`" in notes
    assert "Small numbers are withheld" in found.notes
    assert "Caiff niferoedd bach eu dal yn ôl" in found.notes_cy
    table, dictionary = files(found)
    assert (table.format, table.mimetype, table.name_cy) == (
        "CSV",
        "text/csv",
        "Perfformiad fesul mis",
    )
    assert str(table.upload.name).endswith(f"/{SLUG}-performance.csv")
    assert str(dictionary.upload.name).endswith(f"/{SLUG}-performance.csv-metadata.json")
    assert dictionary.mimetype == "application/csvm+json"
    assert table.hash.startswith("sha256:") and table.size == table.upload.size
    entry = AuditEvent.objects.get(action="opendata.dataset_created")
    assert entry.actor_id is None and entry.organisation_id == found.organisation_id
    assert entry.data["by"] == performance.BY and entry.data["service"] == SLUG


def test_the_figures_are_those_of_porth_analytics_for_the_same_months() -> None:
    month_of(MAY, BIG, unfinished=20, ratings=(5,) * 9 + (4,) * 3 + (2,) * 4 + (1,))
    month_of(JUNE, {"online": 55, "assisted": 21, "phone": 30, "paper": 14}, unfinished=7,
             ratings=(5, 4, 3) * 6)  # fmt: skip
    performance.publish(today=TODAY)
    found = rows(files(dataset())[0])
    assert [row["month"] for row in found] == ["2026-05", "2026-06"]
    for row, month in zip(found, [MAY, JUNE], strict=True):
        kpis = analytics.figures(SLUG, analytics.Period("month", month)).kpis
        for channel in ("online", "assisted", "phone", "paper"):
            assert row[f"transactions_{channel}"] == str(kpis.transactions[channel])
        assert row["transactions_total"] == str(kpis.completed)
        assert row["completion_rate"] == share(kpis.completion_rate)
        assert row["digital_take_up"] == share(kpis.digital_take_up)
        assert row["user_satisfaction"] == share(kpis.satisfied)
        assert row["satisfaction_responses"] == str(kpis.satisfied.denominator)
        assert row["cost_per_transaction"] == str(kpis.cost_per_transaction)
    assert found[0]["completion_rate"] == "0.7959"  # 78 sent of 98 started
    assert found[0]["cost_per_transaction"] == "2.00"  # (40 x 0.35 + 12 x 4.10 + 15 x 6.20) / 78
    assert found[0]["user_satisfaction"] == "0.7059"  # 12 of 17 satisfied or very


def test_a_count_of_9_is_withheld_and_of_10_published() -> None:
    month_of(MAY, {"online": 9, "assisted": 10, "phone": 10, "paper": 10})
    month_of(JUNE, {"online": 10, "assisted": 10, "phone": 10, "paper": 10})
    performance.publish(today=TODAY)
    may, june = rows(files(dataset())[0])
    # 9 online is withheld; alone it could be worked out from the total (39), so the
    # smallest other channel is withheld too.
    assert [may[f"transactions_{ch}"] for ch in ("online", "assisted", "phone", "paper")] == [
        "[c]",
        "[c]",
        "10",
        "10",
    ]
    assert may["transactions_total"] == "39"
    # Take-up gives online + assisted (19), which the total less phone and paper gives
    # already; cost per transaction would give the two apart (they cost different amounts).
    assert (may["digital_take_up"], may["cost_per_transaction"]) == ("0.4872", "[c]")
    assert may["completion_rate"] == "1.0000"
    assert all(june[f"transactions_{ch}"] == "10" for ch in ("online", "assisted", "phone"))
    assert (june["transactions_total"], june["digital_take_up"]) == ("40", "0.5000")
    assert june["cost_per_transaction"] == "2.66"  # (3.50 + 41.00 + 62.00) / 40, to the penny
    # No one rated either month: under 10 responses, so no satisfaction.
    assert (june["satisfaction_responses"], june["user_satisfaction"]) == ("[c]", "[c]")


def test_the_data_dictionary_describes_each_column_of_the_csv_as_csvw() -> None:
    month_of(MAY, BIG, ratings=(5,) * 12)
    month_of(JULY, {"online": 3})  # June has no figures at all: a row of withheld zeros
    performance.publish(today=TODAY)
    found = dataset()
    table, dictionary = files(found)
    with dictionary.upload.open("rb") as handle:
        metadata = json.loads(handle.read())
    with table.upload.open("rb") as handle:
        header, *body = list(csv.reader(io.StringIO(handle.read().decode())))
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    # The metadata names its CSV by the CSV's permanent download address.
    assert metadata["url"] == links.absolute(links.download_path(table, found))
    columns = metadata["tableSchema"]["columns"]
    assert [column["name"] for column in columns] == header
    assert [column["titles"]["und"] for column in columns] == header  # as CSVW validates
    assert metadata["tableSchema"]["null"] == ["[c]", "[x]"]
    assert metadata["tableSchema"]["primaryKey"] == "month"
    for column in columns:
        assert column["titles"]["en"] and column["titles"]["cy"]
        languages = {text["@language"] for text in column["dc:description"]}
        assert languages == {"en", "cy"}
    rules = " ".join(text["@value"] for text in metadata["dc:description"])
    assert "under 10" in rules and "o dan 10" in rules and "[c]" in rules
    assert [row[0] for row in body] == ["2026-05", "2026-06", "2026-07"]
    for row in body:
        assert len(row) == len(columns)
        for value, column in zip(row, columns, strict=True):
            if value not in metadata["tableSchema"]["null"]:
                assert _conforms(value, column["datatype"]), (column["name"], value)
    assert body[1][1:6] == ["[c]"] * 5


def _conforms(value: str, datatype: str | dict[str, Any]) -> bool:
    """A cell against its CSVW datatype (the ones csvw.py uses)."""
    spec: dict[str, Any] = datatype if isinstance(datatype, dict) else {"base": datatype}
    base = spec["base"]
    if base == "gYearMonth":
        return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) is not None
    if base == "nonNegativeInteger":
        return value.isdigit()
    number = Decimal(value)
    low, high = spec.get("minInclusive"), spec.get("maxInclusive")
    return (low is None or number >= low) and (high is None or number <= high)


def test_a_second_run_with_nothing_new_changes_nothing(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    found = dataset()
    before = (found.modified, [(r.upload.name, r.last_modified) for r in found.resources.all()])
    entries = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        [outcome] = performance.publish(today=TODAY)
    assert outcome.action == "unchanged"
    found = dataset()
    after = (found.modified, [(r.upload.name, r.last_modified) for r in found.resources.all()])
    assert after == before
    assert AuditEvent.objects.count() == entries


def test_a_changed_month_replaces_the_csv_and_nothing_else(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    table, dictionary = files(dataset())
    old_name, modified = str(table.upload.name), dataset().modified
    month_of(MAY, {"online": 5})  # late figures for May
    with django_capture_on_commit_callbacks(execute=True):
        [outcome] = performance.publish(today=TODAY)
    assert (outcome.action, outcome.changed) == ("updated", [performance.CSV_KEY])
    new_table, new_dictionary = files(dataset())
    assert rows(new_table)[0]["transactions_online"] == "45"
    assert new_table.upload.name != old_name
    assert not table.upload.storage.exists(old_name)  # the old file went once it committed
    assert str(new_table.upload.name).endswith(f"/{SLUG}-performance.csv")  # same download name
    assert new_dictionary.upload.name == dictionary.upload.name  # same columns, same CSV
    assert dataset().modified > modified
    entry = AuditEvent.objects.filter(action="opendata.dataset_updated").get()
    assert entry.actor_id is None and entry.data["files"] == [performance.CSV_KEY]


def test_a_field_changed_by_hand_is_put_back_but_visibility_and_contact_are_kept() -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    Dataset.objects.filter(service=SLUG).update(
        title="Renamed", private=True, maintainer_email="team@example.gov.uk"
    )
    [outcome] = performance.publish(today=TODAY)
    assert (outcome.action, outcome.changed) == ("updated", ["title"])
    found = dataset()
    assert (found.title, found.private, found.maintainer_email) == (
        "Test service: service performance",
        True,
        "team@example.gov.uk",
    )


def test_the_dataset_passes_the_catalogues_own_rules() -> None:
    """So that a publisher can change it through the API or the staff pages."""
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    found = dataset()
    fields = ["name", "title", "title_cy", "notes", "notes_cy", "license_id", "frequency",
              "temporal_start", "temporal_end", "url"]  # fmt: skip
    data = {key: getattr(found, key) for key in fields}
    data["owner_org"] = found.organisation.slug
    data["tags"] = [{"name": name} for name in found.tags.values_list("name", flat=True)]
    data["groups"] = [{"name": "digital-service-performance"}]
    clean = clean_dataset(data, existing=found)
    assert clean["title"] == found.title


def test_a_service_with_no_whole_month_of_figures_has_no_dataset_yet() -> None:
    month_of(date(2026, 8, 1), BIG)  # this month, not over
    assert performance.publish(today=TODAY) == []
    assert not Dataset.objects.exists()


def test_a_name_taken_by_a_publisher_is_not_taken_over() -> None:
    theirs = DatasetFactory.create(name=f"{SLUG}-performance")
    month_of(MAY, BIG)
    [outcome] = performance.publish(today=TODAY)
    assert outcome.dataset == f"{SLUG}-performance-2"
    theirs.refresh_from_db()
    assert theirs.service == "" and not theirs.resources.exists()


def test_a_dataset_whose_service_is_no_longer_live_is_kept_and_says_so(service: Path) -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    table = files(dataset())[0]
    (service / f"{SLUG}.yaml").unlink()
    registry.reload()
    [outcome] = performance.publish(today=date(2026, 10, 2))
    assert outcome.action == "ended"
    found = dataset()
    assert found.notes.startswith("**This service no longer runs on Porth.**")
    assert found.notes_cy.startswith("**Nid yw'r gwasanaeth hwn yn rhedeg ar Porth mwyach.**")
    assert (found.frequency, found.url, found.state) == ("NEVER", "", State.ACTIVE)
    assert files(found)[0].upload.name == table.upload.name  # the figures as they were
    entries = AuditEvent.objects.count()
    assert performance.publish(today=date(2026, 10, 2)) == []  # said once
    assert AuditEvent.objects.count() == entries


def test_a_performance_dataset_a_publisher_deleted_stays_deleted() -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    Dataset.objects.filter(service=SLUG).update(state=State.DELETED)
    month_of(JUNE, BIG)
    [outcome] = performance.publish(today=TODAY)
    assert outcome.action == "skipped"
    assert dataset().temporal_end == date(2026, 5, 31)


def test_the_refresh_runs_every_refresh_hours_and_from_a_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scheduled = registered()["opendata.publish_performance"]
    assert scheduled.every == timedelta(hours=24)
    month_of(date(2026, 1, 1), BIG)  # a month that has ended, whatever today is
    result = scheduled.task.enqueue()  # tests run tasks at once
    assert result.return_value == {"created": 1}
    call_command("opendata_publish")
    assert f"unchanged: {SLUG}-performance" in capsys.readouterr().out


def test_bad_settings_are_caught_by_a_system_check(settings: Any) -> None:
    from django.core import checks

    settings.PORTH_OPENDATA_REFRESH_HOURS = 0
    settings.PORTH_OPENDATA_SUPPRESS_BELOW = 0.5
    ids = {message.id for message in checks.run_checks()}
    assert {"porth.opendata.E001", "porth.opendata.E002"} <= ids


def test_a_lost_file_is_made_again() -> None:
    month_of(MAY, BIG)
    performance.publish(today=TODAY)
    table = files(dataset())[0]
    table.upload.storage.delete(str(table.upload.name))
    [outcome] = performance.publish(today=TODAY)
    assert outcome.changed == [performance.CSV_KEY]
    assert rows(files(dataset())[0])[0]["transactions_online"] == "40"
