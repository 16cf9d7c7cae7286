"""The wire's signatures: RFC 9421 HTTP Message Signatures over an RFC 9530 Content-Digest,
with the http-message-signatures library.

A request's signature covers the method, the target URI, the body's digest and the exchange
headers (message id, caller, purpose, reference); a response's covers its status, its body's
digest, the message id, and the request's own signature (`"signature";key="porth";req`), so a
response cannot be replayed as the answer to another request. Both carry created/expires and
the signing key's id, and the tag `porth-exchange`.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException

MESSAGE_ID = "porth-message-id"
CALLER = "porth-caller"
PURPOSE = "porth-purpose"
REFERENCE = "porth-reference"
EXCHANGE_HEADERS = (MESSAGE_ID, CALLER, PURPOSE, REFERENCE)
LABEL = "porth"
TAG = "porth-exchange"
REQUEST_COVERS = ("@method", "@target-uri", "content-digest", *EXCHANGE_HEADERS)
RESPONSE_COVERS = ("@status", "content-digest", MESSAGE_ID, f'"signature";key="{LABEL}";req')


@dataclass
class Request:
    """A request as the library reads it (httpx requests serve as they are)."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status_code: int
    request: Any
    headers: dict[str, str] = field(default_factory=dict)


class Rejected(Exception):
    """A signature that does not verify. `reason` is short and safe to send back;
    `stale` says it was refused for its time (outside the window), not its bytes."""

    def __init__(self, reason: str, *, stale: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stale = stale


class _Keys(HTTPSignatureKeyResolver):
    """Resolves a key id with `find` (which raises on a key that may not verify) and keeps
    the reason, which the library would otherwise fold into a generic error."""

    def __init__(self, find: Callable[[str], Ed25519PublicKey] | None = None) -> None:
        self.find = find
        self.private: Ed25519PrivateKey | None = None
        self.problem: str | None = None
        self.kid: str | None = None

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey | None:
        assert self.find is not None
        self.kid = key_id
        try:
            return self.find(key_id)
        except Exception as error:
            self.problem = str(error)
            return None

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        assert self.private is not None
        return self.private


def sign(
    message: Any,
    body: bytes,
    *,
    kid: str,
    key: Ed25519PrivateKey,
    window: int,
    covers: tuple[str, ...],
    now: dt.datetime | None = None,
) -> None:
    """Add Content-Digest, Signature-Input and Signature to `message` in place."""
    resolver = _Keys()
    resolver.private = key
    created = now or dt.datetime.now(dt.UTC)
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=resolver)
    signer.sign(
        message,
        key_id=kid,
        created=created,
        expires=created + dt.timedelta(seconds=window),
        label=LABEL,
        tag=TAG,
        covered_component_ids=covers,
        body=body,
    )


def verify(
    message: Any,
    body: bytes,
    *,
    find: Callable[[str], Ed25519PublicKey],
    window: int,
    covers: tuple[str, ...],
) -> str:
    """Check `message`'s signature and its body's digest; the key id that signed it.
    Raises Rejected, saying why."""
    resolver = _Keys(find)
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=resolver)
    # Created must be within ±window of now: max_age 0 plus a skew of the window does that.
    verifier.max_clock_skew = dt.timedelta(seconds=window)
    try:
        verifier.verify(
            message,
            max_age=dt.timedelta(0),
            expect_tag=TAG,
            require_components=covers,
            body=body,
        )
    except (InvalidSignature, HTTPMessageSignaturesException) as error:
        if resolver.problem:
            raise Rejected(resolver.problem) from None
        text = str(error) or "the signature does not verify"
        stale = any(word in text for word in ("future", "in the past", "maximum allowable age"))
        raise Rejected(
            "the signature was made outside the accepted time window" if stale else text,
            stale=stale,
        ) from None
    assert resolver.kid is not None
    return resolver.kid


def signature_of(headers: Mapping[str, str]) -> str:
    """What is logged of a message's signature: its inputs and value, as sent."""
    found = {name.lower(): value for name, value in headers.items()}
    return f"{found.get('signature-input', '')} {found.get('signature', '')}".strip()
