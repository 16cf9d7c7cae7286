"""The demo's catalogue (`porth run`): the example services' performance datasets and the
Example Council's own, made by its data publisher through the actions; made once."""

import csv
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from porth.analytics import demo as analytics_demo
from porth.audit.models import AuditEvent
from porth.opendata import demo
from porth.opendata.models import Dataset, Resource
from porth.services import registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _examples(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    registry.reload()


def test_the_demo_fills_the_catalogue_once(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", verbosity=0)
    analytics_demo.seed(journeys=60)
    call_command("opendata_demo")
    first = capsys.readouterr().out
    made = (Dataset.objects.count(), Resource.objects.count(), AuditEvent.objects.count())
    call_command("opendata_demo")
    assert capsys.readouterr().out == ""
    assert (Dataset.objects.count(), Resource.objects.count(), AuditEvent.objects.count()) == made

    performance = Dataset.objects.exclude(service="")
    assert set(performance.values_list("service", flat=True)) == set(registry.definitions())
    assert "created performance dataset apply-for-a-blue-badge-performance" in first
    for dataset in performance:
        assert dataset.resources.filter(generated__startswith="performance-").count() == 2

    council = Dataset.objects.filter(service="").order_by("name")
    assert [d.name for d in council] == [
        e.data["name"] for e in sorted(demo.EXAMPLES, key=lambda e: e.data["name"])
    ]
    for dataset in council:
        assert dataset.organisation.slug == "example-council"
        assert dataset.created_by is not None and dataset.created_by.username == "publisher"
        assert dataset.title_cy and dataset.notes_cy and dataset.spatial
        assert dataset.maintainer_email and dataset.tags.exists() and dataset.themes.exists()
        upload, link = dataset.resources.order_by("position")
        assert (upload.format, bool(upload.upload), upload.name_cy != "") == ("CSV", True, True)
        assert link.url.startswith("http") and not link.upload
        with upload.upload.open("rb") as handle:
            rows = list(csv.reader(io.StringIO(handle.read().decode())))
        assert len(rows) > 5 and len({len(row) for row in rows}) == 1
    entries = AuditEvent.objects.filter(action="opendata.dataset_created")
    assert entries.filter(actor__username="publisher").count() == len(demo.EXAMPLES)


def test_the_councils_waste_figures_are_plausible_and_the_same_in_every_demo() -> None:
    assert demo.waste() == demo.waste()
    rows = list(csv.DictReader(io.StringIO(demo.waste().decode())))
    assert (rows[0]["month"], rows[-1]["month"], len(rows)) == ("2024-04", "2026-03", 24)
    for row in rows:
        parts = ["recycled_tonnes", "composted_tonnes", "energy_recovery_tonnes", "landfill_tonnes"]
        assert sum(float(row[p]) for p in parts) == pytest.approx(
            float(row["collected_tonnes"]), abs=0.3
        )
        assert 0.55 < float(row["recycling_rate"]) < 0.8


def test_the_demo_needs_the_demo_staff_and_is_refused_in_production(settings: Any) -> None:
    with pytest.raises(CommandError, match="run porth demo first"):
        call_command("opendata_demo")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not in production"):
        call_command("opendata_demo")
