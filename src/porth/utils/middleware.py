"""Middleware of our own: forwarded headers from trusted proxies only, the citizen's
language, the security headers Django has no setting for, and the refusal of control
characters at the edge."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation

from .http import add_headers, prepare_headers
from .proxies import is_trusted, trusted_networks
from .text import has_control_characters

LANGUAGE_COOKIE = "porth_lang"
_LANGUAGES = {code for code, _ in settings.LANGUAGES}


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: X-Forwarded-Proto and X-Forwarded-For are removed from a request
    unless its peer (REMOTE_ADDR) is one of PORTH_TRUSTED_PROXIES.

    So `SECURE_PROXY_SSL_HEADER` (is the request HTTPS?) and the audit log's client address
    (porth.utils.proxies.client_address) rest only on what our own load balancer says.
    """

    FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = trusted_networks()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if not is_trusted(meta.get("REMOTE_ADDR") or "", self.networks):
            for name in self.FORWARDED:
                meta.pop(name, None)
        return self.get_response(request)


class LanguageMiddleware:
    """English or Welsh: chosen with ?lang=cy on any page, remembered in a cookie.

    No JavaScript and no redirect: the link to switch language is the same page with
    ?lang=, so the citizen stays where they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Parsing the query string costs more than looking for "lang=" in it.
        chosen = (
            request.GET.get("lang") if "lang=" in request.META.get("QUERY_STRING", "") else None
        )
        if chosen not in _LANGUAGES:
            chosen = None
        language = chosen or request.COOKIES.get(LANGUAGE_COOKIE)
        if language not in _LANGUAGES:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if chosen and chosen != request.COOKIES.get(LANGUAGE_COOKIE):
            response.set_cookie(
                LANGUAGE_COOKIE,
                chosen,
                max_age=365 * 24 * 3600,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        add_headers(response, _HEADERS[language], replace=False)
        translation.deactivate()
        return response


# Content-Language, and Vary: Cookie as the language may come from the cookie.
_HEADERS = {
    code: prepare_headers([("Content-Language", code), ("Vary", "Cookie")]) for code in _LANGUAGES
}


# Headers Django has no setting for: no camera, microphone, location or payment for any
# page, and no other site may embed Porth's responses.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
EXTRA_SECURITY_HEADERS = [
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]


class ExtraSecurityHeadersMiddleware:
    """Beside Django's SecurityMiddleware (with the fast path off): the headers above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = prepare_headers(EXTRA_SECURITY_HEADERS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_headers(response, self.headers, replace=False)
        return response


class UnreadableAddress(SuspiciousOperation):
    """A path or query string with a control character in it."""


class UnreadableForm(SuspiciousOperation):
    """A posted form with NUL in it."""


def _any_control(query: QueryDict) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in query.lists()
    )


class RefuseControlCharactersMiddleware:
    """A bad request (400) for an address with a control character in its path or query
    string, once percent-decoded, or a posted form with NUL anywhere in it.

    No link or form of ours makes such a request, and letting it through sends text to the
    database that PostgreSQL refuses (NUL) or that nobody should store. Refused here, before
    any view, no view needs to remember to. Other control characters in a posted form are the
    form's to refuse, with a message: pasted text can carry them.

    A SuspiciousOperation becomes Django's 400 (handler400) and is logged under
    django.security.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request.path) or (
            request.META.get("QUERY_STRING") and _any_control(request.GET)
        ):
            raise UnreadableAddress("A control character in the address")
        if request.method == "POST" and any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        ):
            raise UnreadableForm("NUL in a posted form")
        return self.get_response(request)
