"""Encryption of personal data at rest: AES-256-GCM, with a key id stored beside each record.

Keys come from PORTH_ENCRYPTION_KEYS ("id:base64key,id:base64key"). The first key encrypts;
every key listed can decrypt, so a key is rotated by putting a new one first and
re-encrypting at leisure. The associated data binds a ciphertext to its record, so a blob
copied into another row will not decrypt.

The data is JSON (strings, whole numbers, lists, objects): a journey's state is decoded and
encoded again on every page, so it goes through orjson, which does that for a fraction of
the json module's work (measured in the commit that brought it in). Two of its ways
would change data, so json does those cases: orjson refuses integers beyond 64 bits (a
citizen can type a longer whole number), and reads them as floats, losing digits (text with
a run of 19 digits or more is read by json).
"""

import base64
import hashlib
import hmac
import json
import os
import re
import unicodedata
from functools import cache
from typing import Any

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
# Digits as "0", anything else as ".": a run of 19 "0"s may be an integer beyond 64 bits.
# (A search for 19 digits with `re` took four times orjson's whole decoding.)
_DIGITS = bytes(48 if 48 <= b <= 57 else 46 for b in range(256))
_LONG_NUMBER = b"0" * 19


class KeyError_(ValueError):
    """The encryption keys setting is missing or malformed."""


@cache
def _raw_keys(setting: str, name: str = "PORTH_ENCRYPTION_KEYS") -> tuple[str, dict[str, bytes]]:
    """The setting `name` checked and decoded: the current key's id, and every key by id."""
    kind, size = {
        "PORTH_ENCRYPTION_KEYS": ("encryption key", "32 bytes (AES-256)"),
        "PORTH_AUDIT_KEY": ("audit key", "32 bytes"),
    }.get(name, ("index key", "32 bytes"))
    keys: dict[str, bytes] = {}
    current = ""
    for item in filter(None, (part.strip() for part in setting.split(","))):
        key_id, _, encoded = item.partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise KeyError_(f"{kind} {key_id!r} is not valid base64") from None
        if len(raw) != 32 or not key_id:
            raise KeyError_(f"{kind} {key_id!r} must be {size} with an id")
        keys[key_id] = raw
        current = current or key_id
    if not keys:
        raise KeyError_(f"{name} is empty: set it to id:base64-of-32-random-bytes")
    return current, keys


@cache
def _keys(setting: str) -> tuple[str, dict[str, AESGCM]]:
    current, raw = _raw_keys(setting)
    return current, {key_id: AESGCM(key) for key_id, key in raw.items()}


def encrypt(data: Any, *, context: str) -> tuple[bytes, str]:
    """JSON-encode and encrypt; returns (nonce + ciphertext, key id)."""
    key_id, keys = _keys(settings.PORTH_ENCRYPTION_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    return nonce + keys[key_id].encrypt(nonce, _dumps(data), context.encode()), key_id


def decrypt(blob: bytes | memoryview, key_id: str, *, context: str) -> Any:
    _, keys = _keys(settings.PORTH_ENCRYPTION_KEYS)
    if key_id not in keys:
        raise KeyError_(f"no encryption key {key_id!r}: it was removed before re-encryption")
    blob = bytes(blob)
    plain = keys[key_id].decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
    return _loads(plain)


def _dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON, as json.dumps(separators=(",", ":"), ensure_ascii=False) makes."""
    try:
        # Dates and dataclasses are handed to `default` (there is none), so they are refused
        # as json refuses them, rather than turned into strings.
        return orjson.dumps(
            data, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
        )
    except orjson.JSONEncodeError:  # an integer beyond 64 bits; or json refuses it too
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def _loads(plain: bytes) -> Any:
    if _LONG_NUMBER not in plain.translate(_DIGITS):
        try:
            return orjson.loads(plain)
        except orjson.JSONDecodeError:
            pass  # json's own extensions (NaN), or not JSON: json says which
    return json.loads(plain)


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@cache
def _index_keys(setting: str) -> tuple[str, dict[str, bytes]]:
    """The current index key's id, and every index key by id, from PORTH_INDEX_KEY."""
    current, raw = _raw_keys(setting, "PORTH_INDEX_KEY")
    # A derivation label keeps the index unrelated to any other use of the same bytes.
    return current, {
        key_id: hmac.new(key, b"porth blind index v1", hashlib.sha256).digest()
        for key_id, key in raw.items()
    }


def index_keys() -> tuple[str, list[str]]:
    """The id of the index key that new tokens are made with, and the ids of all of them."""
    current, keys = _index_keys(settings.PORTH_INDEX_KEY)
    return current, list(keys)


AUDIT_KEY_ID_LENGTH = 20  # the audit log stores the id beside each entry


@cache
def _audit_keys(setting: str) -> tuple[str, dict[str, bytes]]:
    current, raw = _raw_keys(setting, "PORTH_AUDIT_KEY")
    for key_id in raw:
        if len(key_id) > AUDIT_KEY_ID_LENGTH:
            raise KeyError_(
                f"audit key id {key_id!r} is longer than {AUDIT_KEY_ID_LENGTH} characters"
            )
    # A derivation label keeps the chain's keys unrelated to any other use of the same bytes.
    return current, {
        key_id: hmac.new(key, b"porth audit log v1", hashlib.sha256).digest()
        for key_id, key in raw.items()
    }


def audit_keys() -> tuple[str, dict[str, bytes]]:
    """From PORTH_AUDIT_KEY: the id of the key that new audit entries are keyed with, and
    every audit key by id (an entry is checked with the key it names)."""
    return _audit_keys(settings.PORTH_AUDIT_KEY)


def blind_index(text: str) -> tuple[str, str]:
    """Keyed hashes of the words of `text` (case and accents folded), space-separated, and
    the id of the index key that made them.

    Lets staff find a case by a word of the applicant's name without the name being stored
    in the clear: search hashes the query's words the same way and matches the tokens. The
    index has its own key (PORTH_INDEX_KEY), so rotating the encryption keys leaves it be;
    the key id is stored beside the tokens so that the index key can be rotated too.
    """
    key_id, keys = _index_keys(settings.PORTH_INDEX_KEY)
    return _tokens(keys[key_id], text), key_id


def keyed_hash(text: str, *, purpose: str) -> str:
    """A keyed hash of `text` under the current index key, for counting how often the same
    thing (an address, a client) comes back without storing it. `purpose` keeps the hashes
    of one use unrelated to those of another."""
    key_id, keys = _index_keys(settings.PORTH_INDEX_KEY)
    mac = hmac.new(keys[key_id], purpose.encode() + b"\0" + text.encode(), hashlib.sha256)
    return mac.hexdigest()


def search_tokens(text: str) -> dict[str, list[str]]:
    """The tokens of the words of `text` under every index key, by key id: during a
    rotation, a record still indexed with an older key is found by that key's tokens."""
    _, keys = _index_keys(settings.PORTH_INDEX_KEY)
    return {key_id: _tokens(key, text).split() for key_id, key in keys.items()}


def _tokens(key: bytes, text: str) -> str:
    tokens = [
        hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:16] for word in _words(text)
    ]
    return " ".join(dict.fromkeys(tokens))


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"\w+", plain)
