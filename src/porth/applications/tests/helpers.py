"""Signed-in citizens and a small service that opens a case, for the applications tests."""

import itertools
import textwrap
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.test import Client

from porth.conftest import MINIMAL
from porth.services import registry
from porth.signin.models import CitizenAccount
from porth.signin.service import log_in

SLUG = "test-service"
BASE = f"/services/{SLUG}"
_numbers = itertools.count(1)

PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"}, summary_label: {en: Name, cy: Enw}}
- id: email
  fields:
    - {id: email, type: email, label: {en: "Email address?", cy: "Cyfeiriad e-bost?"}, summary_label: {en: Email, cy: E-bost}}
"""
EXTRA = """
contact: {email: email}
templates:
  confirmation:
    email:
      subject: {en: "Application received: ((reference))", cy: "Cais wedi dod i law: ((reference))"}
      body:
        en: "We have your application.\\n\\nYour reference is ((reference))."
        cy: "Mae eich cais gennym.\\n\\nEich cyfeirnod yw ((reference))."
notify:
  - {when: submitted, template: confirmation}
on_submit:
  - case: {queue: applications, queue_name: {en: Applications}, sla: P10D, name: full_name}
"""


def write_service(directory: Path, slug: str = SLUG, *, name_cy: str = "Gwasanaeth prawf") -> None:
    body = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    text = MINIMAL.format(slug=slug, pages=body) + EXTRA
    (directory / f"{slug}.yaml").write_text(text.replace("Gwasanaeth prawf", name_cy))
    registry.reload()


def citizen(subject: str | None = None) -> CitizenAccount:
    return CitizenAccount.objects.create(
        issuer="https://oidc.example", subject=subject or f"urn:citizen:{next(_numbers)}"
    )


def sign_in(client: Client, account: CitizenAccount) -> Client:
    """Sign `account` in on `client` as porth.signin does after the provider's answer: log_in
    on a request carrying the client's session (its journeys are kept), saved back into the
    client's signed session cookie."""
    request = HttpRequest()
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    engine: Any = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(cookie.value if cookie else None)
    log_in(request, account)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return client


def answer(client: Client, page: str, data: dict[str, str], slug: str = SLUG) -> str:
    response = client.post(f"/services/{slug}/{page}", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return str(response.headers["Location"])


def apply(client: Client, name: str = "Jo Bloggs", slug: str = SLUG) -> str:
    """Fill in and send the service; the reference."""
    answer(client, "name", {"full_name": name}, slug)
    answer(client, "email", {"email": "jo@example.com"}, slug)
    response = client.post(f"/services/{slug}/check-answers", {})
    assert response.status_code == 303, response.content.decode()[:2000]
    from porth.submissions.models import Submission

    return Submission.objects.latest("submitted_at", "pk").reference
