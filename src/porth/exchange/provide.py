"""The providing side of a call: check it, answer it, log it, sign the answer.

Checks run in this order, and the first that fails decides the answer (problem+json):
unknown organisation or service 404; missing or malformed exchange headers 400; signature
(unknown, expired or retired key, wrong signature, body not matching its digest) 401;
signature created outside ±PORTH_EXCHANGE_WINDOW_SECONDS 401 (`stale-signature`); a body
that is not {"query": {...}} 400; a message id the caller has used before 409 (`replay`);
no grant for (service, caller, purpose) 403; a query the handler cannot answer 400; the
handler's source down 503. Every answer but the first is signed, logged in the providing
organisation's message log and audited; when the handler answered from the application of
a signed-in citizen, the log entry is linked to that citizen (not hashed: docs/exchange.md),
so the call shows on their "who has asked for information about you" page.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.audit.service import record

from . import handlers, keys, log, partners, signatures
from .models import Direction, ExchangeService, Grant, Outcome, SeenMessage

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
PROBLEM = "urn:porth:exchange:"


@dataclass
class Refusal(Exception):
    status: int
    code: str
    title: str
    detail: str


@dataclass
class Incoming:
    service: ExchangeService
    message_id: str = ""
    caller: str = ""
    purpose: str = ""
    reference: str = ""
    about: int | None = None  # the citizen the answer was about (handlers.Answer)


def problem(status: int, code: str, title: str, detail: str) -> HttpResponse:
    body = {"type": PROBLEM + code, "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _headers(request: HttpRequest, incoming: Incoming) -> None:
    values = {name: request.headers.get(name, "") for name in signatures.EXCHANGE_HEADERS}
    limits = {signatures.MESSAGE_ID: 100, signatures.REFERENCE: 40}
    for name, value in values.items():
        if not value.strip() or len(value) > limits.get(name, 80) or not value.isprintable():
            raise Refusal(400, "malformed", "Malformed request", f"header {name} is missing or bad")
    incoming.message_id = values[signatures.MESSAGE_ID]
    incoming.caller = values[signatures.CALLER]
    incoming.purpose = values[signatures.PURPOSE]
    incoming.reference = values[signatures.REFERENCE]


def _message(request: HttpRequest) -> signatures.Request:
    return signatures.Request(
        request.method or "POST", request.build_absolute_uri(), dict(request.headers)
    )


def _check(request: HttpRequest, incoming: Incoming, body: bytes) -> dict[str, Any]:
    """Everything from the headers to the grant; the query. Raises Refusal."""
    _headers(request, incoming)
    window = settings.PORTH_EXCHANGE_WINDOW_SECONDS
    try:
        signatures.verify(
            _message(request),
            body,
            find=partners.finder(incoming.caller),
            window=window,
            covers=signatures.REQUEST_COVERS,
        )
    except signatures.Rejected as rejected:
        code = "stale-signature" if rejected.stale else "bad-signature"
        raise Refusal(401, code, "Signature not accepted", rejected.reason) from None
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("query"), dict):
        raise Refusal(400, "malformed", "Malformed request", 'the body must be {"query": {…}}')
    try:
        with transaction.atomic():
            SeenMessage.objects.create(
                caller=incoming.caller, message_id=incoming.message_id, at=timezone.now()
            )
    except IntegrityError:
        raise Refusal(
            409, "replay", "Message already received", "this message id was used before"
        ) from None
    granted = Grant.objects.filter(
        service=incoming.service,
        caller=incoming.caller,
        purpose=incoming.purpose,
        revoked_at__isnull=True,
    ).exists()
    if not granted:
        raise Refusal(
            403,
            "no-grant",
            "Not allowed",
            f"{incoming.caller} may not call this service for {incoming.purpose}",
        )
    return dict(parsed["query"])


def handle(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    service = (
        ExchangeService.objects.select_related("organisation")
        .filter(organisation__slug=organisation, slug=slug)
        .first()
    )
    if service is None:
        logger.info("exchange call to unknown service %s/%s refused", organisation, slug)
        return problem(404, "not-found", "No such service", f"{organisation} has no {slug}")
    incoming = Incoming(service)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Not read when too big: Django would refuse it with an HTML page, not a problem.
    body = request.body if 0 < declared <= MAX_BODY else b""
    try:
        if not body:
            raise Refusal(400, "malformed", "Malformed request", "the body is empty or too big")
        query = _check(request, incoming, body)
        answered = _answer(service, query)
        reply, incoming.about = answered.reply, answered.about
        response = HttpResponse(
            json.dumps({"message_id": incoming.message_id, "service": slug, "reply": reply}),
            content_type="application/json",
        )
        outcome, reason = Outcome.ANSWERED, ""
    except (Refusal, handlers.BadQuery, handlers.SourceDown) as error:
        if isinstance(error, handlers.BadQuery):
            error = Refusal(400, "bad-query", "The query cannot be answered", str(error))
        elif isinstance(error, handlers.SourceDown):
            error = Refusal(503, "unavailable", "The answer is not available now", str(error))
        logger.info("exchange call %s refused: %s", incoming.message_id, error.detail)
        response = problem(error.status, error.code, error.title, error.detail)
        outcome = Outcome.REFUSED if error.status < 500 else Outcome.UNAVAILABLE
        reason = f"{error.code}: {error.detail}"[:200]
    return _signed_and_logged(request, incoming, body, response, outcome, reason)


def _answer(service: ExchangeService, query: dict[str, Any]) -> handlers.Answer:
    """The handler's reply. A handler that fails in a way it did not foresee is the source
    being unavailable to the caller (503), never a 500: the fault is logged here."""
    try:
        return handlers.answer(service, query)
    except (handlers.BadQuery, handlers.SourceDown):
        raise
    except Exception as error:
        logger.exception("exchange handler for %s failed", service)
        raise handlers.SourceDown(f"the handler failed ({type(error).__name__})") from None


def _sign_response(
    organisation: Organisation, request: HttpRequest, response: HttpResponse
) -> signatures.Response:
    """The response signed, bound to the request's signature when it has one the library
    can read (a malformed one is refused already: the refusal is signed unbound)."""
    kid, key = keys.signing_key(organisation)
    covers: tuple[str, ...] = signatures.RESPONSE_COVERS
    if "signature" in {name.lower() for name in request.headers}:
        attempts = [covers, covers[:-1]]
    else:
        attempts = [covers[:-1]]
    for number, attempt in enumerate(attempts, start=1):
        message = signatures.Response(
            response.status_code, _message(request), dict(response.items())
        )
        try:
            signatures.sign(
                message,
                response.content,
                kid=kid,
                key=key,
                window=settings.PORTH_EXCHANGE_WINDOW_SECONDS,
                covers=attempt,
            )
        except Exception:
            if number == len(attempts):
                raise
            continue
        break
    return message


def _signed_and_logged(
    request: HttpRequest,
    incoming: Incoming,
    body: bytes,
    response: HttpResponse,
    outcome: str,
    reason: str,
) -> HttpResponse:
    organisation: Organisation = incoming.service.organisation
    response[signatures.MESSAGE_ID] = incoming.message_id or "-"
    message = _sign_response(organisation, request, response)
    for name in ("Content-Digest", "Signature-Input", "Signature"):
        response[name] = message.headers[name]
    with transaction.atomic():
        log.append(
            organisation,
            message_id=incoming.message_id,
            direction=Direction.IN,
            caller=incoming.caller,
            provider=organisation.slug,
            service=incoming.service.slug,
            purpose=incoming.purpose,
            reference=incoming.reference,
            request_digest=request.headers.get("Content-Digest", "")[:200],
            response_digest=message.headers["Content-Digest"],
            request_signature=signatures.signature_of(request.headers),
            response_signature=signatures.signature_of(message.headers),
            status=response.status_code,
            outcome=outcome,
            reason=reason,
            citizen_id=incoming.about,
        )
        record(
            "exchange.received",
            organisation=organisation,
            unsigned_label=f"exchange:{incoming.caller or '?'}"[:200],
            data={
                "message_id": incoming.message_id,
                "caller": incoming.caller,
                "service": incoming.service.slug,
                "purpose": incoming.purpose,
                "reference": incoming.reference[:20],
                "outcome": outcome,
                "status": response.status_code,
            },
        )
    return response
