"""A local stand-in for GOV.UK Notify's API, strict where Notify is strict, so that the
official client and Porth's channel are tested against what Notify checks and answers.

It checks each request as Notify does (app/authentication/auth.py of alphagov/notifications-api):
a bearer JSON Web Token signed HS256 with the API key's secret, whose `iss` is the service id
and whose `iat` is within 30 seconds of the server's clock; then the JSON body of
POST /v2/notifications/email and /sms against Notify's schema. It answers with Notify's
201 response, or its errors in Notify's format:
{"status_code": 400, "errors": [{"error": "ValidationError", "message": "..."}]}.

Notify's test addresses behave as they do with a test key: temp-fail@simulator.notify and
07700900003 fail temporarily, perm-fail@simulator.notify and 07700900002 permanently, others
are delivered; the smoke-test addresses are accepted and kept nowhere. Each message that
gets a status gets a delivery receipt in Notify's callback JSON (`callbacks`), also posted to
`callback_url` when one is set. Tests make it answer otherwise with `answer_next`.

The `fake_notify` fixture runs one, with Porth's settings pointing at it (import it into the
test module that uses it).
"""

import contextlib
import json
import re
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

CLOCK_BOUND = 30  # seconds either way, as Notify allows
GENERAL_TOKEN_ERROR = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

TEMPORARY_FAILURE = {"temp-fail@simulator.notify", "07700900003"}
PERMANENT_FAILURE = {"perm-fail@simulator.notify", "07700900002"}
SMOKE_TEST = {
    "simulate-delivered@notifications.service.gov.uk",
    "simulate-delivered-2@notifications.service.gov.uk",
    "simulate-delivered-3@notifications.service.gov.uk",
    "07700900000",
    "07700900111",
    "07700900222",
}

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_EMAIL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+@[^\s@\"(),:;<>\[\]\\]+\.[^\s@\"(),:;<>\[\]\\]+$")
_PLACEHOLDER = re.compile(r"\(\(([^()?]+)\)\)")

FIELDS = {
    "email": {
        "email_address",
        "template_id",
        "personalisation",
        "reference",
        "email_reply_to_id",
        "one_click_unsubscribe_url",
    },
    "sms": {"phone_number", "template_id", "personalisation", "reference", "sms_sender_id"},
}
RECIPIENT = {"email": "email_address", "sms": "phone_number"}


class NotifyError(Exception):
    def __init__(
        self, status: int, error: str, *messages: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, error, messages)
        self.status = status
        self.body = {
            "status_code": status,
            "errors": [{"error": error, "message": message} for message in messages],
        }
        self.headers = headers or {}


@dataclass
class Template:
    id: str
    kind: str
    subject: str
    body: str
    version: int = 1


