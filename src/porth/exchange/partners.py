"""Finding another organisation: where to call it, and the public keys that verify it.

An organisation with a Partner row whose `jwks_url` is set is verified from that JWK Set,
fetched over HTTP and cached for a few minutes (fetched again, at most once a second,
when a key id it does not hold turns up: the partner has just rotated). Any other
organisation must be one in this Porth, verified by its keys here.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import keys
from .models import Partner
from .transport import http

CACHE_SECONDS = 300.0
REFETCH_SECONDS = 1.0
_cache: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}
_lock = threading.Lock()


class UnknownPartner(LookupError):
    pass


def partner(slug: str) -> Partner:
    found = Partner.objects.filter(slug=slug).first()
    if found is None:
        raise UnknownPartner(f"no partner {slug!r} is registered")
    return found


def _fetch(url: str) -> dict[str, dict[str, Any]]:
    response = http().get(url, timeout=5.0, headers={"Accept": "application/json"})
    response.raise_for_status()
    body = response.json()
    return {str(jwk.get("kid")): jwk for jwk in body.get("keys", []) if isinstance(jwk, dict)}


def _jwk(url: str, kid: str) -> dict[str, Any] | None:
    now = time.monotonic()
    with _lock:
        fetched = _cache.get(url)
    stale = fetched is None or now - fetched[0] > CACHE_SECONDS
    unknown = fetched is not None and kid not in fetched[1] and now - fetched[0] > REFETCH_SECONDS
    if stale or unknown:
        try:
            found = _fetch(url)
        except (httpx.HTTPError, ValueError, AttributeError) as error:
            raise keys.KeyProblem(f"could not fetch the keys at {url}: {error}") from None
        with _lock:
            _cache[url] = fetched = (now, found)
    assert fetched is not None
    return fetched[1].get(kid)


def finder(slug: str) -> Callable[[str], Ed25519PublicKey]:
    """A function from key id to the organisation's public key; it raises KeyProblem for a
    key that is unknown, expired or retired."""
    found = Partner.objects.filter(slug=slug).only("jwks_url").first()
    if found is None or not found.jwks_url:
        return lambda kid: keys.local_public_key(slug, kid)
    url = found.jwks_url

    def remote(kid: str) -> Ed25519PublicKey:
        jwk = _jwk(url, kid)
        if jwk is None:
            raise keys.KeyProblem(f"unknown key {kid!r} for {slug}")
        if isinstance(jwk.get("exp"), int) and jwk["exp"] <= time.time():
            raise keys.KeyProblem(f"key {kid!r} expired")
        return keys.from_jwk(jwk)

    return remote


def forget() -> None:
    """Drop cached key sets (tests; after a partner says it has revoked a key)."""
    with _lock:
        _cache.clear()
