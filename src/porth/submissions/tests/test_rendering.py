"""The cached parts of question pages never carry one citizen's answers to another."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"}}
- id: colour
  fields:
    - id: colour
      type: radios
      label: {en: Pick a colour, cy: Dewiswch liw}
      options:
        - {value: red, label: {en: Red, cy: Coch}}
        - {value: blue, label: {en: Blue, cy: Glas}}
"""


def _csrf_value(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_a_page_shown_with_one_citizens_answer_is_blank_for_the_next(services_dir):
    services_dir(PAGES)
    first, second = Client(), Client()
    second.get("/services/test-service/name")  # the blank page is now remembered
    first.post("/services/test-service/name", {"full_name": "Gwen Secret"})
    first.post("/services/test-service/colour", {"colour": "blue"})

    again = first.get("/services/test-service/name").content.decode()
    assert 'value="Gwen Secret"' in again
    assert "checked" in first.get("/services/test-service/colour").content.decode()

    other = second.get("/services/test-service/name").content.decode()
    assert "Gwen Secret" not in other
    second.post("/services/test-service/name", {"full_name": "Someone Else"})
    assert "checked" not in second.get("/services/test-service/colour").content.decode()


def test_each_citizen_gets_their_own_csrf_token_and_back_link(services_dir):
    services_dir(PAGES)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get("/services/test-service/name").content.decode()
    page_two = second.get("/services/test-service/name").content.decode()
    token = _csrf_value(page_two)
    assert _csrf_value(page_one) != token
    assert 'href="/services/test-service/"' in page_two  # back to the start page

    sent = second.post(
        "/services/test-service/name", {"full_name": "Ann", "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 303
    colour = second.get("/services/test-service/colour").content.decode()
    assert 'href="/services/test-service/name"' in colour


def test_the_welsh_page_is_not_served_from_the_english_one(services_dir):
    services_dir(PAGES)
    client = Client()
    assert "What is your name?" in client.get("/services/test-service/name").content.decode()
    welsh = client.get("/services/test-service/name?lang=cy").content.decode()
    assert "Beth yw eich enw?" in welsh
    assert "What is your name?" not in welsh


def test_check_answers_rows_are_kept_without_anyones_answers(services_dir):
    from porth.submissions import rendering

    services_dir(PAGES)
    people = {"Gwen <b>Secret</b>": "blue", "Someone Else": "red"}
    for name, colour in people.items():
        citizen = Client()
        citizen.post("/services/test-service/name", {"full_name": name})
        citizen.post("/services/test-service/colour", {"colour": colour})
        html = citizen.get("/services/test-service/check-answers").content.decode()
        assert "Gwen &lt;b&gt;Secret&lt;/b&gt;" in html if name.startswith("Gwen") else name in html
        assert 'href="/services/test-service/name?change=1#full_name"' in html
    kept = "".join(before + after for before, after in rendering._rows.values())
    assert "Secret" not in kept and "Someone" not in kept and "Blue" not in kept
