"""OpenID Connect, as the relying party: discovery, the provider's keys, tokens, userinfo.

Plain functions over httpx (always with PORTH_SIGNIN_TIMEOUT) and joserfc; no views, no
database. Every way the provider can fail raises `Failed` with a short reason that the views
turn into a page in plain English (`problems.py`) and the audit log records.
"""

import base64
import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from joserfc import jwk, jws, jwt
from joserfc.errors import JoseError

from . import keys

ALGORITHMS = ["ES256", "RS256"]
LEEWAY = 60  # seconds of clock skew allowed between Porth and the provider
METADATA_SECONDS = 3600  # discovery and the provider's keys are read again after this
ASSERTION_SECONDS = 60  # a client assertion is good for a minute: it is used at once
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class Failed(Exception):
    """The provider could not be used, or what it sent cannot be trusted.

    `reason`: "unavailable" (down, slow, or an answer that is not what OIDC says),
    "rejected" (the token endpoint refused the code: expired or used), "invalid" (a token
    that fails its checks)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Flow:
    """What an authorization request leaves in the session, to check the callback against."""

    state: str
    nonce: str
    verifier: str


def new_flow() -> Flow:
    return Flow(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),  # 86 characters: within PKCE's 43 to 128
    )


def challenge(verifier: str) -> str:
    """PKCE S256: the base64url SHA-256 of the verifier, without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _client() -> httpx.Client:
    return httpx.Client(timeout=settings.PORTH_SIGNIN_TIMEOUT, follow_redirects=False)


def _get_json(url: str, **kwargs: Any) -> Any:
    try:
        with _client() as client:
            response = client.get(url, **kwargs)
    except httpx.HTTPError as error:
        raise Failed("unavailable", f"GET {url}: {type(error).__name__}") from None
    if response.status_code != 200:
        raise Failed("unavailable", f"GET {url}: HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise Failed("unavailable", f"GET {url}: not JSON") from None


# --- Discovery and the provider's keys, cached per process --------------------------------

_lock = threading.Lock()
_metadata: dict[str, tuple[float, dict[str, Any]]] = {}  # discovery URL -> (read at, document)
_jwks: dict[str, tuple[float, jwk.KeySet]] = {}  # jwks_uri -> (read at, keys)


def metadata() -> dict[str, Any]:
    """The provider's discovery document (read at most once an hour per process)."""
    url = settings.PORTH_SIGNIN_DISCOVERY_URL
    with _lock:
        found = _metadata.get(url)
    if found is not None and time.monotonic() - found[0] < METADATA_SECONDS:
        return found[1]
    document = _get_json(url)
    if not isinstance(document, dict):
        raise Failed("unavailable", "discovery document is not an object")
    for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(name), str):
            raise Failed("unavailable", f"discovery document has no {name}")
    if document["issuer"].rstrip("/") != settings.PORTH_SIGNIN_ISSUER:
        raise Failed("invalid", f"discovery names issuer {document['issuer']!r}")
    with _lock:
        _metadata[url] = (time.monotonic(), document)
    return document


def _provider_keys(*, refresh: bool = False) -> jwk.KeySet:
    url = metadata()["jwks_uri"]
    with _lock:
        found = _jwks.get(url)
    if not refresh and found is not None and time.monotonic() - found[0] < METADATA_SECONDS:
        return found[1]
    document = _get_json(url)
    try:
        key_set = jwk.KeySet.import_key_set(document)
    except (JoseError, ValueError, TypeError, KeyError):
        raise Failed("unavailable", "the provider's JWKS cannot be read") from None
    with _lock:
        _jwks[url] = (time.monotonic(), key_set)
    return key_set


def forget() -> None:
    """Drop what was read from the provider (tests; a changed configuration)."""
    with _lock:
        _metadata.clear()
        _jwks.clear()


def _has_kid(key_set: jwk.KeySet, kid: str | None) -> bool:
    return kid is None or any(key.kid == kid for key in key_set.keys)


