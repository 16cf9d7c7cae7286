"""Error pages in the GOV.UK pattern: say what happened and what to do, in plain English."""

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .middleware import UnreadableAddress

# APIs whose clients read JSON, not a page: an address prefix and what answers an error under
# it (status, plain-English message). Registered by the API's app in AppConfig.ready()
# (porth.integrations), so that a request refused before any view still gets the API's shape.
ErrorAnswer = Callable[[HttpRequest, int, str], HttpResponse]
_api_errors: dict[str, ErrorAnswer] = {}


def answer_errors_under(prefix: str, answer: ErrorAnswer) -> None:
    _api_errors[prefix] = answer


def _api_answer(request: HttpRequest) -> ErrorAnswer | None:
    return next((a for p, a in _api_errors.items() if request.path.startswith(p)), None)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an old tab or a cookie that expired: nothing the citizen did wrong.
    return render(request, "errors/session.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (handler400), for any SuspiciousOperation: a request no page of ours
    sends. A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, and says so."""
    api = _api_answer(request)
    if isinstance(exception, RequestDataTooBig):
        if api:
            return api(request, 413, "The request body is too large")
        return render(request, "errors/413.html", status=413)
    if api:
        return api(request, 400, "The request cannot be read (a control character?)")
    context = {"address": isinstance(exception, UnreadableAddress)}
    return render(request, "errors/400.html", context, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api := _api_answer(request):
        return api(request, 404, "There is no such address in this API")
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
