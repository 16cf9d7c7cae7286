"""Forwarded headers are believed only from PORTH_TRUSTED_PROXIES (the load balancer)."""

import pytest
from django.core.checks import run_checks
from django.test import Client

from porth.utils.proxies import client_address

BALANCER = "10.0.0.5"
CITIZEN = "203.0.113.9"


@pytest.fixture
def https_behind_a_proxy(settings):
    """Production's HTTPS settings: plain HTTP is redirected unless the proxy says HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PORTH_TRUSTED_PROXIES = ["10.0.0.0/24"]
    return settings


@pytest.mark.django_db
def test_a_client_cannot_claim_https_by_sending_x_forwarded_proto(https_behind_a_proxy) -> None:
    response = Client(REMOTE_ADDR=CITIZEN).get("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_the_trusted_proxy_is_believed_when_it_says_https(https_behind_a_proxy) -> None:
    response = Client(REMOTE_ADDR=BALANCER).get("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_with_no_trusted_proxies_no_one_is_believed(https_behind_a_proxy) -> None:
    https_behind_a_proxy.PORTH_TRUSTED_PROXIES = []

    response = Client(REMOTE_ADDR=BALANCER).get("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 301


def _address(rf, remote: str, forwarded: str | None = None) -> str | None:
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return client_address(rf.get("/", REMOTE_ADDR=remote, headers=headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # A client's own X-Forwarded-For is ignored: the peer is the client.
        (CITIZEN, "198.51.100.1", CITIZEN),
        # Behind the balancer: the address it saw, not what the client put before it.
        (BALANCER, f"198.51.100.1, {CITIZEN}", CITIZEN),
        # Two trusted hops: the right-most address that is not one of ours.
        (BALANCER, f"198.51.100.1, {CITIZEN}, 10.0.0.7", CITIZEN),
        # The balancer without the header: itself, the only address known.
        (BALANCER, None, BALANCER),
        # IPv6 in canonical form, as the database gives it back.
        (BALANCER, "2001:DB8::0:1", "2001:db8::1"),
        # Made-up text where the balancer's entry should be: no address rather than a wrong one.
        (BALANCER, "not-an-address", None),
    ],
)
def test_the_client_address_is_the_rightmost_untrusted_one(
    rf, settings, remote: str, forwarded: str | None, expected: str | None
) -> None:
    settings.PORTH_TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert _address(rf, remote, forwarded) == expected


def test_with_no_trusted_proxies_the_peer_is_the_client(rf, settings) -> None:
    settings.PORTH_TRUSTED_PROXIES = []

    assert _address(rf, BALANCER, CITIZEN) == BALANCER


@pytest.mark.django_db
def test_a_malformed_trusted_proxy_is_a_clear_error(settings) -> None:
    settings.PORTH_TRUSTED_PROXIES = ["10.0.0.0/24", "load-balancer"]

    (error,) = [found for found in run_checks() if found.id == "porth.E006"]

    assert error.msg == (
        "PORTH_TRUSTED_PROXIES: 'load-balancer' is not an IP address or network "
        "(e.g. 10.0.0.5 or 10.0.0.0/24)"
    )
