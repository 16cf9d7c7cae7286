"""Middleware of our own: the citizen's language, and headers Django does not set."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_COOKIE = "porth_lang"
_LANGUAGES = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    """English or Welsh: chosen with ?lang=cy on any page, remembered in a cookie.

    No JavaScript and no redirect: the link to switch language is the same page with
    ?lang=, so the citizen stays where they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.GET.get("lang")
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
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """Headers for every response that Django's SecurityMiddleware leaves out."""

    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
