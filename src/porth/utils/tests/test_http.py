"""Headers set without Django's per-header checks end up as Django would have set them."""

import pytest
from django.core.exceptions import DisallowedHost
from django.http import BadHeaderError, HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.test import RequestFactory, override_settings
from django.utils.cache import patch_vary_headers

from porth.utils import http
from porth.utils.http import add_headers, add_vary, no_store, prepare_headers
from porth.utils.middleware import LANGUAGE_COOKIE, CommonMiddleware, LanguageMiddleware


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


def _host_request(host: str) -> HttpRequest:
    return RequestFactory().get("/", HTTP_HOST=host)


def test_an_allowed_host_is_returned_and_a_refused_one_refused_every_time() -> None:
    for _ in range(2):
        assert http.checked_host(_host_request("testserver")) == "testserver"
        with pytest.raises(DisallowedHost):
            http.checked_host(_host_request("evil.example"))
    assert "evil.example" not in http._allowed_hosts


def test_a_host_allowed_before_the_settings_change_is_checked_again() -> None:
    with override_settings(ALLOWED_HOSTS=["porth.example"]):
        assert http.checked_host(_host_request("porth.example")) == "porth.example"
    with override_settings(ALLOWED_HOSTS=["other.example"]), pytest.raises(DisallowedHost):
        http.checked_host(_host_request("porth.example"))


@pytest.mark.parametrize("host", ["testserver", "evil.example", "testserver:8000", "[::1"])
def test_common_middleware_checks_the_host_as_djangos(host: str) -> None:
    def outcome(middleware_class: type) -> str:
        try:
            response = middleware_class(lambda r: HttpResponse()).process_request(
                _host_request(host)
            )
            return "none" if response is None else f"{response.status_code} {response['Location']}"
        except DisallowedHost as error:
            return f"refused: {error}"

    assert outcome(CommonMiddleware) == outcome(DjangoCommonMiddleware)
    with override_settings(PREPEND_WWW=True):
        assert outcome(CommonMiddleware) == outcome(DjangoCommonMiddleware)
