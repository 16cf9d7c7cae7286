"""The relying party's own keys: Porth proves who it is to the provider (private_key_jwt).

PORTH_SIGNIN_KEYS holds private keys, newest first: the first signs every client assertion,
and all of them are published (public parts only) at /sign-in/jwks.json, where the provider
reads them. To rotate: add the new key second (the provider learns it), move it first (it
signs), and remove the old one once the provider's cache of the old set has expired.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from joserfc import jwk

Key = jwk.ECKey | jwk.RSAKey


class KeysProblem(ValueError):
    """PORTH_SIGNIN_KEYS cannot be read; the message says why (for the system check)."""


@dataclass(frozen=True)
class SigningKey:
    key: Key
    kid: str
    alg: str  # ES256 for a P-256 key, RS256 for an RSA key


def _alg(key: Key) -> str:
    if isinstance(key, jwk.RSAKey):
        return "RS256"
    if key.as_dict(private=False).get("crv") != "P-256":
        raise KeysProblem("PORTH_SIGNIN_KEYS: an EC key must be on curve P-256 (ES256)")
    return "ES256"


def _from_jwks(data: Any, where: str) -> list[Key]:
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeysProblem(f"PORTH_SIGNIN_KEYS: {where} is not a JWKS ({{'keys': [...]}})")
    keys: list[Key] = []
    for entry in data["keys"]:
        key = jwk.import_key(entry)
        if not isinstance(key, jwk.ECKey | jwk.RSAKey):
            raise KeysProblem(f"PORTH_SIGNIN_KEYS: {where} has a key that is not EC or RSA")
        keys.append(key)
    return keys


def _from_pem(content: bytes, name: str) -> Key:
    try:
        loaded = serialization.load_pem_private_key(content, password=None)
    except (ValueError, TypeError):
        raise KeysProblem(
            f"PORTH_SIGNIN_KEYS: {name} is not an unencrypted private key in PEM"
        ) from None
    if isinstance(loaded, rsa.RSAPrivateKey):
        return jwk.RSAKey.import_key(content)
    if isinstance(loaded, ec.EllipticCurvePrivateKey):
        return jwk.ECKey.import_key(content)
    raise KeysProblem(f"PORTH_SIGNIN_KEYS: {name} is not an EC or RSA key")


def _read(setting: str) -> list[Key]:
    text = setting.strip()
    if text.startswith("{"):
        try:
            return _from_jwks(json.loads(text), "the JWKS")
        except json.JSONDecodeError as error:
            raise KeysProblem(f"PORTH_SIGNIN_KEYS is not valid JSON: {error}") from None
    keys: list[Key] = []
    for name in filter(None, (part.strip() for part in text.split(","))):
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise KeysProblem(f"PORTH_SIGNIN_KEYS: cannot read {name}: {error.strerror}") from None
        if path.suffix == ".json":
            keys += _from_jwks(json.loads(content), name)
            continue
        keys.append(_from_pem(content, name))
    return keys


@cache
def _load(setting: str) -> tuple[SigningKey, ...]:
    loaded: list[SigningKey] = []
    for key in _read(setting):
        if not key.is_private:
            raise KeysProblem(
                "PORTH_SIGNIN_KEYS: every key must be a private key (Porth signs with it)"
            )
        # A PEM file has no kid: the key's thumbprint (RFC 7638) names it, the same each time.
        kid = key.kid or key.thumbprint()
        loaded.append(SigningKey(key, kid, _alg(key)))
    if not loaded:
        raise KeysProblem("PORTH_SIGNIN_KEYS is empty: sign-in needs a key to sign with")
    if len({k.kid for k in loaded}) != len(loaded):
        raise KeysProblem("PORTH_SIGNIN_KEYS: two keys have the same kid")
    return tuple(loaded)


def signing_keys() -> tuple[SigningKey, ...]:
    """Every key, the one that signs first. Raises KeysProblem if the setting is wrong."""
    return _load(settings.PORTH_SIGNIN_KEYS)


def current() -> SigningKey:
    return signing_keys()[0]


def public_jwks() -> dict[str, Any]:
    """What /sign-in/jwks.json publishes: each key's public part, with its kid and use."""
    return {
        "keys": [
            {**k.key.as_dict(private=False), "kid": k.kid, "use": "sig", "alg": k.alg}
            for k in signing_keys()
        ]
    }


def generate(kind: str = "EC") -> dict[str, Any]:
    """A new private key as a JWK, its kid its thumbprint (docs/signin.md; tests)."""
    key: Key = (
        jwk.RSAKey.generate_key(2048, private=True)
        if kind == "RSA"
        else jwk.ECKey.generate_key("P-256", private=True)
    )
    return {**key.as_dict(private=True), "kid": key.thumbprint()}
