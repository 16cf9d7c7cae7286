"""Misconfiguration is reported by the system checks, with what to do about it."""

import base64
import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks


def _production_index_key(**env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import porth.conf.settings as s; print(s.PORTH_INDEX_KEY)"],
        env={**{k: v for k, v in os.environ.items() if k != "PORTH_INDEX_KEY"}, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_production_has_no_index_key_unless_one_is_set() -> None:
    assert _production_index_key(PORTH_ENV="production") == ""
    assert _production_index_key(PORTH_ENV="production", PORTH_INDEX_KEY="k1:x") == "k1:x"
    assert _production_index_key(PORTH_ENV="dev").startswith("dev1:")


@pytest.mark.django_db  # the model checks ask the database what it supports
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "PORTH_INDEX_KEY is empty: set it to id:base64-of-32-random-bytes"),
        ("k1:not base64!", "index key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(bytes(16)).decode()}", "index key 'k1' must be 32 bytes"),
        (base64.b64encode(bytes(32)).decode(), "must be 32 bytes with an id"),
    ],
)
def test_a_missing_or_malformed_index_key_stops_the_server(settings, value, problem) -> None:
    settings.PORTH_INDEX_KEY = value

    (error,) = [found for found in run_checks() if found.id == "porth.E004"]

    assert problem in error.msg and error.is_serious()
    assert error.hint == "Make a key with `porth keygen` and set PORTH_INDEX_KEY=id:key"


@pytest.mark.django_db
def test_a_well_formed_index_key_passes(settings) -> None:
    new, old = base64.b64encode(bytes(32)).decode(), base64.b64encode(bytes(range(32))).decode()
    settings.PORTH_INDEX_KEY = f"new:{new},old:{old}"

    assert [found for found in run_checks() if found.id == "porth.E004"] == []


def test_production_has_no_audit_key_unless_one_is_set() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import porth.conf.settings as s; print(s.PORTH_AUDIT_KEY)"],
        env={
            **{k: v for k, v in os.environ.items() if k != "PORTH_AUDIT_KEY"},
            "PORTH_ENV": "production",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "PORTH_AUDIT_KEY is empty: set it to id:base64-of-32-random-bytes"),
        ("k1:not base64!", "audit key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(bytes(16)).decode()}", "audit key 'k1' must be 32 bytes"),
        (f"{'k' * 21}:{base64.b64encode(bytes(32)).decode()}", "is longer than 20 characters"),
    ],
)
def test_a_missing_or_malformed_audit_key_stops_the_server(settings, value, problem) -> None:
    settings.PORTH_AUDIT_KEY = value

    (error,) = [found for found in run_checks() if found.id == "porth.E005"]

    assert problem in error.msg and error.is_serious()
    assert error.hint is not None and "set PORTH_AUDIT_KEY=id:key" in error.hint


@pytest.mark.django_db
def test_a_well_formed_audit_key_passes(settings) -> None:
    new, old = base64.b64encode(bytes(32)).decode(), base64.b64encode(bytes(range(32))).decode()
    settings.PORTH_AUDIT_KEY = f"new:{new},old:{old}"

    assert [found for found in run_checks() if found.id == "porth.E005"] == []
