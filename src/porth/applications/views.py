"""The signed-in citizen's pages: their applications, one application whole, and "Continue"
for a journey in progress on whatever device they are using now.

Anyone not signed in is told what the page is and offered to sign in; a reference that is
not theirs (or does not exist) is "Page not found", never a hint that it exists.
"""

from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from porth.exchange import service as exchange
from porth.signin import service as signin
from porth.signin.service import current_citizen
from porth.submissions import service as submissions
from porth.utils.http import no_store

from . import reading, sections
from .text import paragraphs

REFERENCE_CHARS = 20  # Submission.reference's length: anything longer was never one
CALLS_PER_PAGE = 20


def day(moment: datetime) -> str:
    """7 December 2026 (7 Rhagfyr 2026), in the service's time zone."""
    return formats.date_format(timezone.localtime(moment).date(), "j F Y")


def when(moment: datetime) -> str:
    """7 December 2026 at 2:05pm, in the page's language."""
    local = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {
        "day": formats.date_format(local.date(), "j F Y"),
        "time": formats.time_format(local.time(), "g:iA").lower(),
    }


DATES = {"day": day, "when": when}


def sign_in_url(back_to: str) -> str | None:
    """Where "Sign in" goes (and back here after), or None where no provider is configured:
    the page then says what this is without a link that could only fail."""
    return signin.sign_in_url(back_to) if signin.available() else None


def _sign_in(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/sign_in.html",
        {"sign_in_url": sign_in_url(request.path), "back_url": None},
    )


@no_store
@require_safe
def your_applications(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    return render(
        request,
        "applications/list.html",
        {
            "sent": reading.sent(citizen),
            "in_progress": reading.in_progress(citizen),
            "sections": sections.on_list(request, citizen),
            **DATES,
        },
    )


@no_store
@require_safe
def application(request: HttpRequest, reference: str) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    found = reading.application(citizen, reference) if len(reference) <= REFERENCE_CHARS else None
    if found is None:
        raise Http404
    return render(
        request,
        "applications/application.html",
        {
            "application": found,
            "back_url": reverse("your-applications"),
            "sections": sections.on_application(request, citizen, found.submission),
            "paragraphs": paragraphs,
            **DATES,
        },
    )


@no_store
@require_POST
def continue_journey(request: HttpRequest) -> HttpResponse:
    """ "Continue": the citizen's own journey, opened in this browser where they left it."""
    citizen = current_citizen(request)
    if citizen is None:
        return HttpResponseRedirect(reverse("your-applications"), status=303)
    journey = reading.find_journey(citizen, request.POST.get("journey", "")[:64])
    if journey is None:
        raise Http404  # not theirs, never was, or sent or deleted meanwhile
    opened = submissions.open_here(request, journey.pk)
    if opened is None:
        raise Http404
    return opened


@no_store
@require_safe
def who_used_your_data(request: HttpRequest) -> HttpResponse:
    """Every exchange call made about the signed-in citizen, newest first, a page at a time
    (as Estonia's Data Tracker shows)."""
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    paginator = Paginator(exchange.calls_about(citizen), CALLS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page", "1")[:6])
    return render(
        request,
        "applications/who_used_your_data.html",
        {
            "calls": exchange.describe(list(page.object_list)),
            "total": paginator.count,
            "pagination": _pagination(page.number, paginator.num_pages),
            "back_url": reverse("your-applications"),
            **DATES,
        },
    )


def _pagination(number: int, pages: int) -> dict[str, Any]:
    """GOV.UK pagination: the first, last and nearby pages, "…" between."""
    if pages <= 1:
        return {}
    shown = sorted({1, pages, number - 1, number, number + 1} & set(range(1, pages + 1)))
    items: list[dict[str, Any]] = []
    for n in shown:
        if items and n - items[-1].get("number", n) > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "href": f"?page={n}", "current": n == number})
    return {
        "items": items,
        "previous": {"href": f"?page={number - 1}"} if number > 1 else None,
        "next": {"href": f"?page={number + 1}"} if number < pages else None,
    }


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    """ "Withdraw consent": what it does and does not do, then a button (a POST)."""
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in(request)
    consent = exchange.find_consent(citizen, consent_id)
    if consent is None:
        raise Http404  # not theirs, or never was
    back = reverse("your-applications") + "#consents"
    if request.method == "POST" or consent.withdrawn_at is not None:
        if request.method == "POST":
            exchange.withdraw(citizen, consent_id)
        return HttpResponseRedirect(back, status=303)
    return render(
        request,
        "applications/withdraw_consent.html",
        {"consent": consent, "back_url": back, **DATES},
    )
