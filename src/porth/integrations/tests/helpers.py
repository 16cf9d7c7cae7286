"""Organisations, service owners, tokens and a loopback webhook receiver for these tests."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client

from porth.accounts.models import Organisation, Role, User
from porth.accounts.tests.factories import MembershipFactory, OrganisationFactory
from porth.integrations import tokens
from porth.integrations.models import ApiToken, Scope

ALL_SCOPES = list(Scope.values)


def organisation(slug: str) -> Organisation:
    made: Organisation = OrganisationFactory.create(slug=slug, name=slug.replace("-", " ").title())
    return made


def service_owner(org: Organisation) -> User:
    user: User = MembershipFactory.create(organisation=org, role=Role.SERVICE_OWNER).user
    return user


def token(
    org: Organisation, scopes: list[str] | None = None, **kwargs: Any
) -> tuple[ApiToken, str]:
    owner = service_owner(org)
    return tokens.make(org, "Case system", scopes or ALL_SCOPES, actor=owner, **kwargs)


def api(secret: str) -> Client:
    """A test client that sends the token on every request."""
    return Client(headers={"Authorization": f"Bearer {secret}"})


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """What the loopback receiver got, and what it answers: `answers` are status codes given
    in turn (the last one again once they run out); `delay` seconds before each answer."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=lambda: [204])
    delay: float = 0.0


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1, in a thread, that records what it is sent."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            state.received.append(Received(body, {k.lower(): v for k, v in self.headers.items()}))
            if state.delay:
                time.sleep(state.delay)
            status = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def foreign_case(org: Organisation, service: str = "other-service") -> Any:
    """A case (and submission) of another organisation's service."""
    from porth.casework.tests.helpers import make_case
    from porth.services.models import DefinitionVersion

    case = make_case(org, service=service, name="Olwen Other")
    for row in DefinitionVersion.objects.filter(slug=service):
        row.canonical = row.canonical | {"organisation": {"id": org.slug, "name": {"en": "x"}}}
        row.save(update_fields=["canonical"])
    return case