def verify_jwt(token: str) -> jwt.Token:
    """Check a token's signature against the provider's published keys. A kid not in the
    cached set makes Porth read the set again, once: the provider has rotated its keys."""
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError):
        raise Failed("invalid", "not a signed JWT") from None
    if header.get("alg") not in ALGORITHMS:
        raise Failed("invalid", f"algorithm {header.get('alg')!r} is not accepted")
    key_set = _provider_keys()
    if not _has_kid(key_set, header.get("kid")):
        key_set = _provider_keys(refresh=True)
    try:
        return jwt.decode(token, key_set, algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise Failed("invalid", f"signature: {type(error).__name__}") from None


def check_claims(claims: dict[str, Any], *, essential: list[str]) -> None:
    """iss, aud (and azp), exp and iat: the checks every token from the provider needs."""
    options: dict[str, Any] = {
        "iss": {"essential": True, "values": [settings.PORTH_SIGNIN_ISSUER, issuer()]},
        "aud": {"essential": True, "value": settings.PORTH_SIGNIN_CLIENT_ID},
        "iat": {"essential": True},
        **{name: {"essential": True} for name in essential},
    }
    try:
        jwt.JWTClaimsRegistry(leeway=LEEWAY, **options).validate(claims)
    except JoseError as error:
        raise Failed("invalid", f"claims: {error.error}: {error.description}") from None
    audience = claims.get("aud")
    several = isinstance(audience, list) and len(audience) > 1
    if several and claims.get("azp") != settings.PORTH_SIGNIN_CLIENT_ID:
        raise Failed("invalid", "several audiences and azp is not this client")
    if claims["iat"] > time.time() + LEEWAY:
        raise Failed("invalid", "issued in the future")


def issuer() -> str:
    """The issuer exactly as the provider writes it (with or without a closing slash)."""
    return str(metadata()["issuer"])


# --- The authorization request ---------------------------------------------------------


def authorization_url(flow: Flow, *, redirect_uri: str, language: str) -> str:
    params = {
        "response_type": "code",
        "client_id": settings.PORTH_SIGNIN_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.PORTH_SIGNIN_SCOPES,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": challenge(flow.verifier),
        "code_challenge_method": "S256",
        "ui_locales": "cy" if language == "cy" else "en",
    }
    if settings.PORTH_SIGNIN_VTR:
        params["vtr"] = settings.PORTH_SIGNIN_VTR
    endpoint = str(metadata()["authorization_endpoint"])
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)


# --- The token request -------------------------------------------------------------------


def client_assertion(audience: str) -> str:
    """private_key_jwt: a short-lived JWT about Porth itself, signed with the newest key."""
    key = keys.current()
    now = int(time.time())
    client_id = settings.PORTH_SIGNIN_CLIENT_ID
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + ASSERTION_SECONDS,
    }
    return jwt.encode({"alg": key.alg, "kid": key.kid, "typ": "JWT"}, claims, key.key)


@dataclass(frozen=True)
class SignedIn:
    """What the provider said about the citizen, every check passed."""

    subject: str
    email: str
    phone: str
    sid: str  # the provider's session id (for back-channel logout), "" if it sends none
    id_token: str  # kept for id_token_hint when the citizen signs out


def exchange_code(code: str, flow: Flow, *, redirect_uri: str) -> SignedIn:
    """Swap the code for tokens, check the ID token, read userinfo."""
    token_endpoint = str(metadata()["token_endpoint"])
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": flow.verifier,
        "client_id": settings.PORTH_SIGNIN_CLIENT_ID,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(token_endpoint),
    }
    try:
        with _client() as client:
            response = client.post(token_endpoint, data=form)
    except httpx.HTTPError as error:
        raise Failed("unavailable", f"token endpoint: {type(error).__name__}") from None
    body = _json_or_empty(response)
    if response.status_code == 400:
        # invalid_grant: the code expired, was used already, or is not this client's.
        raise Failed("rejected", f"token endpoint: {body.get('error', 'HTTP 400')}")
    if response.status_code != 200 or not isinstance(body.get("id_token"), str):
        raise Failed("unavailable", f"token endpoint: HTTP {response.status_code}")
    id_token = body["id_token"]
    claims = verify_jwt(id_token).claims
    check_claims(claims, essential=["exp", "sub", "nonce"])
    if not secrets.compare_digest(str(claims["nonce"]), flow.nonce):
        raise Failed("invalid", "nonce does not match")
    access_token = body.get("access_token")
    info = _userinfo(access_token) if isinstance(access_token, str) else {}
    if info and info.get("sub") != claims["sub"]:
        raise Failed("invalid", "userinfo is about someone else")
    return SignedIn(
        subject=str(claims["sub"]),
        email=str(info.get("email") or ""),
        phone=str(info.get("phone_number") or ""),
        sid=str(claims.get("sid") or ""),
        id_token=id_token,
    )


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _userinfo(access_token: str) -> dict[str, Any]:
    endpoint = metadata().get("userinfo_endpoint")
    if not isinstance(endpoint, str):
        return {}
    info = _get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if not isinstance(info, dict) or not isinstance(info.get("sub"), str):
        raise Failed("invalid", "userinfo has no sub")
    return info


# --- Signing out -------------------------------------------------------------------------


def end_session_url(*, id_token: str, post_logout_redirect_uri: str, state: str) -> str | None:
    """Where to send the browser so that the provider signs the citizen out too (None: the
    provider has no end_session_endpoint, or cannot be reached)."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except Failed:
        return None
    if not isinstance(endpoint, str):
        return None
    params = {"post_logout_redirect_uri": post_logout_redirect_uri, "state": state}
    if id_token:
        params["id_token_hint"] = id_token
    else:
        params["client_id"] = settings.PORTH_SIGNIN_CLIENT_ID
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)