@dataclass
class Sent:
    """A notification Notify holds: what it was asked to send, and what became of it."""

    id: str
    kind: str
    to: str
    template: Template
    personalisation: dict[str, Any]
    reference: str | None
    status: str
    subject: str
    body: str
    created_at: datetime
    completed_at: datetime | None
    request: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class FakeNotify:
    """Start with `running()`; `api_key` is a key it accepts; `url` its base URL."""

    def __init__(
        self,
        *,
        key_name: str = "porth_tests",
        allowed_recipients: set[str] | None = None,
        callback_url: str = "",
        callback_token: str = "",
    ) -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"{key_name}-{self.service_id}-{self.secret}"
        # A team-only key: only these may receive (None: a live key, anyone may).
        self.allowed_recipients = allowed_recipients
        self.callback_url = callback_url
        self.callback_token = callback_token
        self.email_template = Template(str(uuid.uuid4()), "email", "((subject))", "((body))")
        self.sms_template = Template(str(uuid.uuid4()), "sms", "", "((body))")
        self.templates = {t.id: t for t in (self.email_template, self.sms_template)}
        self.notifications: list[Sent] = []
        self.callbacks: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request
        self.clock: Callable[[], float] = time.time
        self._next: list[Answer] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- For tests -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer_next(
        self, status: int, error: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        """The next request that passes authentication gets this error instead."""
        body = {"status_code": status, "errors": [{"error": error, "message": message}]}
        with self._lock:
            self._next.append(Answer(status, body, headers or {}))

    def sent_to(self, to: str) -> list[Sent]:
        return [n for n in self.notifications if n.to == to]

    @contextmanager
    def running(self) -> Iterator["FakeNotify"]:
        fake = self

        class Handler(_Handler):
            notify = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(5)

    # --- What Notify does ------------------------------------------------------------------

    def authenticate(self, header: str | None) -> None:
        if not header:
            raise NotifyError(
                401, "AuthError", "Unauthorized: authentication token must be provided"
            )
        if header[:7].title() != "Bearer ":
            raise NotifyError(
                401, "AuthError", "Unauthorized: authentication bearer scheme must be used"
            )
        token = header[7:]
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            header_fields = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise NotifyError(403, "AuthError", GENERAL_TOKEN_ERROR) from None
        if "iss" not in unverified:
            raise NotifyError(403, "AuthError", "Invalid token: iss field not provided")
        try:
            uuid.UUID(str(unverified["iss"]))
        except ValueError:
            raise NotifyError(
                403, "AuthError", "Invalid token: service id is not the right data type"
            ) from None
        if unverified["iss"] != self.service_id:
            raise NotifyError(403, "AuthError", "Invalid token: service not found")
        if header_fields.get("alg") != "HS256":
            raise NotifyError(403, "AuthError", "Invalid token: algorithm used is not HS256")
        try:
            claims = jwt.decode(
                token, key=self.secret, algorithms=["HS256"], options={"verify_iat": False}
            )
        except jwt.InvalidSignatureError:
            raise NotifyError(403, "AuthError", "Invalid token: API key not found") from None
        except jwt.InvalidTokenError:
            raise NotifyError(403, "AuthError", GENERAL_TOKEN_ERROR) from None
        if "iat" not in claims:
            raise NotifyError(403, "AuthError", "Invalid token: API key not found")
        if abs(int(self.clock()) - int(claims["iat"])) > CLOCK_BOUND:
            raise NotifyError(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )

    def canned(self) -> Answer | None:
        with self._lock:
            return self._next.pop(0) if self._next else None

    def post_notification(self, kind: str, data: Any, root: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise NotifyError(400, "ValidationError", "Invalid JSON supplied in POST data")
        errors = self._schema_errors(kind, data)
        if errors:
            raise NotifyError(400, "ValidationError", *errors)
        template = self.templates.get(data["template_id"])
        if template is None or template.kind != kind:
            raise NotifyError(400, "BadRequestError", "Template not found")
        to = _normalise(kind, data[RECIPIENT[kind]])
        if self.allowed_recipients is not None and to not in self.allowed_recipients:
            raise NotifyError(
                400, "BadRequestError", "Can't send to this recipient using a team-only API key"
            )
        personalisation = data.get("personalisation") or {}
        missing = sorted(
            {name.strip() for name in _PLACEHOLDER.findall(template.subject + template.body)}
            - set(personalisation)
        )
        if missing:
            raise NotifyError(
                400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"
            )
        subject = _fill(template.subject, personalisation)
        body = _fill(template.body, personalisation)
        now = datetime.now(UTC)
        status = (
            "temporary-failure"
            if to in TEMPORARY_FAILURE
            else "permanent-failure"
            if to in PERMANENT_FAILURE
            else "delivered"
        )
        sent = Sent(
            id=str(uuid.uuid4()),
            kind=kind,
            to=to,
            template=template,
            personalisation=personalisation,
            reference=data.get("reference"),
            status=status,
            subject=subject,
            body=body,
            created_at=now,
            completed_at=now,
            request=data,
        )
        if to not in SMOKE_TEST:  # accepted, and kept nowhere
            with self._lock:
                self.notifications.append(sent)
            self._receipt(sent)
        content: dict[str, Any] = {"body": body}
        if kind == "email":
            content |= {
                "subject": subject,
                "from_email": "porth.tests@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            }
        else:
            content["from_number"] = "GOVUK"
        return {
            "id": sent.id,
            "reference": sent.reference,
            "content": content,
            "uri": f"{root}/v2/notifications/{sent.id}",
            "template": {
                "id": template.id,
                "version": template.version,
                "uri": f"{root}/services/{self.service_id}/templates/{template.id}",
            },
            "scheduled_for": None,
        }

    def list_notifications(self, query: dict[str, list[str]], root: str) -> dict[str, Any]:
        reference = query["reference"][0] if "reference" in query else None
        status = query["status"][0] if "status" in query else None
        with self._lock:
            found = [
                n
                for n in reversed(self.notifications)
                if (reference is None or n.reference == reference)
                and (status is None or n.status == status)
            ]
        return {
            "notifications": [self._notification(n, root) for n in found],
            "links": {"current": f"{root}/v2/notifications"},
        }

    def _notification(self, n: Sent, root: str) -> dict[str, Any]:
        return {
            "id": n.id,
            "reference": n.reference,
            "email_address": n.to if n.kind == "email" else None,
            "phone_number": n.to if n.kind == "sms" else None,
            "type": n.kind,
            "status": n.status,
            "template": {
                "id": n.template.id,
                "version": n.template.version,
                "uri": f"{root}/v2/template/{n.template.id}",
            },
            "body": n.body,
            "subject": n.subject if n.kind == "email" else None,
            "created_at": n.created_at.strftime(DATETIME_FORMAT),
            "created_by_name": None,
            "sent_at": n.created_at.strftime(DATETIME_FORMAT),
            "completed_at": n.completed_at.strftime(DATETIME_FORMAT) if n.completed_at else None,
            "scheduled_for": None,
        }

    def _receipt(self, n: Sent) -> None:
        """Notify's delivery-status callback for a message (service_callback_tasks.py)."""
        payload = {
            "id": n.id,
            "reference": n.reference,
            "to": n.to,
            "status": n.status,
            "created_at": n.created_at.strftime(DATETIME_FORMAT),
            "completed_at": n.completed_at.strftime(DATETIME_FORMAT) if n.completed_at else None,
            "sent_at": n.created_at.strftime(DATETIME_FORMAT),
            "notification_type": n.kind,
            "template_id": n.template.id,
            "template_version": n.template.version,
        }
        with self._lock:
            self.callbacks.append(payload)
        if self.callback_url:
            request = urllib.request.Request(
                self.callback_url,
                data=json.dumps(payload).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.callback_token}",
                },
                method="POST",
            )
            threading.Thread(target=_post_quietly, args=(request,), daemon=True).start()

    @staticmethod
    def _schema_errors(kind: str, data: dict[str, Any]) -> list[str]:
        """Notify's JSON schema for the request (app/v2/notifications/notification_schemas.py),
        with its messages."""
        errors = []
        recipient = RECIPIENT[kind]
        for name in (recipient, "template_id"):
            if name not in data:
                errors.append(f"{name} is a required property")
        unexpected = sorted(set(data) - FIELDS[kind])
        if unexpected:
            errors.append(
                f"Additional properties are not allowed ({', '.join(map(repr, unexpected))} "
                f"{'was' if len(unexpected) == 1 else 'were'} unexpected)"
            )
        if "template_id" in data and not (
            isinstance(data["template_id"], str) and _UUID.match(data["template_id"])
        ):
            errors.append("template_id is not a valid UUID")
        for name in ("email_reply_to_id", "sms_sender_id"):
            if name in data and not (isinstance(data[name], str) and _UUID.match(data[name])):
                errors.append(f"{name} is not a valid UUID")
        if "reference" in data and not isinstance(data["reference"], str):
            errors.append(f"reference {data['reference']!r} is not of type 'string'")
        if "personalisation" in data and not isinstance(data["personalisation"], dict):
            errors.append("personalisation should contain key value pairs")
        if recipient in data:
            problem = _recipient_problem(kind, data[recipient])
            if problem:
                errors.append(f"{recipient} {problem}")
        return errors


class _Handler(BaseHTTPRequestHandler):
    notify: FakeNotify
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        notify = self.notify
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with notify._lock:
            notify.requests.append((method, parts.path))
        root = f"http://{self.headers.get('Host')}"
        try:
            notify.authenticate(self.headers.get("Authorization"))
            canned = notify.canned()
            if canned is not None:
                self._reply(canned.status, canned.body, canned.headers)
                return
            if method == "POST" and parts.path in {
                "/v2/notifications/email",
                "/v2/notifications/sms",
            }:
                try:
                    data = json.loads(raw or b"null")
                except ValueError:
                    raise NotifyError(
                        400, "ValidationError", "Invalid JSON supplied in POST data"
                    ) from None
                kind = parts.path.rsplit("/", 1)[1]
                self._reply(201, notify.post_notification(kind, data, root))
            elif method == "GET" and parts.path == "/v2/notifications":
                self._reply(200, notify.list_notifications(parse_qs(parts.query), root))
            else:
                raise NotifyError(
                    404, "ResourceNotFound", "The requested URL was not found on the server."
                )
        except NotifyError as error:
            self._reply(error.status, error.body, error.headers)

    def _reply(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _recipient_problem(kind: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value!r} is not of type 'string'"
    if kind == "email":
        return None if _EMAIL.match(value.strip()) else "Not a valid email address"
    if re.search(r"[^\d\s()+-]", value):
        return "Must not contain letters or symbols"
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44"):
        digits = digits[2:]
    digits = digits.removeprefix("0")
    if len(digits) > 10:
        return "Too many digits"
    if len(digits) < 10:
        return "Not enough digits"
    if not digits.startswith("7"):
        return "Not a UK mobile number"
    return None


def _normalise(kind: str, value: str) -> str:
    """The address as Notify matches it: a UK mobile as 07…, an email trimmed."""
    if kind == "email":
        return value.strip()
    digits = re.sub(r"\D", "", value)
    for prefix in ("0044", "44"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
            break
    return digits


def _fill(text: str, personalisation: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1).strip()]), text)


def _post_quietly(request: urllib.request.Request) -> None:
    # Notify would retry a 5xx later; the tests read `callbacks` instead.
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=5).close()


@pytest.fixture
def fake_notify(settings: Any) -> Iterator[FakeNotify]:
    """A local GOV.UK Notify, with Porth's settings pointing at it."""
    fake = FakeNotify()
    with fake.running():
        settings.PORTH_NOTIFY_API_KEY = fake.api_key
        settings.PORTH_NOTIFY_BASE_URL = fake.url
        settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = fake.email_template.id
        settings.PORTH_NOTIFY_SMS_TEMPLATE_ID = fake.sms_template.id
        yield fake
