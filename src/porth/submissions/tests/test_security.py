"""What every response promises a browser: headers, CSRF, caching, and friendly error pages."""

import base64
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.serializers import JSONSerializer
from django.core import signing
from django.test import Client

pytestmark = pytest.mark.django_db

BASE = "/services/test-service"
PAGES = """
- id: name
  fields:
    - id: full_name
      type: text
      label: {en: Your name}
- id: story
  fields:
    - id: story
      type: textarea
      label: {en: Tell us more}
"""


@pytest.fixture
def service(services_dir: Callable[..., Any]) -> None:
    services_dir(PAGES)


def _csp(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


URLS = ["/", f"{BASE}/", f"{BASE}/name", "/services/no-such-service/"]


@pytest.mark.parametrize("url", URLS)
def test_csp_allows_the_govuk_inline_script_by_hash_and_nothing_inline(
    client: Client, service: None, url: str
) -> None:
    response = client.get(url)

    html = response.content.decode()
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(inline) == 1, "the GOV.UK template's one inline script"
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    csp = _csp(response)
    assert f"'sha256-{digest}'" in csp["script-src"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


def test_every_other_script_is_an_external_file(client: Client, service: None) -> None:
    html = client.get(f"{BASE}/name").content.decode()

    scripts = re.findall(r"<script([^>]*)>", html)

    assert all("src=" in attrs for attrs in scripts if attrs.strip())
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_every_response(client: Client, service: None, url: str) -> None:
    headers = client.get(url).headers

    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", [f"{BASE}/name", f"{BASE}/check-answers"])
def test_post_without_csrf_token_gets_friendly_403(service: None, url: str) -> None:
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(url, {"full_name": "Jo"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, we could not save that" in html
    assert "Go back, reload the page and try again" in html
    assert "Content-Security-Policy" in response.headers


def test_post_with_csrf_token_from_the_page_is_accepted(service: None) -> None:
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(f"{BASE}/name").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token

    response = browser.post(
        f"{BASE}/name", {"full_name": "Jo", "csrfmiddlewaretoken": token.group(1)}
    )

    assert response.status_code == 303


@pytest.mark.fast_path("csrf")
def test_later_pages_mask_the_token_afresh_without_resending_the_cookie(service: None) -> None:
    browser = Client(enforce_csrf_checks=True)
    assert "csrftoken" in browser.get(f"{BASE}/name").cookies  # the first page sets it
    tokens = []
    for _ in range(2):
        response = browser.get(f"{BASE}/name")
        assert "csrftoken" not in response.cookies  # not sent again with every page
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
        assert found
        tokens.append(found.group(1))
    assert tokens[0] != tokens[1]  # a new mask each time, so a compressed page never repeats it

    response = browser.post(f"{BASE}/name", {"full_name": "Jo", "csrfmiddlewaretoken": tokens[0]})

    assert response.status_code == 303


@pytest.mark.parametrize(
    "url",
    [
        "/services/no-such-service/",
        "/services/no-such-service/name",
        "/services/no-such-service/check-answers",
        "/services/no-such-service/confirmation",
        f"{BASE}/no-such-page",
        "/no/such/thing",
    ],
)
def test_unknown_service_or_page_is_the_404_page(client: Client, service: None, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "If you typed the web address, check it is correct." in html


def test_post_to_unknown_page_is_404_not_500(client: Client, service: None) -> None:
    assert client.post(f"{BASE}/no-such-page", {"x": "1"}).status_code == 404


@pytest.mark.parametrize("url", [f"{BASE}/name", f"{BASE}/check-answers", f"{BASE}/confirmation"])
def test_journey_pages_are_never_cached(client: Client, service: None, url: str) -> None:
    cache_control = client.get(url).headers["Cache-Control"]

    assert "no-store" in cache_control
    assert "no-cache" in cache_control
    assert "private" in cache_control


def test_journey_page_after_an_error_is_never_cached(client: Client, service: None) -> None:
    response = client.post(f"{BASE}/name", {"full_name": ""})

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_journey_pages_refuse_other_methods(client: Client, service: None, method: str) -> None:
    assert getattr(client, method)(f"{BASE}/name").status_code == 405


def _readme_cookies() -> set[str]:
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text()
    table = readme.split("## Cookies", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE))


def test_every_cookie_a_journey_sets_is_listed_hidden_from_scripts_and_secure(
    service: None, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # as in production
    browser = Client()
    responses = [
        browser.get(f"{BASE}/name?lang=cy"),
        browser.post(f"{BASE}/name", {"full_name": "Jo"}),
        browser.post(f"{BASE}/story", {"story": "A story"}),
        browser.post(f"{BASE}/check-answers"),
    ]

    cookies = {name: c for r in responses for name, c in r.cookies.items()}
    assert set(cookies) == {"porth_session", "csrftoken", "porth_lang", "porth_revision"}
    assert set(cookies) <= _readme_cookies()  # services' cookie pages are written from it
    for cookie in cookies.values():
        assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def test_journey_is_found_through_the_session_not_the_url(client: Client, service: None) -> None:
    response = client.post(f"{BASE}/name", {"full_name": "Jo Bloggs-Prydderch"})

    assert response.headers["Location"] == f"{BASE}/story"
    # The session holds only the journey's id: decode it (it is signed, not encrypted).
    session = signing.loads(
        client.cookies["porth_session"].value,
        salt="django.contrib.sessions.backends.signed_cookies",
        serializer=JSONSerializer,
    )
    assert "Prydderch" not in json.dumps(session)
    assert set(session["journeys"]) == {"test-service"}


def test_answers_are_escaped_on_check_answers(client: Client, service: None) -> None:
    client.post(f"{BASE}/name", {"full_name": '<script>alert("x")</script>'})
    client.post(f"{BASE}/story", {"story": "<b>bold</b>\r\n<img src=x onerror=alert(1)>"})

    html = client.get(f"{BASE}/check-answers").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>&lt;img" in html


def test_typed_value_is_escaped_when_the_page_is_shown_again(
    client: Client, services_dir: Callable[..., Any]
) -> None:
    services_dir("""
- id: email
  fields:
    - id: email
      type: email
      label: {en: Email}
""")

    html = client.post(f"{BASE}/email", {"email": '"><script>alert(1)</script>'}).content.decode()

    assert "<script>alert(1)" not in html
    assert "&#34;&gt;&lt;script&gt;" in html or "&quot;&gt;&lt;script&gt;" in html
