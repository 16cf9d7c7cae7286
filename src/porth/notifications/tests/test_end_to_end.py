"""The whole chain as a developer sees it with `make run`: a citizen's action, the message
written with it, delivered by the worker through the local outbox, read at /dev/outbox, and
its link taking the citizen where it says. Nothing stands in for templates, receivers,
delivery or the channel (tests run tasks where they are queued)."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.test import Client

from porth.services import registry

pytestmark = pytest.mark.django_db(transaction=True)  # messages are queued on commit

SLUG = "tell-us-a-thing"
BASE = f"/services/{SLUG}"


def _text(en: str, cy: str) -> dict[str, str]:
    return {"en": en, "cy": cy}


SERVICE = {
    "slug": SLUG,
    "name": _text("Tell us a thing", "Dywedwch beth wrthym"),
    "summary": _text("For tests", "Ar gyfer profion"),
    "organisation": {"id": "test-council", "name": _text("Test Council", "Cyngor Prawf")},
    "start": {"body": _text("Use this service.", "Defnyddiwch y gwasanaeth hwn.")},
    "pages": [
        {
            "id": "name",
            "fields": [{"id": "full_name", "type": "text", "label": _text("Name", "Enw")}],
        },
        {
            "id": "email",
            "fields": [{"id": "email", "type": "email", "label": _text("Email", "E-bost")}],
        },
    ],
    "declaration": {"body": _text("It is true.", "Mae'n wir.")},
    "confirmation": {"body": _text("Thank you.", "Diolch.")},
    "contact": {"email": "email"},
    "templates": {
        "confirmation": {
            "email": {
                "subject": _text("Application ((reference))", "Cais ((reference))"),
                "body": _text(
                    "Dear ((full_name)), we have it.", "Annwyl ((full_name)), mae gennym ni."
                ),
            }
        }
    },
    "notify": [{"when": "submitted", "template": "confirmation"}],
}


@pytest.fixture
def service(tmp_path: Any, settings: Any) -> Iterator[None]:
    settings.PORTH_SERVICES_DIR = tmp_path
    settings.PORTH_NOTIFICATION_CHANNEL = "outbox"
    settings.PORTH_BASE_URL = "https://council.example"
    (tmp_path / f"{SLUG}.yaml").write_text(yaml.safe_dump(SERVICE, allow_unicode=True))
    registry.reload()
    yield
    registry.reload()


def _outbox() -> str:
    return Client().get("/dev/outbox").content.decode()


def _send(citizen: Client) -> None:
    """From check answers, on through the declaration to the confirmation."""
    response = citizen.post(f"{BASE}/check-answers")
    while response.status_code == 303 and not response.headers["Location"].endswith(
        "/confirmation"
    ):
        response = citizen.post(response.headers["Location"])
    assert response.status_code == 303, response.content.decode()[:500]


def test_a_citizen_saves_gets_the_link_in_the_outbox_and_finishes_on_another_device(
    service: None,
) -> None:
    first = Client()
    first.get(f"{BASE}/name")
    response = first.post(f"{BASE}/name", {"full_name": "Jo Bloggs", "save-for-later": "1"})
    assert response.status_code == 303
    response = first.post(f"{BASE}/save-for-later", {"how": "email", "email": "jo@example.com"})
    assert response.status_code == 303

    outbox = _outbox()
    assert "jo@example.com" in outbox
    [link] = set(re.findall(r"https://council\.example(/resume/[A-Za-z0-9_-]+)", outbox))

    other = Client()  # another device
    response = other.post(link)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/email"
    other.post(f"{BASE}/email", {"email": "jo@example.com"})
    _send(other)
    assert "Dear Jo Bloggs, we have it." in _outbox()  # the name given before saving
    assert Client().post(link).status_code == 410  # used


def test_a_submission_is_confirmed_by_email_in_the_applicants_language(service: None) -> None:
    citizen = Client()
    citizen.get(f"{BASE}/name?lang=cy")
    citizen.post(f"{BASE}/name", {"full_name": "Siân Jones"})
    citizen.post(f"{BASE}/email", {"email": "sian@example.com"})
    _send(citizen)

    outbox = _outbox()
    assert "sian@example.com" in outbox
    assert "Annwyl Siân Jones, mae gennym ni." in outbox
    assert re.search(r"Cais [A-Z0-9-]+", outbox)
