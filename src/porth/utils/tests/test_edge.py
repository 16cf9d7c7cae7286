"""What the edge refuses before any view sees it, and the pages it answers with: control
characters in the address, NUL in a form, bodies too big and forms with too many fields."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _page(response: object, status: int) -> str:
    assert response.status_code == status  # type: ignore[attr-defined]
    html = " ".join(response.content.decode().split())  # type: ignore[attr-defined]
    assert 'class="govuk-heading-l"' in html, "a GOV.UK page, not Django's bare one"
    return html


@pytest.mark.parametrize(
    "url",
    [
        "/services/apply-for-a-blue-badge/where%00-do-you-live",
        "/services/apply-for-a-blue-badge/%1b",
        "/?q=%00",
        "/?q=caf%C3%A9%00",
        "/?q=%1b%5b31m",
        "/?q=a%0Ab",
        "/?q=%C2%85",  # NEL, a C1 control character, as UTF-8
        "/?%00=a",
        "/?q=%7f",
    ],
)
def test_control_characters_in_the_address_are_a_bad_request(client: Client, url: str) -> None:
    html = _page(client.get(url), 400)

    assert "there is a problem with the web address" in html


def test_the_bad_request_page_is_in_welsh_for_a_welsh_reader(client: Client) -> None:
    client.get("/?lang=cy")

    html = _page(client.get("/?q=%00"), 400)

    assert 'lang="cy"' in html


@pytest.mark.parametrize("url", ["/?q=caf%C3%A9", "/?q=a+b", "/?q=%2500", "/?q=%E2%80%8B"])
def test_ordinary_addresses_are_served(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


def test_nul_in_a_posted_form_is_a_bad_request(client: Client) -> None:
    response = client.post(
        "/services/apply-for-a-blue-badge/where-do-you-live", {"council_area": "here\x00"}
    )

    _page(response, 400)


def test_a_body_over_the_limit_gets_a_page_saying_it_was_too_big(client: Client) -> None:
    too_big = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = client.post(
        "/services/apply-for-a-blue-badge/where-do-you-live", {"council_area": too_big}
    )

    assert "too much" in _page(response, 413)


def test_a_textareas_longest_answer_in_four_byte_characters_is_read(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    # Each emoji is 4 bytes of UTF-8, each byte percent-encoded: 12 bytes a character.
    services_dir("""
    - id: story
      fields: [{id: story, type: textarea, label: {en: Tell us}}]
    """)

    response = client.post("/services/test-service/story", {"story": "\U0001f600" * 10_000})

    assert response.status_code == 303


def test_too_many_fields_is_a_bad_request(client: Client) -> None:
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/services/apply-for-a-blue-badge/where-do-you-live", fields)

    _page(response, 400)
