"""Which proxies' forwarded headers Porth believes: those in PORTH_TRUSTED_PROXIES only.

Anyone can send `X-Forwarded-Proto: https` or `X-Forwarded-For: 10.0.0.1`; only a proxy we
run (the load balancer that ends TLS) may be believed. `TrustedProxyMiddleware`
(porth.utils.middleware) drops both headers from any other peer, and `client_address` reads
the citizen's address from the chain the trusted proxies built.
"""

import ipaddress
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"PORTH_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)


def trusted_networks(entries: Iterable[str] | None = None) -> tuple[Network, ...]:
    """The networks of `entries` (by default, the setting); a clear ValueError if one is not
    an address or network."""
    found = settings.PORTH_TRUSTED_PROXIES if entries is None else entries
    return _networks(tuple(found))


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The citizen's address in canonical text form, or None if it cannot be told.

    The peer (REMOTE_ADDR) unless it is a trusted proxy; then the right-most address of
    X-Forwarded-For that is not a trusted proxy: each trusted proxy appends the address it
    was reached from, so everything left of that one may be made up by the client.
    """
    networks = trusted_networks()
    chain = [request.META.get("REMOTE_ADDR") or ""]
    if is_trusted(chain[0], networks):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chain = [part.strip() for part in forwarded.split(",") if part.strip()] + chain
    # All trusted: the left-most, the furthest the proxies could see.
    found = next((a for a in reversed(chain) if not is_trusted(a, networks)), chain[0])
    try:
        return str(ipaddress.ip_address(found))
    except ValueError:
        return None
