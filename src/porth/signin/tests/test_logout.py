"""OIDC Back-Channel Logout: the provider ends a citizen's sessions at Porth."""

import time
from typing import Any

import httpx
import pytest

from porth.signin.demo_provider import Provider, new_key
from porth.signin.models import CitizenSession

from .helpers import open_sessions, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _two_browsers(porth: str, provider: Provider) -> tuple[httpx.Client, httpx.Client]:
    first = httpx.Client(base_url=porth, follow_redirects=True, timeout=10)
    sign_in(first)
    first_sid = provider.sid
    second = httpx.Client(base_url=porth, follow_redirects=True, timeout=10)
    sign_in(second)
    assert provider.sid != first_sid
    return first, second


def _signed_in(browser: httpx.Client) -> bool:
    return "You are signed in" in browser.get("/services/optional-service/").text


def test_a_logout_token_naming_a_session_ends_that_session_only(
    porth: str, provider: Provider
) -> None:
    first, second = _two_browsers(porth, provider)

    response = provider.send_logout(
        f"{porth}/sign-in/back-channel-logout", provider.logout_token(sid=provider.sid)
    )

    assert response.status_code == 200
    assert (
        response.headers["Cache-Control"].startswith("no-store")
        or "no-store" in response.headers["Cache-Control"]
    )
    assert _signed_in(first)
    assert not _signed_in(second)
    assert CitizenSession.objects.get(ended_at__isnull=False).ended_because == "provider logout"


def test_a_logout_token_naming_the_citizen_ends_all_their_sessions(
    porth: str, provider: Provider
) -> None:
    first, second = _two_browsers(porth, provider)
    token = provider.logout_token(sub=provider.user["sub"])
    assert provider.send_logout(f"{porth}/sign-in/back-channel-logout", token).status_code == 200
    assert not _signed_in(first) and not _signed_in(second)
    assert open_sessions() == []


def test_a_replayed_logout_token_is_refused(porth: str, provider: Provider) -> None:
    url = f"{porth}/sign-in/back-channel-logout"
    token = provider.logout_token(sub=provider.user["sub"])
    assert provider.send_logout(url, token).status_code == 200
    replayed = provider.send_logout(url, token)
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"nonce": "n"}, id="has a nonce"),
        pytest.param({"events": {"something-else": {}}}, id="not a logout event"),
        pytest.param({"aud": "another-client"}, id="another audience"),
        pytest.param({"iss": "http://evil.example"}, id="another issuer"),
        pytest.param({"iat": int(time.time()) - 3600, "exp": None}, id="too old"),
        pytest.param({"jti": None}, id="no jti"),
        pytest.param({"sub": None}, id="neither sub nor sid"),
    ],
)
def test_a_logout_token_that_fails_its_checks_is_refused(
    porth: str, provider: Provider, claims: dict[str, Any]
) -> None:
    browser = httpx.Client(base_url=porth, follow_redirects=True, timeout=10)
    sign_in(browser)
    token = provider.logout_token(**{"sub": provider.user["sub"], **claims})
    response = provider.send_logout(f"{porth}/sign-in/back-channel-logout", token)
    assert response.status_code == 400
    assert _signed_in(browser)


def test_a_logout_token_signed_with_a_key_the_provider_never_published(
    porth: str, provider: Provider
) -> None:
    browser = httpx.Client(base_url=porth, follow_redirects=True, timeout=10)
    sign_in(browser)
    provider.sign_with = new_key("ES256")
    token = provider.logout_token(sub=provider.user["sub"])
    assert provider.send_logout(f"{porth}/sign-in/back-channel-logout", token).status_code == 400
    assert _signed_in(browser)


def test_a_logout_token_after_the_provider_rotated_its_keys(porth: str, provider: Provider) -> None:
    browser = httpx.Client(base_url=porth, follow_redirects=True, timeout=10)
    sign_in(browser)
    provider.rotate("RS256")
    token = provider.logout_token(sub=provider.user["sub"])
    assert provider.send_logout(f"{porth}/sign-in/back-channel-logout", token).status_code == 200
    assert not _signed_in(browser)
