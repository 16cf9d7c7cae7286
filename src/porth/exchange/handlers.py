"""How a providing organisation answers: a query over Porth's own data (a small typed
registry) or an HTTP call to its legacy system.

A handler gets the service's `config` and the caller's `query` (a JSON object) and returns
the reply's fields, or an `Answer` that also names the signed-in citizen whose application it
answered from (the providing side's message log then links the call to them, for their "who
has asked for information about you" page). It raises BadQuery for a query it cannot answer (the caller gets 400)
and SourceDown when the data behind it cannot be reached (503: the caller's journey goes on
without it).
"""

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from porth.casework.models import Case, Status
from porth.submissions.service import read_answers
from porth.utils.crypto import search_tokens

from .models import ExchangeService, Handler
from .transport import http

DECIDED = (Status.APPROVED, Status.REJECTED, Status.CLOSED)
MAX_CANDIDATES = 200  # answers decrypted to match one person, at most


class BadQuery(ValueError):
    """The query is missing something or is of the wrong shape."""


class SourceDown(Exception):
    """The system holding the answer did not answer."""


@dataclass(frozen=True)
class Answer:
    """A reply, and whom it was about: the id of the signed-in citizen whose application
    answered it (Submission.citizen), None when nobody this Porth knows (an anonymous
    applicant, nothing found, a legacy system)."""

    reply: dict[str, Any]
    about: int | None = None


class Query(ABC):
    """A query over Porth's own data. Subclasses name the query fields they take and the
    reply fields they give (shown to partners and to prefill)."""

    name: ClassVar[str]
    description: ClassVar[str]
    takes: ClassVar[tuple[str, ...]]
    gives: ClassVar[tuple[str, ...]]

    @abstractmethod
    def answer(
        self, service: ExchangeService, query: dict[str, Any]
    ) -> dict[str, Any] | Answer: ...


_queries: dict[str, Query] = {}


def register(query: Query) -> Query:
    _queries[query.name] = query
    return query


def queries() -> dict[str, Query]:
    return dict(_queries)


def _text(query: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = query.get(name, "")
    if not isinstance(value, str) or len(value) > 200 or (required and not value.strip()):
        raise BadQuery(f"'{name}' must be a non-empty string of up to 200 characters")
    return value.strip()


def _cases(service: ExchangeService) -> Any:
    """The providing organisation's cases, only for the services the config names (all of
    the organisation's if it names none)."""
    cases = Case.objects.filter(organisation_id=service.organisation_id)
    services = service.config.get("services")
    return cases.filter(service__in=services) if services else cases


class ConfirmReference(Query):
    """Confirm an application by its reference: which service, and where its case is."""

    name = "confirm-reference"
    description = "Confirms an application by its reference and says whether it is decided."
    takes = ("reference",)
    gives = ("found", "service", "status", "decided", "approved", "submitted_on")

    def answer(self, service: ExchangeService, query: dict[str, Any]) -> Answer:
        reference = _text(query, "reference").upper()
        case = (
            _cases(service)
            .filter(reference=reference)
            .select_related("submission")
            .only("service", "status", "created_at", "submission__citizen")
            .first()
        )
        if case is None:
            return Answer({"found": False})
        reply = {
            "found": True,
            "service": case.service,
            "status": case.status,
            "decided": case.status in DECIDED,
            "approved": case.status == Status.APPROVED,
            "submitted_on": case.created_at.date().isoformat(),
        }
        return Answer(reply, about=case.submission.citizen_id)


class ApprovedApplication(Query):
    """Does this person have an approved application? Answers are encrypted, so the person
    is found in two steps: the applicant's name through the cases' blind index (keyed hashes
    of its words, no decryption), then only those candidates' answers are decrypted and their
    email and date of birth compared. Config: {"name_field", "email_field", "dob_field"}: the
    definition's field ids (default name, email, date_of_birth)."""

    name = "approved-application"
    description = "Says whether the named person has an approved application."
    takes = ("name", "email", "date_of_birth")
    gives = ("approved", "decided_on")

    def answer(self, service: ExchangeService, query: dict[str, Any]) -> Answer:
        name = _text(query, "name")
        email = _text(query, "email", required=False).casefold()
        dob = _text(query, "date_of_birth", required=False)
        if not (email or dob):
            raise BadQuery("give 'email' or 'date_of_birth' as well as 'name'")
        config = service.config
        candidates = _cases(service).filter(status=Status.APPROVED).select_related("submission")
        by_key = search_tokens(name)
        if not any(by_key.values()):
            raise BadQuery("'name' has no words in it")
        found = []
        for key_id, tokens in by_key.items():
            cases = candidates.filter(name_index_key=key_id)
            for token in tokens:
                cases = cases.filter(name_index__contains=token)
            found.extend(cases.order_by("-updated_at")[:MAX_CANDIDATES])
        for case in found:
            answers = read_answers(case.submission)
            their_email = str(answers.get(config.get("email_field", "email"), "")).casefold()
            their_dob = str(answers.get(config.get("dob_field", "date_of_birth"), ""))
            if (not email or email == their_email) and (not dob or dob == their_dob):
                reply = {"approved": True, "decided_on": case.updated_at.date().isoformat()}
                return Answer(reply, about=case.submission.citizen_id)
        return Answer({"approved": False})


register(ConfirmReference())
register(ApprovedApplication())


def fields_of(service: ExchangeService) -> list[str]:
    """The reply's field ids: as configured, or those the query gives."""
    if service.fields:
        return [str(field["id"]) for field in service.fields if "id" in field]
    found = _queries.get(str(service.config.get("query", "")))
    return list(found.gives) if found else []


def _legacy(service: ExchangeService, query: dict[str, Any]) -> dict[str, Any]:
    """POST the query to the legacy system; map its JSON back (config "map": reply field →
    key in its answer; without one, the answer as it is)."""
    config = service.config
    headers = {"Accept": "application/json"}
    token = os.environ.get(str(config.get("token_env", "")), "") if config.get("token_env") else ""
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = http().post(
            str(config["url"]),
            json=query,
            headers=headers,
            timeout=float(config.get("timeout", 5)),
        )
    except httpx.HTTPError as error:
        raise SourceDown(f"the legacy system did not answer: {type(error).__name__}") from None
    if response.status_code >= 500:
        raise SourceDown(f"the legacy system answered {response.status_code}")
    if response.status_code >= 400:
        raise BadQuery(f"the legacy system refused the query ({response.status_code})")
    try:
        data = response.json()
    except ValueError:
        raise SourceDown("the legacy system's answer was not JSON") from None
    if not isinstance(data, dict):
        raise SourceDown("the legacy system's answer was not a JSON object")
    mapping = config.get("map")
    if not mapping:
        return data
    return {field: data.get(key) for field, key in mapping.items()}


def answer(service: ExchangeService, query: dict[str, Any]) -> Answer:
    """The reply to `query`, from the handler the organisation configured. A legacy system's
    answer is about nobody here: Porth cannot tell whom it found."""
    if service.handler == Handler.HTTP:
        return Answer(_legacy(service, query))
    found = _queries.get(str(service.config.get("query", "")))
    if found is None:
        raise SourceDown(f"no query {service.config.get('query')!r} is registered")
    given = found.answer(service, query)
    return given if isinstance(given, Answer) else Answer(given)
