"""The fast CSRF token is Django's token: same format, same secret, checked by Django."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf as django_csrf
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import RequestFactory, override_settings

from porth.fastpath import csrf

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"
# Django's own inverse of the mask (private, so not in its type stubs).
_unmask_cipher_token = django_csrf._unmask_cipher_token  # type: ignore[attr-defined]


def _request(secret: object = SECRET) -> HttpRequest:
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_unmasks_to_the_cookie_secret_with_a_new_mask_each_time() -> None:
    request = _request()
    first, second = csrf.token(request), csrf.token(request)
    for token in (first, second):
        assert len(token) == 2 * CSRF_SECRET_LENGTH
        assert set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    assert first[:CSRF_SECRET_LENGTH] != second[:CSRF_SECRET_LENGTH]
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META  # the cookie is not sent again


def test_every_secret_comes_back_from_its_token() -> None:
    for n in range(300):
        secret = csrf._random_chars(CSRF_SECRET_LENGTH)
        if n < 2:  # the ends of the alphabet: the largest sums of secret and mask
            secret = CSRF_ALLOWED_CHARS[-1 - n] * CSRF_SECRET_LENGTH
        assert _unmask_cipher_token(csrf.token(_request(secret))) == secret


def test_without_a_usable_secret_a_new_one_is_made_and_its_cookie_sent() -> None:
    secrets = set()
    for secret in (None, "too-short", "!" * CSRF_SECRET_LENGTH, "é" * CSRF_SECRET_LENGTH, None):
        request = _request(secret)
        token = csrf.token(request)
        made = request.META["CSRF_COOKIE"]
        assert len(made) == CSRF_SECRET_LENGTH and set(made) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == made
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
        secrets.add(made)
    assert len(secrets) == 5


def test_mask_characters_are_drawn_from_all_62() -> None:
    drawn = "".join(csrf._random_chars(CSRF_SECRET_LENGTH) for _ in range(200))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)


def test_the_hidden_input_carries_the_token() -> None:
    html = str(csrf.hidden_input(_request()))
    assert html.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    value = html.split('value="')[1].split('"')[0]
    assert _unmask_cipher_token(value) == SECRET


def test_unmasking_a_whole_token_gives_what_django_gives() -> None:
    for n in range(300):
        token = csrf._random_chars(2 * CSRF_SECRET_LENGTH)
        if n < 4:  # the ends of the alphabet: the largest and smallest differences
            token = (CSRF_ALLOWED_CHARS[-(n % 2)] * 32) + (CSRF_ALLOWED_CHARS[-(n // 2)] * 32)
        assert csrf.unmask(token) == _unmask_cipher_token(token)


def failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(reason, status=403)


def _verdict(middleware_class: type, cookie: str | None, post: dict[str, str], **meta: str) -> str:
    """What a CSRF middleware says of a POST: "accepted", or the reason it was refused."""
    request = RequestFactory().post("/form", post)
    request.META.update(meta)
    if cookie is not None:
        request.COOKIES["csrftoken"] = cookie
    middleware = middleware_class(lambda r: HttpResponse())
    middleware.process_request(request)
    refused = middleware.process_view(request, lambda r: HttpResponse(), (), {})
    return "accepted" if refused is None else refused.content.decode()


OTHER = "ZYXWVUTSRQPONMLKJIHGFEDCBA012345"
MASKED = csrf.token(_request())  # SECRET, masked
TOKEN = {"csrfmiddlewaretoken": MASKED}
CASES = [  # what the browser sends, and whether Django accepts it
    ("the page's token", SECRET, TOKEN, {}, True),
    ("a token for another secret", OTHER, TOKEN, {}, False),
    ("no cookie", None, TOKEN, {}, False),
    ("a cookie of other characters", "!" * 32, TOKEN, {}, False),
    ("a cookie too short", SECRET[:31], TOKEN, {}, False),
    ("a token too short", SECRET, {"csrfmiddlewaretoken": MASKED[:63]}, {}, False),
    ("a token of other characters", SECRET, {"csrfmiddlewaretoken": "!" * 64}, {}, False),
    ("a token not in ASCII", SECRET, {"csrfmiddlewaretoken": "é" * 64}, {}, False),
    ("no token", SECRET, {}, {}, False),
    ("the token in the header", SECRET, {}, {"HTTP_X_CSRFTOKEN": MASKED}, True),
    ("the secret itself", SECRET, {"csrfmiddlewaretoken": SECRET}, {}, True),
    ("a masked cookie (Django < 4.0)", csrf.token(_request()), TOKEN, {}, True),
    ("from the page's own origin", SECRET, TOKEN, {"HTTP_ORIGIN": "http://testserver"}, True),
    ("from another origin", SECRET, TOKEN, {"HTTP_ORIGIN": "http://evil.example"}, False),
    (
        "from the page's host over https",
        SECRET,
        TOKEN,
        {"HTTP_ORIGIN": "https://testserver"},
        False,
    ),
    (
        "to a host not allowed",
        SECRET,
        TOKEN,
        {"HTTP_ORIGIN": "http://x.example", "HTTP_HOST": "x.example"},
        False,
    ),
]


@override_settings(CSRF_FAILURE_VIEW="porth.fastpath.tests.test_csrf.failure")
@pytest.mark.parametrize(
    ("case", "cookie", "post", "meta", "accepted"), CASES, ids=[c[0] for c in CASES]
)
def test_the_middleware_accepts_and_refuses_as_django_does(
    case: str, cookie: str | None, post: dict[str, str], meta: dict[str, str], accepted: bool
) -> None:
    ours = _verdict(csrf.CsrfViewMiddleware, cookie, post, **meta)

    assert ours == _verdict(django_csrf.CsrfViewMiddleware, cookie, post, **meta)
    assert (ours == "accepted") is accepted
