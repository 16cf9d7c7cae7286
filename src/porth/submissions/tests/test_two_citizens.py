"""Two citizens through the same pages, one after the other, in the same worker: whatever is
kept between requests (page shells, blank questions, summary rows, remembered journeys)
never shows one the other's answers, errors or reference."""

from typing import Any

import pytest
from django.test import Client

from porth.submissions.models import Submission

from . import test_journey
from .test_journey import BASE, CHECK, CONFIRMATION, _answer

serve, definition = test_journey.serve, test_journey.definition  # its test service's fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("definition")]

CITIZENS = {
    "alice": {"full_name": "Alice Aardvark", "others": "7", "email": "alice@example.org"},
    "bob": {"full_name": "Bob Bumblebee", "others": "3", "email": "bob@example.net"},
}
WRONG = {"alice": "alice-not-an-email", "bob": "bob-not-an-email"}  # shown back in the error


def _pages(client: Client, who: str) -> list[str]:
    """Every kind of page, as this citizen sees it: each question page before and after its
    answer, an error page, check your answers (both languages), and the confirmation."""
    answers, seen = CITIZENS[who], []
    for language in ("en", "cy"):
        catalogue = client.get(f"/?lang={language}")
        assert catalogue.status_code == 200
        seen.append(catalogue.content.decode())
        seen.append(client.get(f"{BASE}/").content.decode())
    client.get(f"{BASE}/?lang=en")
    for page, data in [
        ("name", {"full_name": answers["full_name"]}),
        ("alone", {"alone": "no"}),
        ("others", {"others": answers["others"]}),
        ("email", {"email": answers["email"]}),
    ]:
        seen.append(client.get(f"{BASE}/{page}").content.decode())
        if page == "email":
            seen.append(client.post(f"{BASE}/email", {"email": WRONG[who]}).content.decode())
        _answer(client, page, data)
        seen.append(client.get(f"{BASE}/{page}?change=1").content.decode())
    for language in ("cy", "en"):
        seen.append(client.get(f"{CHECK}?lang={language}").content.decode())
    response = client.post(CHECK)
    assert response.headers["Location"] == CONFIRMATION
    seen.append(client.get(CONFIRMATION).content.decode())
    return seen


def test_neither_citizen_sees_anything_of_the_others(settings: Any) -> None:
    alice, bob = Client(), Client()
    alice_pages = _pages(alice, "alice")
    alice_reference = Submission.objects.get().reference
    bob_pages = _pages(bob, "bob")
    bob_reference = Submission.objects.exclude(reference=alice_reference).get().reference

    for pages, own, other, other_reference in [
        (alice_pages, "alice", "bob", bob_reference),
        (bob_pages, "bob", "alice", alice_reference),
    ]:
        text = "\n".join(pages)
        for value in [*CITIZENS[own].values(), WRONG[own]]:
            assert value in text  # they did see their own
        for value in [CITIZENS[other]["full_name"], CITIZENS[other]["email"], WRONG[other]]:
            assert value not in text
        assert other_reference not in text
    assert alice_reference in alice_pages[-1] and bob_reference in bob_pages[-1]
