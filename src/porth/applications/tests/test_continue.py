"""Resume on any device: a journey started signed in is continued wherever the citizen signs
in again, with its answers; nobody else can open it."""

from typing import Any

import pytest
from django.test import Client
from markupsafe import Markup

from porth.submissions.models import Journey

from .. import sections
from ..reading import handle
from .helpers import BASE, answer, citizen, sign_in

pytestmark = pytest.mark.django_db


def _continue(client: Client, journey: Journey) -> Any:
    return client.post("/your-applications/continue", {"journey": handle(journey.pk)})


def test_a_journey_started_signed_in_continues_on_another_device(service: Any) -> None:
    account = citizen()
    laptop = sign_in(Client(), account)
    answer(laptop, "name", {"full_name": "Jo Bloggs"})
    journey = Journey.objects.get()
    assert journey.citizen == account

    phone = sign_in(Client(), account)
    assert "Test service" in phone.get("/your-applications").content.decode()
    response = _continue(phone, journey)

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/email"  # the first page not answered
    # The answers came with it.
    assert 'value="Jo Bloggs"' in phone.get(f"{BASE}/name").content.decode()
    answer(phone, "email", {"email": "jo@example.com"})
    assert phone.post(f"{BASE}/check-answers", {}).status_code == 303
    assert Journey.objects.get().submitted_at is not None


def test_another_citizen_cannot_continue_it(service: Any) -> None:
    owner = sign_in(Client(), citizen())
    answer(owner, "name", {"full_name": "Jo Bloggs"})
    journey = Journey.objects.get()

    stranger = sign_in(Client(), citizen())
    assert _continue(stranger, journey).status_code == 404
    assert "Jo Bloggs" not in stranger.get(f"{BASE}/name").content.decode()
    # Nor someone not signed in, who is sent to the page that says what this is.
    assert _continue(Client(), journey).status_code == 303
    # Nor a made-up name, or the journey's own id.
    assert stranger.post("/your-applications/continue", {"journey": "x"}).status_code == 404
    response = stranger.post("/your-applications/continue", {"journey": journey.pk})
    assert response.status_code == 404


def test_continuing_keeps_this_browsers_own_signed_in_journey(service: Any) -> None:
    account = citizen()
    first = sign_in(Client(), account)
    answer(first, "name", {"full_name": "First"})
    second = sign_in(Client(), account)
    answer(second, "name", {"full_name": "Second"})
    earlier = Journey.objects.get(pk=second.session["journeys"]["test-service"])
    started_first = Journey.objects.exclude(pk=earlier.pk).get()

    _continue(second, started_first)

    # The one this browser had is still the citizen's, listed, not deleted.
    assert Journey.objects.filter(pk=earlier.pk).exists()
    assert 'value="First"' in second.get(f"{BASE}/name").content.decode()


class _Consents:
    name = "test-consents"
    order = 100

    def on_list(self, request: Any, citizen: Any) -> Markup | None:
        return Markup("<h2>Your consents</h2>")

    def on_application(self, request: Any, citizen: Any, submission: Any) -> Markup | None:
        return Markup(f"<p>Consents for {submission.reference}</p>")


class _Broken(_Consents):
    name = "broken"

    def on_list(self, request: Any, citizen: Any) -> Markup | None:
        raise RuntimeError("a fault in another app")


def test_other_apps_add_parts_to_the_pages_and_a_faulty_one_is_left_out(service: Any) -> None:
    from .helpers import apply

    sections.register(_Consents())
    sections.register(_Broken())
    try:
        client = sign_in(Client(), citizen())
        reference = apply(client)
        page = client.get("/your-applications")
        assert page.status_code == 200
        assert "<h2>Your consents</h2>" in page.content.decode()
        detail = client.get(f"/your-applications/{reference}").content.decode()
        assert f"Consents for {reference}" in detail
    finally:
        sections.unregister("test-consents")
        sections.unregister("broken")


def test_a_part_without_the_shape_of_a_section_is_refused() -> None:
    with pytest.raises(TypeError):
        sections.register(object())  # type: ignore[arg-type]
