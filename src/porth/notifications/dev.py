"""/dev/outbox: what the local outbox channel took, newest first, for a developer on their
own machine. No sign-in, so it is no page of a production server: its address exists only
when PORTH_ENV is not production (porth/urls.py), the view refuses there too, and a system
check refuses the outbox channel in production."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .content import read_outbox
from .display import in_language, text_html, when
from .models import Kind, OutboxMessage

SHOWN = 100  # the newest; a developer's outbox rarely holds more


@never_cache
@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    if settings.PRODUCTION:
        raise Http404
    kept = list(OutboxMessage.objects.order_by("-created_at", "-pk")[:SHOWN])
    messages = []
    for message in kept:
        content = read_outbox(message)
        messages.append(
            {
                "kind": Kind(message.kind).label if message.kind in Kind.values else message.kind,
                "to": content["to"],
                "subject": content["subject"],
                "subject_html": in_language(content["subject"], message.language),
                "body_html": in_language(text_html(content["body"], links=True), message.language),
                "language": message.language,
                "reference": message.reference,
                "at_html": when(message.created_at),
            }
        )
    return render(
        request,
        "dev/outbox.html",
        {
            "title": "Local outbox",
            "messages": messages,
            "total": OutboxMessage.objects.count(),
            "channel": settings.PORTH_NOTIFICATION_CHANNEL,
        },
    )
