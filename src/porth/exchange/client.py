"""The calling side: sign a request, send it, verify the signed answer, log and audit it.

Every call ends in one of three ways, each logged in the caller's message log and audited:
a Reply; Refused (the provider said no: 4xx, with its reason); Unavailable (no answer in
time, a connection error, a 5xx, or an answer whose signature does not verify), which a
journey treats as "ask the citizen instead".
"""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction

from porth.accounts.models import Organisation
from porth.audit.service import record

from . import keys, log, partners, signatures
from .models import Direction, Outcome
from .transport import http


class ExchangeError(Exception):
    """A call that gave no reply. `message_id` finds it in the message log."""

    def __init__(self, reason: str, *, message_id: str = "", status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id
        self.status = status


class Unavailable(ExchangeError):
    """The partner could not answer now (timeout, connection error, 5xx, untrusted answer)."""


class Refused(ExchangeError):
    """The partner refused the call (4xx). `problem` is its problem+json body."""

    def __init__(self, reason: str, *, problem: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.problem = problem
        self.type = str(problem.get("type", ""))


@dataclass(frozen=True)
class Reply:
    message_id: str
    provider: str
    service: str
    data: dict[str, Any] = field(default_factory=dict)
    signed_by: str = ""  # the provider's key id


@dataclass
class _Call:
    caller: Organisation
    provider: str
    service: str
    purpose: str
    reference: str
    citizen: Any
    message_id: str
    request: httpx.Request | None = None
    response: httpx.Response | None = None


def call(
    *,
    caller: Organisation,
    provider: str,
    service: str,
    purpose: str,
    reference: str,
    query: dict[str, Any],
    citizen: Any = None,
    timeout: float | None = None,
) -> Reply:
    """Call `provider`'s exchange `service` as `caller` for `purpose`, about the case or
    application `reference` (and the signed-in `citizen`, when known)."""
    this = _Call(caller, provider, service, purpose, reference, citizen, str(uuid.uuid4()))
    try:
        reply = _send(this, query, timeout or settings.PORTH_EXCHANGE_TIMEOUT)
    except ExchangeError as error:
        error.message_id = this.message_id
        outcome = Outcome.REFUSED if isinstance(error, Refused) else Outcome.UNAVAILABLE
        _log(this, outcome, error.reason)
        raise
    _log(this, Outcome.ANSWERED, "")
    return reply


def _send(this: _Call, query: dict[str, Any], timeout: float) -> Reply:
    try:
        base_url = partners.partner(this.provider).base_url.rstrip("/")
    except partners.UnknownPartner as error:
        raise Refused(str(error), problem={"type": "urn:porth:exchange:unknown-partner"}) from None
    body = json.dumps({"query": query}, separators=(",", ":")).encode()
    request = http().build_request(
        "POST",
        f"{base_url}/exchange/v1/{this.provider}/{this.service}",
        content=body,
        timeout=timeout,
        headers={
            "Content-Type": "application/json",
            signatures.MESSAGE_ID: this.message_id,
            signatures.CALLER: this.caller.slug,
            signatures.PURPOSE: this.purpose,
            signatures.REFERENCE: this.reference,
        },
    )
    kid, key = keys.signing_key(this.caller)
    window = settings.PORTH_EXCHANGE_WINDOW_SECONDS
    signatures.sign(
        request, body, kid=kid, key=key, window=window, covers=signatures.REQUEST_COVERS
    )
    this.request = request
    try:
        response = http().send(request)
    except httpx.TimeoutException:
        raise Unavailable(f"{this.provider} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as error:
        raise Unavailable(f"could not reach {this.provider}: {type(error).__name__}") from None
    this.response = response
    if response.status_code >= 500:
        raise Unavailable(f"{this.provider} answered {response.status_code}", status=500)
    try:
        signed_by = signatures.verify(
            response,
            response.content,
            find=partners.finder(this.provider),
            window=window,
            covers=signatures.RESPONSE_COVERS,
        )
    except signatures.Rejected as rejected:
        status = response.status_code
        if status == 404 and "signature" not in response.headers:
            # Only "no such organisation or service" comes unsigned: there is no key to sign it.
            raise Refused(_detail(response), problem=_json(response), status=404) from None
        raise Unavailable(f"the answer's signature is not trusted: {rejected.reason}") from None
    if response.status_code >= 400:
        problem = _json(response)
        raise Refused(_detail(response), problem=problem, status=response.status_code)
    data = _json(response)
    if not isinstance(data.get("reply"), dict) or data.get("message_id") != this.message_id:
        raise Unavailable("the answer is not a reply to this message")
    return Reply(this.message_id, this.provider, this.service, data["reply"], signed_by)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _detail(response: httpx.Response) -> str:
    problem = _json(response)
    return str(problem.get("detail") or problem.get("title") or f"HTTP {response.status_code}")


def _log(this: _Call, outcome: str, reason: str) -> None:
    request, response = this.request, this.response
    with transaction.atomic():
        log.append(
            this.caller,
            message_id=this.message_id,
            direction=Direction.OUT,
            caller=this.caller.slug,
            provider=this.provider,
            service=this.service,
            purpose=this.purpose,
            reference=this.reference,
            request_digest=request.headers.get("content-digest", "") if request else "",
            response_digest=response.headers.get("content-digest", "")[:200] if response else "",
            request_signature=signatures.signature_of(request.headers) if request else "",
            response_signature=signatures.signature_of(response.headers) if response else "",
            status=response.status_code if response is not None else None,
            outcome=outcome,
            reason=reason[:200],
            citizen=this.citizen,
        )
        record(
            "exchange.sent",
            organisation=this.caller,
            unsigned_label="system",
            data={
                "message_id": this.message_id,
                "provider": this.provider,
                "service": this.service,
                "purpose": this.purpose,
                "reference": this.reference[:20],
                "outcome": outcome,
            },
        )
