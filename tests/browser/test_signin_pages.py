"""Sign-in in a real browser: the start page's choice and the page when signing in fails,
with JavaScript off, in Welsh, and axe-core on each (JavaScript on).

The provider is the tests' OpenID provider on loopback (porth.signin.demo_provider)."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from porth.services import registry
from porth.signin import demo, keys, oidc
from porth.signin.demo_provider import Provider
from porth.signin.tests.conftest import SERVICE

pytest.importorskip("playwright.sync_api", reason="needs Playwright")

START = "/services/optional-service/"


@pytest.fixture
def provider(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Provider]:
    running = Provider().start()
    oidc.forget()
    settings.PORTH_SIGNIN = True
    settings.PORTH_SIGNIN_ISSUER = running.issuer
    settings.PORTH_SIGNIN_DISCOVERY_URL = f"{running.issuer}/.well-known/openid-configuration"
    settings.PORTH_SIGNIN_CLIENT_ID = running.client.client_id
    settings.PORTH_SIGNIN_KEYS = json.dumps({"keys": [keys.generate("EC")]})
    settings.PORTH_SIGNIN_PROVIDER_NAME = "GOV.UK One Login"
    running.client.jwks_uri = f"{live_server.url}/sign-in/jwks.json"
    settings.PORTH_SERVICES_DIR = tmp_path
    for slug, mode in [("optional-service", "optional"), ("required-service", "required")]:
        (tmp_path / f"{slug}.yaml").write_text(SERVICE.format(slug=slug, mode=mode))
    registry.reload()
    yield running
    running.stop()
    oidc.forget()
    settings.PORTH_SERVICES_DIR = Path(settings.PROJECT_DIR) / "services"
    registry.reload()


def test_the_start_page_offers_a_choice_in_welsh_without_javascript(
    page: Any, provider: Provider, words: Any
) -> None:
    page.goto(f"{START}?lang=cy")
    sign_in = page.get_by_role(
        "button", name=words("Sign in with %(provider)s", "cy") % {"provider": "GOV.UK One Login"}
    )
    assert sign_in.is_visible()
    page.get_by_role("button", name=words("Continue without signing in", "cy")).click()
    page.wait_for_url(re.compile(r"/services/optional-service/your-name$"))
    assert page.get_by_label("Eich enw").is_visible()


def test_cancelling_at_the_provider_leads_back_to_the_service_in_welsh(
    page: Any, provider: Provider, words: Any
) -> None:
    provider.deny = True
    page.goto(f"{START}?lang=cy")
    page.get_by_role("button", name=re.compile("Mewngofnodi gyda")).click()
    page.wait_for_url(re.compile(r"/sign-in/problem$"))
    assert page.get_by_role("heading", name=words("You have not signed in", "cy")).is_visible()
    page.get_by_role("button", name=words("Continue without signing in", "cy")).click()
    page.wait_for_url(re.compile(r"/services/optional-service/your-name$"))


def test_signing_in_in_a_browser(page: Any, provider: Provider) -> None:
    page.goto(START)
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    page.wait_for_url(re.compile(r"/services/optional-service/your-name$"))
    page.goto(START)
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_sign_in_pages_are_accessible(
    js_page: Any, audit: Any, provider: Provider, language: str
) -> None:
    js_page.goto(f"{START}?lang={language}")
    audit(f"start page with sign-in ({language})")
    js_page.goto(f"/services/required-service/?lang={language}")
    audit(f"start page, sign-in required ({language})")
    provider.deny = True
    js_page.goto("/sign-in?next=/services/optional-service/your-name")
    js_page.wait_for_url(re.compile(r"/sign-in/problem$"))
    audit(f"sign-in problem ({language})")
    provider.deny = False
    js_page.goto("/sign-in?next=/services/optional-service/")
    js_page.wait_for_url(re.compile(r"/services/optional-service/$"))
    audit(f"start page, signed in ({language})")
    # Signing out goes on to the provider, which the test server's CSP (made before the
    # provider started) does not list in form-action; the page it comes back to:
    js_page.goto("/sign-in/signed-out")
    audit(f"signed out ({language})")
    audit.assert_clean()


def test_signing_in_as_a_demo_citizen_without_javascript(page: Any, provider: Provider) -> None:
    provider.people = demo.PEOPLE  # the demo's page of citizens, as `porth run` starts it
    page.goto(START)
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    assert page.get_by_role("heading", name="Sign in as a demo citizen").is_visible()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("link", name="Choose who to sign in as").is_visible()
    page.get_by_label("Sam Taylor").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/services/optional-service/your-name$"))
    page.goto(START)
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_the_demo_providers_pages_are_accessible(
    js_page: Any, audit: Any, provider: Provider
) -> None:
    provider.people = demo.PEOPLE
    js_page.goto("/sign-in?next=/services/optional-service/")
    js_page.wait_for_url(re.compile(r"/authorize\?"))
    audit("demo provider: choose a citizen")
    js_page.get_by_role("button", name="Continue").click()
    audit("demo provider: nobody chosen")
    js_page.get_by_label("Siân Evans").check()
    js_page.get_by_role("button", name="Continue").click()
    js_page.wait_for_url(re.compile(r"/services/optional-service/$"))
    js_page.goto(provider.issuer)
    audit("demo provider: home, one citizen signed in")
    audit.assert_clean()
