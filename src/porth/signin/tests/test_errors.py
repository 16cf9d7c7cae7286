"""Each way signing in can fail ends on a plain page that offers to carry on without signing
in, and nothing already answered is lost."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from porth.audit.models import AuditEvent
from porth.signin.demo_provider import Provider, new_key
from porth.signin.models import CitizenAccount
from porth.submissions.models import Journey

from .helpers import post_form, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NEXT = "/services/optional-service/your-town"


def _answered(browser: httpx.Client) -> None:
    post_form(browser, "/services/optional-service/your-name", {"name": "Alys"})


def _assert_problem(page: httpx.Response, title: str, *, status: int) -> None:
    assert page.status_code == status
    assert str(page.url).endswith("/sign-in/problem")
    assert title in page.text
    assert "Nothing you have already answered has been lost" in page.text
    assert f'href="{NEXT}"' in page.text  # "Continue without signing in"
    assert CitizenAccount.objects.count() == 0
    assert AuditEvent.objects.filter(action="signin.failed").exists()


def _continue_without(browser: httpx.Client) -> None:
    page = browser.get(NEXT)
    assert "Your town" in page.text  # the name was kept: the journey goes on
    assert Journey.objects.get().citizen is None


def test_cancelling_at_the_provider(browser: httpx.Client, provider: Provider) -> None:
    _answered(browser)
    provider.deny = True
    page = sign_in(browser, NEXT)
    _assert_problem(page, "You have not signed in", status=200)
    _continue_without(browser)


def test_the_problem_page_is_in_welsh_too(browser: httpx.Client, provider: Provider) -> None:
    provider.deny = True
    sign_in(browser, NEXT)
    page = browser.get("/sign-in/problem", params={"lang": "cy"})
    assert 'lang="cy"' in page.text
    assert "Parhau heb fewngofnodi" in page.text


def test_a_state_that_does_not_match(browser: httpx.Client, provider: Provider) -> None:
    _answered(browser)
    browser.get("/sign-in", params={"next": NEXT}, follow_redirects=False)
    page = browser.get("/sign-in/callback", params={"state": "forged", "code": "x"})
    assert page.status_code == 400
    assert "We could not match this sign-in to this browser" in page.text
    _continue_without(browser)


def test_an_expired_code(browser: httpx.Client, provider: Provider) -> None:
    _answered(browser)
    provider.code_seconds = -1
    page = sign_in(browser, NEXT)
    _assert_problem(page, "did not finish in time", status=400)
    _continue_without(browser)


def test_a_code_used_twice(browser: httpx.Client, provider: Provider, porth: str) -> None:
    at_provider = browser.get("/sign-in", params={"next": NEXT}, follow_redirects=False)
    back = httpx.get(at_provider.headers["location"], follow_redirects=False)
    code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
    browser.get(back.headers["location"])  # signed in with it
    browser.cookies.clear()
    _answered(browser)
    # A second sign-in, answered with the first one's code (replayed).
    at_provider = browser.get("/sign-in", params={"next": NEXT}, follow_redirects=False)
    state = parse_qs(urlsplit(at_provider.headers["location"]).query)["state"][0]
    page = browser.get("/sign-in/callback", params={"state": state, "code": code})
    assert "did not finish in time" in page.text
    _continue_without(browser)


def test_the_provider_is_down(browser: httpx.Client, settings: Any) -> None:
    _answered(browser)
    settings.PORTH_SIGNIN_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    page = sign_in(browser, NEXT)
    _assert_problem(page, "signing in is not working at the moment", status=503)
    _continue_without(browser)


def test_the_provider_is_slow(browser: httpx.Client, provider: Provider, settings: Any) -> None:
    _answered(browser)
    settings.PORTH_SIGNIN_TIMEOUT = 0.3
    provider.token_delay = 1.0
    page = sign_in(browser, NEXT)
    _assert_problem(page, "signing in is not working at the moment", status=503)
    _continue_without(browser)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: setattr(p, "sign_with", new_key("ES256")), id="unknown key"),
        pytest.param(lambda p: p.id_token_claims.update(nonce="another"), id="nonce"),
        pytest.param(lambda p: p.id_token_claims.update(aud="someone-else"), id="audience"),
        pytest.param(lambda p: p.id_token_claims.update(iss="http://evil"), id="issuer"),
        pytest.param(lambda p: p.id_token_claims.update(exp=1), id="expired"),
        pytest.param(lambda p: p.userinfo_claims.update(sub="other"), id="userinfo sub"),
    ],
)
def test_an_id_token_that_fails_its_checks(
    browser: httpx.Client, provider: Provider, spoil: Any
) -> None:
    _answered(browser)
    spoil(provider)
    page = sign_in(browser, NEXT)
    _assert_problem(page, "there is a problem signing you in", status=502)
    _continue_without(browser)


def test_a_failed_sign_in_to_a_required_service_offers_to_try_again(
    browser: httpx.Client, provider: Provider
) -> None:
    provider.deny = True
    page = browser.get("/services/required-service/your-name")
    assert "You need to sign in to use this service" in page.text
    assert "Continue without signing in" not in page.text
    assert "Try signing in again" in page.text
