"""The one security-headers middleware does what Django's three would, from the same settings."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from porth.conf.checks import csp_without_nonces
from porth.fastpath.middleware import SecurityHeadersMiddleware


def _send(view: Any = None, *, secure: bool = False, path: str = "/a/page?x=1") -> HttpResponse:
    request = RequestFactory().get(path, secure=secure)
    return SecurityHeadersMiddleware(view or (lambda r: HttpResponse("page")))(request)


def test_every_response_gets_the_headers_from_the_settings() -> None:
    headers = _send().headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and settings.GOVUK_INLINE_SCRIPT_HASH in policy
    assert "Content-Security-Policy-Report-Only" not in headers
    assert "Strict-Transport-Security" not in headers  # HSTS is off outside production


def test_a_header_the_view_set_is_kept() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(
            headers={"X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "no-referrer"}
        )

    headers = _send(view).headers
    assert (headers["X-Frame-Options"], headers["Referrer-Policy"]) == ("SAMEORIGIN", "no-referrer")


def test_djangos_view_decorators_still_work() -> None:
    exempt = xframe_options_exempt(lambda request: HttpResponse())
    assert "X-Frame-Options" not in _send(exempt).headers
    own = csp_override({"default-src": [CSP.SELF], "img-src": ["https://maps.example"]})(
        lambda request: HttpResponse()
    )
    assert _send(own).headers["Content-Security-Policy"] == (
        "default-src 'self'; img-src https://maps.example"
    )


@override_settings(SECURE_HSTS_SECONDS=600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_on_secure_requests_only() -> None:
    assert _send(secure=True).headers["Strict-Transport-Security"] == (
        "max-age=600; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in _send(secure=False).headers


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^health$"])
def test_plain_http_is_redirected_to_https_when_asked() -> None:
    response = _send(path="/services/x/?lang=cy")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/services/x/?lang=cy"
    assert _send(secure=True).status_code == 200
    assert _send(path="/health").status_code == 200


@override_settings(SECURE_CSP={"script-src": [CSP.SELF, CSP.NONCE]})
def test_a_policy_that_needs_a_nonce_is_refused_at_start_up() -> None:
    assert [m.id for m in csp_without_nonces(None)] == ["porth.E003"]


def test_the_policy_in_the_settings_needs_no_nonce() -> None:
    assert csp_without_nonces(None) == []
