"""porth.utils.sql.insert writes the row Model.save() would, for the models that use it."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.casework.models import Case, CaseEvent
from porth.submissions.models import Journey, Submission
from porth.utils import sql

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
