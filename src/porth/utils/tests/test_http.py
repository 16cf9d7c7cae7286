"""Headers set without Django's per-header checks end up as Django would have set them."""

import pytest
from django.http import BadHeaderError, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_vary_headers

from porth.utils.http import add_headers, add_vary, no_store, prepare_headers
from porth.utils.middleware import LANGUAGE_COOKIE, LanguageMiddleware


def test_a_header_that_could_split_the_response_is_refused_when_prepared() -> None:
    with pytest.raises(BadHeaderError):
        prepare_headers([("X-Note", "one\r\nSet-Cookie: evil=1")])
    with pytest.raises(UnicodeError):
        prepare_headers([("X-Nödé", "value")])


def test_prepared_headers_are_added_or_replace_as_asked() -> None:
    prepared = prepare_headers([("Cache-Control", "no-store"), ("X-Extra", "1")])
    response = HttpResponse(headers={"cache-control": "max-age=60"})
    add_headers(response, prepared, replace=False)
    assert response.headers["Cache-Control"] == "max-age=60"  # the view's own is kept
    assert response.headers["x-extra"] == "1"
    add_headers(response, prepared)
    assert response.headers["Cache-Control"] == "no-store"
    assert dict(response.items()) == {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Extra": "1",
    }


@pytest.mark.parametrize(
    "before", [None, "Cookie", "cookie, Accept-Encoding", "Accept-Language,Cookie", "*"]
)
@pytest.mark.parametrize("name", ["Accept-Encoding", "Cookie"])
def test_vary_is_patched_as_django_patches_it(before: str | None, name: str) -> None:
    ours, djangos = HttpResponse(), HttpResponse()
    if before is not None:
        ours.headers["Vary"] = djangos.headers["Vary"] = before
    for _ in range(2):  # the second time from what was worked out the first
        add_vary(ours, name)
        patch_vary_headers(djangos, (name,))
        assert ours.headers["Vary"] == djangos.headers["Vary"]


def test_journey_pages_are_never_stored() -> None:
    response = no_store(lambda: HttpResponse(headers={"Cache-Control": "max-age=600"}))()
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    assert response.headers["Expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"


def _language(path: str, cookie: str | None = None, vary: str | None = None) -> HttpResponse:
    request = RequestFactory().get(path)
    if cookie:
        request.COOKIES[LANGUAGE_COOKIE] = cookie

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(request.LANGUAGE_CODE)
        if vary:
            response.headers["Vary"] = vary
        return response

    return LanguageMiddleware(view)(request)


def test_the_language_is_chosen_in_the_address_and_remembered() -> None:
    chosen = _language("/services/?q=badge&lang=cy")
    assert chosen.content == b"cy" and chosen.headers["Content-Language"] == "cy"
    assert chosen.cookies[LANGUAGE_COOKIE].value == "cy"
    assert chosen.headers["Vary"] == "Cookie"
    remembered = _language("/services/?q=blang=en", cookie="cy")  # "lang=" inside a value
    assert remembered.content == b"cy" and remembered.headers["Content-Language"] == "cy"
    assert LANGUAGE_COOKIE not in remembered.cookies
    assert _language("/services/?lang=fr").headers["Content-Language"] == "en"
    assert _language("/", vary="Accept-Language").headers["Vary"] == "Accept-Language"
