"""Error pages in the GOV.UK pattern: say what happened and what to do, in plain English."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .middleware import UnreadableAddress


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an old tab or a cookie that expired: nothing the citizen did wrong.
    return render(request, "errors/session.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (handler400), for any SuspiciousOperation: a request no page of ours
    sends. A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, and says so."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "errors/413.html", status=413)
    context = {"address": isinstance(exception, UnreadableAddress)}
    return render(request, "errors/400.html", context, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
