"""Encrypted data comes back exactly as it went in, whichever JSON library wrote it."""

import json
import math
import os
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from porth.utils import crypto

STATE = {
    "answers": {
        "name": "Siân Jones – “Sian”",
        "count": 3,
        "benefits": ["pip", "dla"],
        "address": {"line1": "12 Heol y Castell", "postcode": "CF10 1EP"},
        "alone": False,
        "nickname": None,
        "account": "12345678901234567890123",  # a long run of digits, in a string
    },
    "done": ["name", "alone"],
}


def _round_trip(data: Any) -> Any:
    blob, key_id = crypto.encrypt(data, context="journey:test")
    return crypto.decrypt(blob, key_id, context="journey:test")


@pytest.mark.parametrize(
    "data",
    [
        STATE,
        {"whole": 10**30, "negative": -(10**19), "largest": 2**64 - 1, "smallest": -(2**63)},
        [9223372036854775807, 9223372036854775808, 99999999999999999999],
        {"text": "\x00 control \u2028 and emoji 🏴󠁧󠁢󠁷󠁬󠁳󠁿"},
        {},
    ],
)
def test_data_comes_back_exactly(data: Any) -> None:
    back = _round_trip(data)

    assert back == data
    assert json.dumps(back, sort_keys=True) == json.dumps(data, sort_keys=True)  # ints stay ints


def test_what_json_wrote_before_reads_the_same() -> None:
    _, keys = crypto._keys(settings.PORTH_ENCRYPTION_KEYS)
    key_id = next(iter(keys))
    for data in (STATE, {"big": 10**25, "not a number": math.nan}):
        plain = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        nonce = os.urandom(crypto.NONCE_BYTES)
        blob = nonce + AESGCM(crypto._raw_keys(settings.PORTH_ENCRYPTION_KEYS)[1][key_id]).encrypt(
            nonce, plain, b"journey:old"
        )
        back = crypto.decrypt(blob, key_id, context="journey:old")
        assert back.keys() == data.keys()
        assert json.dumps(back) == json.dumps(data)  # NaN included


def test_the_encoding_is_compact_json_as_before() -> None:
    for data in (STATE, {"big": 10**25}, {1: "number keys become text"}):
        assert (
            crypto._dumps(data)
            == json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        )


def test_what_json_refuses_is_still_refused() -> None:
    for data in ({"when": date(2026, 11, 27)}, {"set": {1, 2}}, {"bytes": b"x"}):
        with pytest.raises(TypeError):
            crypto.encrypt(data, context="journey:test")
