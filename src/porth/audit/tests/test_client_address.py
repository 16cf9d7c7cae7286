"""The audit log records the citizen's address, not the load balancer's nor a made-up one."""

import pytest

from porth.audit.models import AuditEvent
from porth.audit.service import record


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "forwarded", "recorded"),
    [
        ("10.0.0.5", "192.0.2.1, 203.0.113.9", "203.0.113.9"),  # via the trusted balancer
        ("203.0.113.9", "192.0.2.1", "203.0.113.9"),  # a client naming another address
    ],
)
def test_the_audit_log_records_the_address_the_trusted_proxy_saw(
    rf, settings, remote: str, forwarded: str, recorded: str
) -> None:
    settings.PORTH_TRUSTED_PROXIES = ["10.0.0.5"]
    request = rf.get("/", REMOTE_ADDR=remote, headers={"X-Forwarded-For": forwarded})

    event = record("test.seen", request=request)

    assert AuditEvent.objects.get(pk=event.pk).ip == recorded
