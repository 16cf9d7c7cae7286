"""A real provider on loopback, Porth configured for it, and services that offer sign-in."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from porth.services import registry
from porth.signin import keys, oidc
from porth.signin.demo_provider import Provider

SERVICE = """
slug: {slug}
name: {{en: Test service, cy: Gwasanaeth prawf}}
summary: {{en: For tests, cy: Ar gyfer profion}}
organisation: {{id: test-council, name: {{en: Test Council, cy: Cyngor Prawf}}}}
start: {{body: {{en: Use this service to test., cy: Defnyddiwch y gwasanaeth hwn i brofi.}}}}
sign_in: {mode}
declaration: {{body: {{en: It is true., cy: Mae'n wir.}}}}
confirmation: {{body: {{en: We will reply., cy: Byddwn yn ateb.}}}}
pages:
  - id: your-name
    fields:
      - {{id: name, type: text, label: {{en: Your name, cy: Eich enw}}}}
  - id: your-town
    fields:
      - {{id: town, type: text, label: {{en: Your town, cy: Eich tref}}}}
"""


@pytest.fixture
def signin_services(tmp_path: Path, settings: Any) -> Iterator[None]:
    """optional-service (sign_in: optional), required-service and off-service."""
    settings.PORTH_SERVICES_DIR = tmp_path
    for slug, mode in [
        ("optional-service", "optional"),
        ("required-service", "required"),
        ("off-service", "off"),
    ]:
        (tmp_path / f"{slug}.yaml").write_text(SERVICE.format(slug=slug, mode=mode))
    registry.reload()
    yield
    registry.reload()


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = Provider().start()
    oidc.forget()
    yield running
    running.stop()
    oidc.forget()


def rp_keys(*jwks: dict[str, Any]) -> str:
    return json.dumps({"keys": list(jwks)})


@pytest.fixture
def porth(live_server: Any, provider: Provider, settings: Any, signin_services: None) -> str:
    """Porth on loopback (a live server), configured for the provider; its address."""
    settings.PORTH_SIGNIN = True
    settings.PORTH_SIGNIN_ISSUER = provider.issuer
    settings.PORTH_SIGNIN_DISCOVERY_URL = f"{provider.issuer}/.well-known/openid-configuration"
    settings.PORTH_SIGNIN_CLIENT_ID = provider.client.client_id
    settings.PORTH_SIGNIN_KEYS = rp_keys(keys.generate("EC"))
    settings.PORTH_SIGNIN_PROVIDER_NAME = "GOV.UK One Login"
    settings.PORTH_SIGNIN_TIMEOUT = 2.0
    provider.client.jwks_uri = f"{live_server.url}/sign-in/jwks.json"
    return str(live_server.url)


@pytest.fixture
def browser(porth: str) -> Iterator[httpx.Client]:
    """A browser without JavaScript: follows redirects between Porth and the provider."""
    with httpx.Client(base_url=porth, follow_redirects=True, timeout=10) as client:
        yield client
