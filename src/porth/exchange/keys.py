"""Organisations' signing keys: make, rotate, list, publish (JWKS) and find them.

Ed25519: small, fast and deterministic. A key id is `<organisation>-<date>-<random>` so a
partner's logs say whose key signed. The private key is encrypted at rest with
porth.utils.crypto (the same keys as the citizens' answers), bound to its key id.
"""

import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone
from joserfc.jwk import OKPKey

from porth.accounts.models import Organisation
from porth.utils.crypto import decrypt, encrypt

from .models import SigningKey

ALGORITHM = "ed25519"  # RFC 9421's name; JWKS says EdDSA


def _context(kid: str) -> str:
    return f"exchange-key:{kid}"


def make(organisation: Organisation, *, days: int | None = None) -> SigningKey:
    """A new key for the organisation, which signs from now on (it is the newest)."""
    now = timezone.now()
    kid = f"{organisation.slug}-{now:%Y%m%d}-{secrets.token_hex(4)}"
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    blob, key_id = encrypt(pem, context=_context(kid))
    return SigningKey.objects.create(
        organisation=organisation,
        kid=kid,
        public_pem=public.decode(),
        private_key=blob,
        key_id=key_id,
        created_at=now,
        not_after=now + timedelta(days=days or settings.PORTH_EXCHANGE_KEY_DAYS),
    )


def usable(organisation: Organisation | int, now: datetime | None = None) -> list[SigningKey]:
    """Keys that still verify, newest first."""
    return list(
        SigningKey.objects.filter(
            organisation=organisation, retired_at__isnull=True, not_after__gt=now or timezone.now()
        ).order_by("-created_at", "-pk")
    )


def signing_key(organisation: Organisation) -> tuple[str, Ed25519PrivateKey]:
    """The newest usable key; one is made if the organisation has none."""
    found = usable(organisation)
    key = found[0] if found else make(organisation)
    return key.kid, _private(key.kid, bytes(key.private_key), key.key_id)


@lru_cache(maxsize=64)
def _private(kid: str, blob: bytes, key_id: str) -> Ed25519PrivateKey:
    # Decrypting and parsing costs more than a signature: cached by the (immutable) row.
    pem = decrypt(blob, key_id, context=_context(kid))
    loaded = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


@lru_cache(maxsize=256)
def public_key(pem: str) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(pem.encode())
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return loaded


class KeyProblem(Exception):
    """Why a key id cannot verify: unknown, expired or retired."""


def local_public_key(organisation_slug: str, kid: str) -> Ed25519PublicKey:
    """The public key of an organisation in this Porth, if it may still verify."""
    key = (
        SigningKey.objects.filter(kid=kid, organisation__slug=organisation_slug)
        .only("public_pem", "not_after", "retired_at")
        .first()
    )
    if key is None:
        raise KeyProblem(f"unknown key {kid!r} for {organisation_slug}")
    if key.retired_at is not None:
        raise KeyProblem(f"key {kid!r} was retired")
    if key.not_after <= timezone.now():
        raise KeyProblem(f"key {kid!r} expired at {key.not_after:%Y-%m-%d %H:%M:%S}")
    return public_key(key.public_pem)


def jwks(organisation: Organisation) -> dict[str, Any]:
    """The organisation's public keys that still verify, as a JWK Set (RFC 7517, OKP keys
    of RFC 8037). `exp` is when each stops verifying, so a partner can cache them."""
    keys = []
    for key in usable(organisation):
        jwk: dict[str, Any] = dict(OKPKey.import_key(key.public_pem).as_dict(private=False))
        jwk.update(kid=key.kid, use="sig", alg="EdDSA", exp=int(key.not_after.timestamp()))
        keys.append(jwk)
    return {"keys": keys}


def from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    """A public key from one member of a partner's JWK Set."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise KeyProblem(f"key {jwk.get('kid')!r} is not an Ed25519 key")
    pem = OKPKey.import_key(jwk).as_pem(private=False).decode()
    return public_key(pem)
