"""Context every template gets."""

from django.http import HttpRequest


def language(request: HttpRequest) -> dict[str, str]:
    # Set by LanguageMiddleware; a page's own top-level code needs it before base.html runs.
    return {"language": getattr(request, "LANGUAGE_CODE", "en")}
