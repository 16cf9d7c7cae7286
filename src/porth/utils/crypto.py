"""Encryption of personal data at rest: AES-256-GCM, with a key id stored beside each record.

Keys come from PORTH_ENCRYPTION_KEYS ("id:base64key,id:base64key"). The first key encrypts;
every key listed can decrypt, so a key is rotated by putting a new one first and
re-encrypting at leisure. The associated data binds a ciphertext to its record, so a blob
copied into another row will not decrypt.
"""

import base64
import json
import os
from functools import cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12


class KeyError_(ValueError):
    """The encryption keys setting is missing or malformed."""


@cache
def _keys(setting: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    current = ""
    for item in filter(None, (part.strip() for part in setting.split(","))):
        key_id, _, encoded = item.partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise KeyError_(f"encryption key {key_id!r} is not valid base64") from None
        if len(raw) != 32 or not key_id:
            raise KeyError_(f"encryption key {key_id!r} must be 32 bytes (AES-256) with an id")
        keys[key_id] = AESGCM(raw)
        current = current or key_id
    if not keys:
        raise KeyError_("PORTH_ENCRYPTION_KEYS is empty: set it to id:base64-of-32-random-bytes")
    return current, keys


def encrypt(data: Any, *, context: str) -> tuple[bytes, str]:
    """JSON-encode and encrypt; returns (nonce + ciphertext, key id)."""
    key_id, keys = _keys(settings.PORTH_ENCRYPTION_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return nonce + keys[key_id].encrypt(nonce, plain, context.encode()), key_id


def decrypt(blob: bytes | memoryview, key_id: str, *, context: str) -> Any:
    _, keys = _keys(settings.PORTH_ENCRYPTION_KEYS)
    if key_id not in keys:
        raise KeyError_(f"no encryption key {key_id!r}: it was removed before re-encryption")
    blob = bytes(blob)
    plain = keys[key_id].decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
    return json.loads(plain)


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
