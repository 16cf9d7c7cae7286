"""The demo provider `porth run` starts: its own sign-in page end to end against Porth, and
the set-up that turns it on in development only."""

import json
import os
import re
import stat
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest

from porth import cli
from porth.signin import actions, demo, keys, oidc
from porth.signin.demo_provider import Provider

from .helpers import only_account, open_sessions, post_form

ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@pytest.fixture
def provider() -> Iterator[Provider]:
    """The demo's provider (its page of demo citizens), in place of the tests' usual one."""
    running = Provider(people=demo.PEOPLE).start()
    oidc.forget()
    yield running
    running.stop()
    oidc.forget()


def choose(browser: httpx.Client, page: httpx.Response, **form: str) -> httpx.Response:
    """Submit the demo provider's sign-in page as a citizen would."""
    action = unescape(ACTION.search(page.text).group(1))  # type: ignore[union-attr]
    return browser.post(str(page.url.join(action)), data=form)


@pytest.mark.django_db(transaction=True)
def test_signing_in_as_a_demo_citizen_and_out_again(
    porth: str, browser: httpx.Client, provider: Provider
) -> None:
    provider.client.backchannel_logout_uri = f"{porth}/sign-in/back-channel-logout"
    page = browser.get("/sign-in", params={"next": "/services/optional-service/your-name"})
    assert page.url.host == "127.0.0.1" and str(page.url).startswith(provider.issuer)
    assert "This is a demo" in page.text and "GOV.UK One Login" in page.text
    assert "Siân Evans" in page.text and "sam.taylor@example.com" in page.text

    nobody = choose(browser, page, **{"continue": ""})
    assert nobody.status_code == 400
    assert "Choose who to sign in as" in nobody.text

    back = choose(browser, page, person=demo.PEOPLE[1]["sub"])

    assert str(back.url).endswith("/services/optional-service/your-name")
    account = only_account()
    assert account.subject == demo.PEOPLE[1]["sub"]
    assert actions.contact(account) == {"email": "sam.taylor@example.com", "phone": "+447700900202"}
    assert browser.get("/your-applications").status_code == 200
    assert "Sign Sam Taylor out of every service" in httpx.get(provider.issuer, timeout=5).text

    # Signing out at Porth ends the provider's session too, which tells Porth (back-channel).
    signed_out = post_form(browser, "/services/optional-service/", {}, action="/sign-in/sign-out")
    assert "You have signed out" in signed_out.text
    assert [r.status_code for r in provider.logouts_sent] == [200]
    assert provider.sessions == {}


@pytest.mark.django_db(transaction=True)
def test_signing_out_of_every_service_at_the_demo_provider_signs_out_of_porth(
    porth: str, browser: httpx.Client, provider: Provider
) -> None:
    provider.client.backchannel_logout_uri = f"{porth}/sign-in/back-channel-logout"
    page = browser.get("/sign-in", params={"next": "/services/optional-service/your-name"})
    choose(browser, page, person=demo.PEOPLE[0]["sub"])
    assert len(open_sessions()) == 1

    done = httpx.post(
        f"{provider.issuer}/sign-out-everywhere",
        data={"person": demo.PEOPLE[0]["sub"]},
        follow_redirects=True,
        timeout=5,
    )

    assert "Signed out of every service" in done.text
    assert open_sessions() == []
    assert "You are signed in" not in browser.get("/services/optional-service/").text


@pytest.mark.django_db(transaction=True)
def test_cancelling_at_the_demo_provider(browser: httpx.Client, provider: Provider) -> None:
    page = browser.get("/sign-in", params={"next": "/services/optional-service/your-name"})
    cancelled = choose(browser, page, cancel="")
    assert "You have not signed in" in cancelled.text


@pytest.mark.parametrize(
    ("environ", "production", "expected"),
    [
        ({}, False, True),
        ({"PORTH_ENV": "dev"}, False, True),
        ({"PORTH_SIGNIN": "on"}, False, True),
        ({}, True, False),
        ({"PORTH_ENV": "production"}, False, False),
        ({"PORTH_SIGNIN_ISSUER": "https://oidc.integration.account.gov.uk"}, False, False),
        ({"PORTH_SIGNIN": "off"}, False, False),
    ],
)
def test_porth_run_starts_the_demo_provider_only_in_development_unless_configured(
    environ: dict[str, str], production: bool, expected: bool
) -> None:
    assert demo.wanted(environ, production=production) is expected


def test_the_demo_keys_are_made_once_and_kept_private(tmp_path: Path) -> None:
    first = demo.environment("http://127.0.0.1:8001", tmp_path)
    made = Path(first["PORTH_SIGNIN_KEYS"]).read_text()
    again = demo.environment("http://127.0.0.1:8001", tmp_path)

    assert Path(again["PORTH_SIGNIN_KEYS"]).read_text() == made
    assert stat.S_IMODE(os.stat(first["PORTH_SIGNIN_KEYS"]).st_mode) == 0o600
    assert json.loads(made)["keys"][0]["kty"] == "EC"
    assert keys._load(first["PORTH_SIGNIN_KEYS"])[0].alg == "ES256"
    assert first["PORTH_SIGNIN_ISSUER"] == "http://127.0.0.1:8001"
    assert first["PORTH_SIGNIN_CLIENT_ID"] == demo.CLIENT_ID


def test_porth_run_configures_demo_sign_in_in_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.PRODUCTION = False
    environ = {"PORTH_BASE_URL": "http://127.0.0.1:8000", "PORTH_DEMO_SIGNIN_PORT": "0"}
    monkeypatch.setattr(cli.os, "environ", environ)

    text, provider = cli._demo_signin(tmp_path)

    assert provider is not None
    try:
        assert environ["PORTH_SIGNIN_ISSUER"] == provider.issuer
        assert environ["PORTH_SIGNIN_CLIENT_ID"] == provider.client.client_id
        [registered] = provider.client.jwks["keys"]  # type: ignore[index]
        assert "d" not in registered  # the public part only
        assert registered["kid"] == keys._load(environ["PORTH_SIGNIN_KEYS"])[0].kid
        assert provider.client.backchannel_logout_uri.endswith("/sign-in/back-channel-logout")
        found = httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5)
        assert found.json()["issuer"] == provider.issuer
        assert "http://127.0.0.1:8000/your-applications" in text
    finally:
        provider.stop()


@pytest.mark.parametrize(
    ("environ", "production"),
    [
        ({"PORTH_BASE_URL": "https://porth.example"}, True),
        ({"PORTH_BASE_URL": "http://127.0.0.1:8000", "PORTH_SIGNIN_ISSUER": "https://x"}, False),
    ],
)
def test_porth_run_never_configures_demo_sign_in_in_production_or_over_the_users(
    environ: dict[str, str],
    production: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.PRODUCTION = production
    before = dict(environ)
    monkeypatch.setattr(cli.os, "environ", environ)

    assert cli._demo_signin(tmp_path) == ("", None)
    assert environ == before
    assert not (tmp_path / "demo-signin").exists()
