"""Two organisations that exchange over HTTP on loopback, and what their tests share."""

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from porth.accounts.models import Organisation, Role
from porth.casework.models import Case, Queue, Status
from porth.casework.tests.helpers import definition_version, staff
from porth.exchange import actions, keys, signatures
from porth.exchange.models import ExchangeService, Partner
from porth.signin.models import CitizenAccount
from porth.submissions.models import Submission
from porth.utils.crypto import blind_index, encrypt

CALLER = "borough-council"
PROVIDER = "benefits-agency"
PURPOSE = "council-tax-reduction"


@dataclass
class Pair:
    caller: Organisation
    provider: Organisation
    service: ExchangeService
    url: str  # the live server's


def pair(live_url: str, *, remote_keys: bool = True) -> Pair:
    """The council calls the agency's confirm-application service; both are in this Porth
    and call each other over HTTP. The agency fetches the council's keys from its JWKS (as
    it would a partner on another Porth) when `remote_keys`."""
    caller = Organisation.objects.create(slug=CALLER, name="Borough Council")
    provider = Organisation.objects.create(slug=PROVIDER, name="Benefits Agency")
    jwks = f"{live_url}/exchange/v1/{CALLER}/jwks.json" if remote_keys else ""
    Partner.objects.create(slug=CALLER, name="Borough Council", base_url=live_url, jwks_url=jwks)
    Partner.objects.create(slug=PROVIDER, name="Benefits Agency", base_url=live_url)
    service = actions.publish(
        provider,
        slug="confirm-application",
        name="Confirm an application",
        config={"query": "confirm-reference"},
    )
    owner = staff((provider, Role.SERVICE_OWNER))
    actions.grant(service, caller=CALLER, purpose=PURPOSE, actor=owner)
    return Pair(caller, provider, service, live_url)


def make_case(
    org: Organisation,
    *,
    reference: str,
    status: str = Status.APPROVED,
    answers: dict[str, Any] | None = None,
    service: str = "test-service",
    citizen: CitizenAccount | None = None,
) -> Case:
    """A case on a submission with these answers (full_name indexed as the case's name),
    sent by `citizen` signed in, or by an anonymous applicant."""
    answers = answers or {"full_name": "Jo Bloggs"}
    queue, _ = Queue.objects.get_or_create(
        organisation=org, slug="applications", defaults={"name": "Applications"}
    )
    blob, key_id = encrypt(answers, context=f"submission:{reference}")
    submission = Submission.objects.create(
        reference=reference,
        service=service,
        definition=definition_version(service),
        answers=blob,
        key_id=key_id,
        language="en",
        citizen=citizen,
    )
    name_index, name_index_key = blind_index(str(answers.get("full_name", "")))
    return Case.objects.create(
        submission=submission,
        reference=reference,
        organisation=org,
        queue=queue,
        service=service,
        status=status,
        channel="online",
        name_index=name_index,
        name_index_key=name_index_key,
    )


def signed(
    url: str,
    query: dict[str, Any],
    *,
    caller: Organisation,
    purpose: str = PURPOSE,
    message_id: str | None = None,
    key: tuple[str, Ed25519PrivateKey] | None = None,
    now: dt.datetime | None = None,
    body: bytes | None = None,
) -> httpx.Request:
    """A request as the client signs it, for tests that then spoil one part of it."""
    content = json.dumps({"query": query}).encode()
    request = httpx.Request(
        "POST",
        url,
        content=content,
        headers={
            "Content-Type": "application/json",
            signatures.MESSAGE_ID: message_id or str(uuid.uuid4()),
            signatures.CALLER: caller.slug,
            signatures.PURPOSE: purpose,
            signatures.REFERENCE: "BC-0001",
        },
    )
    kid, private = key or keys.signing_key(caller)
    signatures.sign(
        request, content, kid=kid, key=private, window=60, covers=signatures.REQUEST_COVERS, now=now
    )
    return request if body is None else with_body(request, body)


def with_body(request: httpx.Request, body: bytes) -> httpx.Request:
    """The same signed headers with another body (what a forger would send)."""
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(request.method, request.url, content=body, headers=headers)


def send(request: httpx.Request) -> httpx.Response:
    with httpx.Client(timeout=10) as client:
        return client.send(request)


@contextmanager
def fake_server(handle: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A loopback HTTP server whose POSTs `handle` answers; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            handle(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answer_json(status: int, data: Any) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        handler.rfile.read(length)
        body = json.dumps(data).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return handle
