from collections.abc import Iterator
from typing import Any

import pytest

from .fake_notify import FakeNotify


@pytest.fixture
def fake_notify(settings: Any) -> Iterator[FakeNotify]:
    """A local GOV.UK Notify, with Porth's settings pointing at it."""
    fake = FakeNotify()
    with fake.running():
        settings.PORTH_NOTIFY_API_KEY = fake.api_key
        settings.PORTH_NOTIFY_BASE_URL = fake.url
        settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = fake.email_template.id
        settings.PORTH_NOTIFY_SMS_TEMPLATE_ID = fake.sms_template.id
        yield fake
