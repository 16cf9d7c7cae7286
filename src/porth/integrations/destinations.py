"""Which addresses webhooks may be sent to.

A webhook makes Porth's servers send a request wherever a service owner says: without a
check, an address on loopback or the private network would let anyone who can register an
endpoint reach services that only Porth itself should (server-side request forgery). In
production (PORTH_WEBHOOK_ALLOW_PRIVATE off) only https:// addresses whose every IP address
is public are accepted; the check is made when an endpoint is registered and again before
each delivery (a name may point somewhere else by then).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class Refused(Exception):
    """The address may not be used; the message says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check(url: str, *, resolve: bool = True) -> None:
    """Raise Refused unless Porth may send webhooks to `url`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("Enter a full web address, like https://example.gov.uk/hooks") from None
    allow_private = settings.PORTH_WEBHOOK_ALLOW_PRIVATE
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise Refused(
            "Enter an address that starts with https://"
            if not allow_private
            else "Enter a full web address, starting with https:// or http://"
        )
    if parts.username or parts.password:
        raise Refused("The address must not include a user name or password")
    if allow_private or not resolve:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(f"No server called {parts.hostname} could be found") from None
    if not found or not all(_public(str(info[4][0])) for info in found):
        raise Refused("The address is on a private or internal network: Porth cannot send there")
