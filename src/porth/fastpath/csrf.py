"""Django's masked CSRF token, drawn with one call for randomness instead of 32, and checked
a whole token at a time ("csrf").

Django masks the CSRF secret afresh for every form, so that a compressed page never repeats
it (BREACH), and draws the mask a character at a time, each with its own `os.urandom` call.
Here the mask comes from one call, and the 32 characters are worked on as bytes (with
`bytes.translate` and one integer addition) rather than one by one in Python. The token is
Django's own format (a random mask, then the secret shifted by it, over the same 62
characters), so Django's `CsrfViewMiddleware` checks it as it checks its own; the tests pin
that.

One difference: the CSRF cookie is sent only when it is new, not again with every form to
renew its year-long life (a journey lasts PORTH_JOURNEY_IDLE_DAYS). That saves a header on every page.

Checking a posted token the same way (`CsrfViewMiddleware` below) saves what Django spends
unmasking it a character at a time on a POST, and matching the cookie against a regular
expression on every request.
"""

import hmac
import secrets

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, UnreadablePostError
from django.middleware import csrf as django_csrf
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
    get_token,
)
from markupsafe import Markup

from porth import fastpath

from .headers import checked_host

_CHARS = CSRF_ALLOWED_CHARS.encode()
_N = len(_CHARS)
_LIMIT = 256 - 256 % _N  # random bytes at or above this would favour some characters
_BIASED = bytes(range(_LIMIT, 256))
# Byte tables for bytes.translate, so that no character is handled in Python: a character's
# index (0 to 61), a random byte's index, and an index or a sum of two indexes (< 124) as a
# character.
_INDEX = bytes(_CHARS.index(b) if b in _CHARS else 0 for b in range(256))
_MOD = bytes(b % _N for b in range(256))
_CHAR = bytes(_CHARS[v % _N] for v in range(256))
# A character's index taken from 62, so that a subtraction becomes an addition.
_NEGATED = bytes(_N - _CHARS.index(b) if b in _CHARS else 0 for b in range(256))


def _random_indexes(count: int) -> bytes:
    """`count` indexes drawn uniformly from 0 to 61 (bytes that would bias them are skipped;
    64 random bytes nearly always hold 32 usable ones)."""
    out = b""
    while len(out) < count:
        out += secrets.token_bytes(2 * count).translate(_MOD, _BIASED)
    return out[:count]


def _random_chars(count: int) -> str:
    return _random_indexes(count).translate(_CHAR).decode()


def _well_formed(text: str, length: int) -> bool:
    """`length` characters, each one of Django's 62 (ASCII letters and digits)."""
    return len(text) == length and text.isascii() and text.isalnum()


def token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` returns, for the form on this page."""
    secret = request.META.get("CSRF_COOKIE")
    if not (isinstance(secret, str) and len(secret) == CSRF_SECRET_LENGTH):
        # A first visit (or no usable secret): a new secret, which CsrfViewMiddleware then
        # sends as the cookie, as `get_token` arranges it (but drawn in one call, not 32).
        secret = _random_chars(CSRF_SECRET_LENGTH)
        request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    if not _well_formed(secret, CSRF_SECRET_LENGTH):  # CsrfViewMiddleware never leaves such
        request.META.pop("CSRF_COOKIE", None)  # a secret; if it did, Django's way
        return get_token(request)
    raw = secret.encode()
    mask = _random_indexes(CSRF_SECRET_LENGTH)
    # Django's cipher: each secret character moved on by the mask's, over the 62. Added as
    # two big numbers a byte an index, as no byte's sum (< 124) carries into the next.
    shifted = int.from_bytes(raw.translate(_INDEX)) + int.from_bytes(mask)
    return (mask + shifted.to_bytes(CSRF_SECRET_LENGTH)).translate(_CHAR).decode()


def hidden_input(request: HttpRequest) -> Markup:
    """The form's hidden CSRF field (the token is letters and digits: nothing to escape)."""
    value = token(request) if fastpath.on("csrf") else get_token(request)
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">')


def unmask(token: str) -> str:
    """The secret in a well-formed masked token: Django's `_unmask_cipher_token`, each
    character moved back by its mask's, done as one addition of (62 - mask) per byte."""
    raw = token.encode()
    mask, cipher = raw[:CSRF_SECRET_LENGTH], raw[CSRF_SECRET_LENGTH:]
    total = int.from_bytes(cipher.translate(_INDEX)) + int.from_bytes(mask.translate(_NEGATED))
    return total.to_bytes(CSRF_SECRET_LENGTH).translate(_CHAR).decode()


class CsrfViewMiddleware(django_csrf.CsrfViewMiddleware):
    """Django's middleware, with the usual case checked as whole strings: a cookie secret of
    32 letters and digits, and a form posting a masked token of 64 that matches it (and
    the page's own origin, with the Host header checked once: see `checked_host`). Every
    other case (no cookie, a malformed or wrong token, the X-CSRFToken header, CSRF in the
    session, a masked cookie from Django < 4.0) goes to Django's own check, so it is refused
    as Django refuses it, with Django's reason."""

    def _get_secret(self, request: HttpRequest) -> str | None:
        if not settings.CSRF_USE_SESSIONS:
            cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
            if cookie is not None and _well_formed(cookie, CSRF_SECRET_LENGTH):
                return cookie
        secret: str | None = super()._get_secret(request)  # type: ignore[misc]
        return secret

    def _origin_verified(self, request: HttpRequest) -> bool:
        if not fastpath.on("host"):
            verified_: bool = super()._origin_verified(request)  # type: ignore[misc]
            return verified_
        # The usual case, the page's own origin, with the Host header checked once (Django
        # checks it again here, after CommonMiddleware did).
        try:
            own = f"{'https' if request.is_secure() else 'http'}://{checked_host(request)}"
        except DisallowedHost:
            own = None
        if request.META["HTTP_ORIGIN"] == own:
            return True
        verified: bool = super()._origin_verified(request)  # type: ignore[misc]
        return verified

    def _check_token(self, request: HttpRequest) -> None:
        if not self._posted_token_matches(request):
            super()._check_token(request)  # type: ignore[misc]

    def _posted_token_matches(self, request: HttpRequest) -> bool:
        if request.method != "POST" or settings.CSRF_USE_SESSIONS:
            return False
        try:
            secret = self._get_secret(request)
            token = request.POST.get("csrfmiddlewaretoken", "")
        except (InvalidTokenFormat, UnreadablePostError):
            return False
        return (
            secret is not None
            and isinstance(token, str)
            and _well_formed(token, CSRF_TOKEN_LENGTH)
            and hmac.compare_digest(unmask(token), secret)
        )
