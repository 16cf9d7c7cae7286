"""Middleware standing in for Django's: every security header from one layer, compression
with ISA-L, and CommonMiddleware with the Host header checked once."""

import gzip
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.utils.csp import CSP, build_policy
from isal import isal_zlib

from porth.utils.http import add_headers, add_vary, prepare_headers
from porth.utils.middleware import EXTRA_SECURITY_HEADERS

from .headers import checked_host


class SecurityHeadersMiddleware:
    """Every response's security headers, worked out once from Django's settings.

    It does what Django's SecurityMiddleware, XFrameOptionsMiddleware and
    ContentSecurityPolicyMiddleware do with Porth's settings, and adds the headers Django has
    no setting for (Permissions-Policy, Cross-Origin-Resource-Policy). One layer with the
    values computed when the server starts, instead of four that build theirs on every
    response (docs/performance.md says what that buys).

    Kept from Django: the HTTPS redirect (SECURE_SSL_REDIRECT, SECURE_SSL_HOST,
    SECURE_REDIRECT_EXEMPT), HSTS on secure requests only, headers a view set itself are
    left alone, `xframe_options_exempt` and the `csp_override` decorators. Not supported:
    CSP nonces (Porth allows its one inline script by hash); the system check
    `porth.E003` refuses a policy that asks for one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.redirect = settings.SECURE_SSL_REDIRECT
        self.redirect_host = settings.SECURE_SSL_HOST
        self.redirect_exempt = [re.compile(r) for r in settings.SECURE_REDIRECT_EXEMPT]
        self.hsts = []
        if settings.SECURE_HSTS_SECONDS:
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
            self.hsts = prepare_headers([("Strict-Transport-Security", hsts)])
        referrer = settings.SECURE_REFERRER_POLICY
        if referrer and not isinstance(referrer, str):
            referrer = ",".join(referrer)
        headers = {
            "X-Content-Type-Options": "nosniff" if settings.SECURE_CONTENT_TYPE_NOSNIFF else "",
            "Referrer-Policy": ",".join(v.strip() for v in referrer.split(",")) if referrer else "",
            "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "",
            **dict(EXTRA_SECURITY_HEADERS),
        }
        self.frame_options = settings.X_FRAME_OPTIONS.upper()
        self.csp = [
            (
                str(CSP.HEADER_ENFORCE),
                build_policy(settings.SECURE_CSP) if settings.SECURE_CSP else "",
            ),
            (
                str(CSP.HEADER_REPORT_ONLY),
                build_policy(settings.SECURE_CSP_REPORT_ONLY)
                if settings.SECURE_CSP_REPORT_ONLY
                else "",
            ),
        ]
        # Checked once and set without checking again: what every response gets, and with
        # it (`headers`) the frame and content security policies, unless a view's decorators
        # asked for others.
        self.plain = prepare_headers([(name, value) for name, value in headers.items() if value])
        self.headers = self.plain + prepare_headers(
            [("X-Frame-Options", self.frame_options)]
            + [(name, policy) for name, policy in self.csp if policy]
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.redirect and not request.is_secure():
            path = request.path.lstrip("/")
            if not any(pattern.search(path) for pattern in self.redirect_exempt):
                host = self.redirect_host or request.get_host()
                return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")
        response = self.get_response(request)
        if response.__dict__.keys().isdisjoint(_SPECIAL):
            add_headers(response, self.headers, replace=False)
        else:  # the view asked for another frame or content security policy
            self._add_special(response)
        if self.hsts and request.is_secure():
            add_headers(response, self.hsts, replace=False)
        return response

    def _add_special(self, response: HttpResponse) -> None:
        add_headers(response, self.plain, replace=False)
        headers = response.headers
        if "X-Frame-Options" not in headers and not getattr(
            response, "xframe_options_exempt", False
        ):
            headers["X-Frame-Options"] = self.frame_options
        for (name, policy), attribute in zip(
            self.csp, ("_csp_config", "_csp_ro_config"), strict=True
        ):
            override: Any = getattr(response, attribute, _UNSET)  # from Django's csp_override
            if override is not _UNSET:
                policy = build_policy(override) if override else ""
            if policy and name not in headers:
                headers[name] = policy


# Attributes Django's decorators set on a response to change these headers.
_SPECIAL = frozenset({"xframe_options_exempt", "_csp_config", "_csp_ro_config"})
_UNSET = object()


class GZipMiddleware:
    """Django's GZipMiddleware, compressing with Intel's ISA-L instead of zlib.

    ISA-L's level 1 (of 0 to 3) makes pages about the size zlib's level 3 makes, for a third
    of the CPU; level 0 would send more bytes, which citizens on slow connections would pay
    for (docs/performance.md has the figures). Everything else is as
    Django does it: only when the browser accepts gzip and it saves bytes,
    `Vary: Accept-Encoding`, weak ETags, and up to 100 random bytes in the gzip header against
    BREACH-style length attacks. Streamed responses are left to Django's middleware.
    """

    LEVEL = 1  # ISA-L's levels run from 0 to 3
    MIN_LENGTH = 200  # not worth compressing
    MAX_PADDING = 100
    _ACCEPTS = re.compile(r"\bgzip\b")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.streamed = DjangoGZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming:
            return self.streamed.process_response(request, response)  # type: ignore[return-value]
        content = response.content
        headers = response.headers
        if len(content) < self.MIN_LENGTH or "Content-Encoding" in headers:
            return response
        add_vary(response, "Accept-Encoding")
        if not self._ACCEPTS.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = isal_zlib.compress(content, self.LEVEL, wbits=31)  # gzip, mtime 0
        header = bytearray(compressed[:10])
        header[3] |= gzip.FNAME
        padding = b"a" * secrets.randbelow(self.MAX_PADDING) + b"\x00"
        body = bytes(header) + padding + compressed[10:]
        if len(body) >= len(content):
            return response
        response.content = body
        headers["Content-Length"] = str(len(body))
        etag = headers.get("ETag")
        if etag and etag.startswith('"'):
            headers["ETag"] = "W/" + etag
        headers["Content-Encoding"] = "gzip"
        return response


class CommonMiddleware(DjangoCommonMiddleware):
    """Django's, with the Host header checked through `checked_host`. Without refused user
    agents or PREPEND_WWW (Porth sets neither), checking the Host header is all Django's
    does before the view."""

    def process_request(self, request: HttpRequest) -> HttpResponsePermanentRedirect | None:
        agent = request.META.get("HTTP_USER_AGENT")
        if settings.PREPEND_WWW or (agent is not None and settings.DISALLOWED_USER_AGENTS):
            return super().process_request(request)
        checked_host(request)  # DisallowedHost (a 400) for a Host that is not allowed
        return None
