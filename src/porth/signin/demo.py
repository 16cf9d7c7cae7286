"""Sign-in for `porth run` (development only): the demo provider, and Porth configured for it.

A newcomer's machine has no OpenID provider, so `porth run` starts the demo one
(porth.signin.demo_provider) on 127.0.0.1, registers Porth with it and sets the
PORTH_SIGNIN_* environment that the server's worker processes read as they start. Never in
production, and never over a provider the user has configured themselves.

The keys (Porth's and the provider's) are made once into var/, and the demo citizens' subjects
are fixed, so their accounts, and "Your applications", survive a restart.
"""

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the provider module loads Flask: only when the demo runs
    from . import demo_provider

CLIENT_ID = "porth-demo"
PROVIDER_NAME = "GOV.UK One Login (demo)"
DEFAULT_PORT = 8001
PEOPLE = [
    {
        "sub": "urn:fdc:gov.uk:2022:demo-sian-evans",
        "name": "Siân Evans",
        "email": "sian.evans@example.com",
        "phone_number": "+447700900101",
    },
    {
        "sub": "urn:fdc:gov.uk:2022:demo-sam-taylor",
        "name": "Sam Taylor",
        "email": "sam.taylor@example.com",
        "phone_number": "+447700900202",
    },
]


def wanted(environ: Mapping[str, str], *, production: bool) -> bool:
    """Whether `porth run` starts the demo provider: in development, unless the user has
    configured a provider (PORTH_SIGNIN_ISSUER) or turned sign-in off (PORTH_SIGNIN=off)."""
    if production or environ.get("PORTH_ENV", "dev") == "production":
        return False
    if environ.get("PORTH_SIGNIN_ISSUER", "").strip():
        return False
    switch = environ.get("PORTH_SIGNIN")
    return switch is None or switch.lower() in {"1", "true", "yes", "on"}


def port(environ: Mapping[str, str]) -> int:
    """PORTH_DEMO_SIGNIN_PORT (8001 by default; 0 for any free port)."""
    return int(environ.get("PORTH_DEMO_SIGNIN_PORT", DEFAULT_PORT))


def _key_file(path: Path, kind: str = "EC") -> Path:
    """A JWKS of one private key at `path`, made the first time (readable only by its owner)."""
    from . import keys

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump({"keys": [keys.generate(kind)]}, file)
    return path


def porth_keys(var: Path) -> Path:
    return _key_file(var / "demo-signin" / "porth-keys.json")


def provider_keys(var: Path) -> Path:
    return _key_file(var / "demo-signin" / "provider-keys.json")


def environment(issuer: str, var: Path) -> dict[str, str]:
    """The PORTH_SIGNIN_* settings for Porth as the demo provider's client."""
    return {
        "PORTH_SIGNIN": "on",
        "PORTH_SIGNIN_ISSUER": issuer,
        "PORTH_SIGNIN_CLIENT_ID": CLIENT_ID,
        "PORTH_SIGNIN_KEYS": str(porth_keys(var)),
        "PORTH_SIGNIN_PROVIDER_NAME": PROVIDER_NAME,
    }


def start(var: Path, base_url: str, at_port: int) -> "demo_provider.Provider":
    """The demo provider, serving in a thread, with Porth (at `base_url`) as its client.
    Raises OSError if the port is taken."""
    from joserfc import jwk

    from . import demo_provider

    stored = json.loads(provider_keys(var).read_text())["keys"]
    loaded = [jwk.import_key(entry) for entry in stored]
    provider = demo_provider.Provider(
        client_id=CLIENT_ID,
        keys=[k for k in loaded if isinstance(k, jwk.ECKey | jwk.RSAKey)],
        people=PEOPLE,
    )
    base = base_url.rstrip("/")
    # Porth's public keys, registered rather than fetched (demo_provider.Client.jwks says why).
    private = json.loads(porth_keys(var).read_text())["keys"]
    provider.client.jwks = {"keys": [jwk.import_key(k).as_dict(private=False) for k in private]}
    provider.client.backchannel_logout_uri = f"{base}/sign-in/back-channel-logout"
    provider.client.redirect_prefix = f"{base}/sign-in/callback"
    return provider.start(at_port)


def instructions(base_url: str, issuer: str) -> str:
    """How to sign in as a demo citizen (printed beside the demo staff's)."""
    site = base_url.rstrip("/")
    names = " or ".join(f"{p['name']} ({p['email']})" for p in PEOPLE)
    return f"""
Citizen sign-in (demo provider standing in for GOV.UK One Login, at {issuer})
  Go to:       {site}/services/apply-for-a-blue-badge and choose "Sign in"
  Sign in as:  {names}; there is no password
  Then see:    {site}/your-applications
"""
