from porth.accounts.checks import staff_events_recorded
from porth.accounts.signals import staff_event
from porth.audit import receivers


def test_the_audit_log_records_staff_events() -> None:
    assert staff_events_recorded(None) == []


def test_a_server_without_the_audit_log_is_refused() -> None:
    # As if porth.audit were missing from INSTALLED_APPS: nobody listens.
    assert staff_event.disconnect(dispatch_uid="porth.audit.staff_event")
    try:
        errors = staff_events_recorded(None)
    finally:
        staff_event.connect(receivers.record_staff_event, dispatch_uid="porth.audit.staff_event")
    assert [error.id for error in errors] == ["accounts.E001"]
