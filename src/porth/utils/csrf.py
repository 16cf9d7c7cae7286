"""Django's masked CSRF token, drawn with one call for randomness instead of 32.

Django masks the CSRF secret afresh for every form, so that a compressed page never repeats
it (BREACH), and draws the mask a character at a time, each with its own `os.urandom` call:
about a tenth of a question page's CPU time (measured with `python -m bench.inprocess`). The
token made here is Django's own format (a random mask, then the secret shifted by it, over the
same 62 characters), so Django's `CsrfViewMiddleware` checks it as it checks its own; the
tests pin that.

One difference: the CSRF cookie is sent only when it is new, not again with every form to
renew its year-long life (a journey lasts 28 days). That saves a header on every page.
"""

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from markupsafe import Markup

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
_LIMIT = 256 - 256 % len(_CHARS)  # bytes at or above this would favour some characters


def _random_chars(count: int) -> str:
    """`count` characters drawn uniformly from the 62 (bytes that would bias them are
    skipped; 64 bytes nearly always hold 32 usable ones)."""
    out: list[str] = []
    while len(out) < count:
        out.extend(_CHARS[b % len(_CHARS)] for b in secrets.token_bytes(2 * count) if b < _LIMIT)
    return "".join(out[:count])


def token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` returns, for the form on this page."""
    secret = request.META.get("CSRF_COOKIE")
    if not (isinstance(secret, str) and len(secret) == CSRF_SECRET_LENGTH):
        # A first visit (or no usable secret): a new secret, which CsrfViewMiddleware then
        # sends as the cookie, as `get_token` arranges it (but drawn in one call, not 32).
        secret = _random_chars(CSRF_SECRET_LENGTH)
        request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    n = len(_CHARS)
    mask = _random_chars(CSRF_SECRET_LENGTH)
    try:
        shifted = (_CHARS[(_INDEX[s] + _INDEX[m]) % n] for s, m in zip(secret, mask, strict=True))
        return mask + "".join(shifted)
    except KeyError:  # CsrfViewMiddleware never leaves such a secret; if it did, Django's way
        request.META.pop("CSRF_COOKIE", None)
        return get_token(request)


def hidden_input(request: HttpRequest) -> Markup:
    """The form's hidden CSRF field (the token is letters and digits: nothing to escape)."""
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token(request)}">')
