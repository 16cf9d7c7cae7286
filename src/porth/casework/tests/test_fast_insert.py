"""porth.fastpath.sql.insert writes the row Model.save() would, for the models that use it."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.db.models.signals import post_save, pre_save
from django.test.utils import isolate_apps
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.casework.models import Case, CaseEvent
from porth.fastpath import sql
from porth.submissions.models import Journey, Submission

from .helpers import definition_version, make_case, organisation, staff

pytestmark = pytest.mark.django_db


def _row(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """Every column as the database gives it back (times to the minute: made moments apart)."""
    row = dict(model._default_manager.filter(pk=pk).values().get())
    row.pop("id")
    for name, value in row.items():
        if hasattr(value, "tzinfo"):
            assert abs(value - timezone.now()) < timedelta(minutes=1)
            row[name] = value.replace(second=0, microsecond=0)
    return row


def test_nobody_listens_for_the_models_it_writes() -> None:
    # It sends no save signals, so none may be expected.
    for model in (Journey, Submission, Case, CaseEvent, AuditEvent):
        assert not pre_save.has_listeners(model)
        assert not post_save.has_listeners(model)


def test_the_rows_are_those_save_would_write() -> None:
    org = organisation()
    case = make_case(org)
    person = staff()
    version = definition_version()

    def submission(reference: str) -> Submission:
        return Submission(
            reference=reference,
            service="test-service",
            definition=version,
            answers=b"\x00\x01secret",
            key_id="k1",
            language="cy",
            channel="phone",
            submitted_by=person,
        )

    def event(hash_: str) -> AuditEvent:
        return AuditEvent(
            at=timezone.now(),
            actor=person,
            actor_label="Staff",
            action="test.thing",
            organisation=org,
            object_type="case",
            object_id="1",
            reference="AB-1",
            ip="2001:db8::1",
            data={"é": [1, 2.5, None]},
            previous_hash="0" * 64,
            hash=hash_,
        )

    saved_journey = Journey(service="test-service", version="abc", state=b"\x01", key_id="k1")
    inserted_journey = Journey(service="test-service", version="abc", state=b"\x01", key_id="k1")
    saved_journey.save(force_insert=True)
    sql.insert(inserted_journey)
    assert not inserted_journey._state.adding
    assert _row(Journey, saved_journey.pk) == _row(Journey, inserted_journey.pk)

    saved, inserted = submission("AA-0001"), submission("AA-0002")
    saved.save()
    sql.insert(inserted)
    assert inserted.pk and not inserted._state.adding
    first, second = _row(Submission, saved.pk), _row(Submission, inserted.pk)
    assert first.pop("reference") != second.pop("reference")
    assert first == second

    saved_event, inserted_event = (
        CaseEvent(case=case, kind="opened", actor=person),
        CaseEvent(case=case, kind="opened", actor=person),
    )
    saved_event.save()
    sql.insert(inserted_event)
    one, two = _row(CaseEvent, saved_event.pk), _row(CaseEvent, inserted_event.pk)
    assert one == two

    audit_saved, audit_inserted = event("1" * 64), event("2" * 64)
    audit_saved.save()
    sql.insert(audit_inserted)
    one, two = _row(AuditEvent, audit_saved.pk), _row(AuditEvent, audit_inserted.pk)
    assert (one.pop("hash"), two.pop("hash")) == ("1" * 64, "2" * 64)
    assert one == two


def _submission(reference: str, journey: Journey | None) -> Submission:
    return Submission(
        reference=reference,
        journey=journey,
        service="test-service",
        definition=definition_version(),
        answers=b"\x00",
        key_id="k1",
        language="en",
    )


def test_a_taken_reference_is_skipped_but_any_other_clash_raises() -> None:
    journey = Journey(service="test-service", version="abc", state=b"\x01", key_id="k1")
    journey.save()
    first = _submission("AA-0001", journey)
    assert sql.insert(first, unless_taken="reference")

    clash = _submission("AA-0001", None)  # the same reference: skipped, no row written
    assert not sql.insert(clash, unless_taken="reference")
    assert clash._state.adding and Submission.objects.count() == 1

    second_for_the_journey = _submission("AA-0002", journey)  # one journey, one submission
    with pytest.raises(IntegrityError), transaction.atomic():
        sql.insert(second_for_the_journey, unless_taken="reference")
    assert Submission.objects.count() == 1


def test_only_a_unique_field_can_be_taken() -> None:
    with pytest.raises(ValueError, match=r"Submission\.service is not unique"):
        sql.insert(_submission("AA-0003", None), unless_taken="service")


@isolate_apps("porth.casework")
def test_a_model_with_a_database_default_is_written_by_save() -> None:
    class Defaulted(models.Model):
        made = models.DateTimeField(db_default=Now())

        def __str__(self) -> str:
            return "defaulted"

    assert sql._statement(Defaulted, None) is None  # save() writes what the database fills
