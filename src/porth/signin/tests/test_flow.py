"""Signing in and out end to end: Porth on a live server, the provider on loopback, and a
browser (httpx, no JavaScript) going between them."""

from typing import Any

import httpx
import pytest

from porth.audit.models import AuditEvent
from porth.signin import actions
from porth.signin.demo_provider import Provider
from porth.submissions.models import Journey

from .helpers import only_account, open_sessions, post_form, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_in_from_the_start_page_signs_the_citizen_in_as_one_login_would(
    browser: httpx.Client, provider: Provider
) -> None:
    start = browser.get("/services/optional-service/")
    assert "Sign in with GOV.UK One Login" in start.text
    assert "Continue without signing in" in start.text

    page = sign_in(browser)

    assert page.status_code == 200
    assert str(page.url).endswith("/services/optional-service/your-name")
    [asked] = provider.authorize_requests
    assert asked["vtr"] == '["Cl.Cm"]'
    assert asked["ui_locales"] == "en"
    assert asked["code_challenge_method"] == "S256"
    assert asked["scope"] == "openid email phone"
    assert asked["nonce"] and asked["state"]
    [assertion] = provider.client_assertions  # private_key_jwt, checked by the provider
    assert assertion["alg"] == "ES256"
    account = only_account()
    assert account.subject == provider.user["sub"]
    assert actions.contact(account) == {
        "email": "citizen@example.com",
        "phone": "+447700900123",
    }
    assert b"citizen@example.com" not in bytes(account.contact or b"")  # encrypted
    [session] = open_sessions()
    assert session.provider_sid == provider.sid
    assert AuditEvent.objects.filter(action="signin.signed_in").count() == 1
    assert "You are signed in" in browser.get("/services/optional-service/").text


def test_a_journey_started_before_signing_in_becomes_the_citizens(
    browser: httpx.Client, provider: Provider
) -> None:
    post_form(browser, "/services/optional-service/your-name", {"name": "Alys"})
    journey = Journey.objects.get()
    assert journey.citizen is None

    sign_in(browser, "/services/optional-service/your-town")

    journey.refresh_from_db()
    assert journey.citizen == only_account()
    # Nothing answered is lost: the town page follows the name already given.
    assert "Your town" in browser.get("/services/optional-service/your-town").text


def test_a_journey_started_while_signed_in_is_the_citizens(
    browser: httpx.Client, provider: Provider
) -> None:
    sign_in(browser)
    post_form(browser, "/services/optional-service/your-name", {"name": "Alys"})
    assert Journey.objects.get().citizen == only_account()


def test_continuing_without_signing_in_works_as_before(
    browser: httpx.Client, provider: Provider
) -> None:
    response = post_form(browser, "/services/optional-service/your-name", {"name": "Alys"})
    assert str(response.url).endswith("/your-town")
    assert Journey.objects.get().citizen is None
    assert not provider.authorize_requests


def test_a_service_that_requires_sign_in_asks_before_the_first_question(
    browser: httpx.Client, provider: Provider
) -> None:
    start = browser.get("/services/required-service/")
    assert "You need to sign in to use this service" in start.text
    assert "Continue without signing in" not in start.text

    page = browser.get("/services/required-service/your-name")

    assert len(provider.authorize_requests) == 1  # sent to sign in first, and back
    assert str(page.url).endswith("/services/required-service/your-name")
    post_form(browser, "/services/required-service/your-name", {"name": "Alys"})
    assert Journey.objects.get().citizen == only_account()


def test_welsh_pages_ask_the_provider_for_welsh(browser: httpx.Client, provider: Provider) -> None:
    start = browser.get("/services/optional-service/", params={"lang": "cy"})
    assert 'lang="cy"' in start.text
    sign_in(browser)
    assert provider.authorize_requests[-1]["ui_locales"] == "cy"


def test_signing_out_ends_the_session_here_and_at_the_provider(
    browser: httpx.Client, provider: Provider
) -> None:
    sign_in(browser)

    page = post_form(browser, "/services/optional-service/", {}, action="/sign-in/sign-out")

    assert page.status_code == 200
    assert str(page.url).split("?")[0].endswith("/sign-in/signed-out")
    assert "You have signed out" in page.text
    [ended] = provider.end_sessions
    assert ended["id_token_hint"]
    assert ended["state"]
    assert ended["post_logout_redirect_uri"].endswith("/sign-in/signed-out")
    assert open_sessions() == []
    assert "Sign in with GOV.UK One Login" in browser.get("/services/optional-service/").text
    assert AuditEvent.objects.filter(action="signin.signed_out").count() == 1


def test_an_rs256_provider_works_as_well(browser: httpx.Client, provider: Provider) -> None:
    provider.rotate("RS256")
    provider.retire_old_keys()
    sign_in(browser)
    assert only_account().subject == provider.user["sub"]


def test_when_the_provider_rotates_its_keys_porth_reads_them_again(
    browser: httpx.Client, provider: Provider
) -> None:
    sign_in(browser)  # Porth has read (and keeps) the provider's keys
    provider.rotate()
    provider.retire_old_keys()
    browser.cookies.clear()

    page = sign_in(browser)

    assert str(page.url).endswith("/your-name")
    assert len(open_sessions()) == 2


def test_porth_rotates_its_own_keys_the_newest_signs_and_all_are_published(
    browser: httpx.Client, provider: Provider, settings: Any
) -> None:
    from porth.signin import keys

    from .conftest import rp_keys

    old, new = keys.generate("EC"), keys.generate("RSA")
    settings.PORTH_SIGNIN_KEYS = rp_keys(new, old)
    published = browser.get("/sign-in/jwks.json").json()
    assert [k["kid"] for k in published["keys"]] == [new["kid"], old["kid"]]
    assert all("d" not in k for k in published["keys"])  # public parts only

    sign_in(browser)

    assert provider.client_assertions[-1]["kid"] == new["kid"]
    assert provider.client_assertions[-1]["alg"] == "RS256"
    assert len(open_sessions()) == 1
