"""The Host header checked once ("host") is refused and allowed as Django's get_host() does."""

import pytest
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.test import RequestFactory, override_settings

from porth.fastpath import headers as http
from porth.fastpath.middleware import CommonMiddleware


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
