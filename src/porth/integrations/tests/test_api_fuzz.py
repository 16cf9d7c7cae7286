"""The REST API fuzzed from its own OpenAPI document with schemathesis: valid and invalid
queries, paths and bodies, with a valid token (and without, by schemathesis's auth checks).
Nothing may answer 5xx, and every answer must be one the document promises, in its shape.

The document is read from the app as it serves it (the committed one: test_api_contract pins
that), and requests go to the Django app through WSGI, inside the test's transaction. Examples are bounded and derandomised: quick, and the same in every CI run."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from porth.accounts.models import Organisation
from porth.casework.models import Status
from porth.casework.tests.helpers import make_case
from porth.wsgi import application

from .helpers import foreign_case, token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_connection() -> Iterator[None]:
    """As Django's test client does: the end of a request through the WSGI app must not close
    the database connection, which holds the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(org: Organisation, other_org: Organisation) -> dict[str, str]:
    """A token with every scope, some cases of its organisation and one of another's."""
    make_case(org, reference="TS-AAAA-AAAA")
    make_case(org, reference="TS-CCCC-CCCC", status=Status.IN_PROGRESS)
    foreign_case(other_org)
    _, secret = token(org)
    # identity: the WSGI transport hands schemathesis the body as the app wrote it, and the
    # site gzips what a client says it can take.
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_keeps_to_its_document(case: Any, headers: dict[str, str]) -> None:
    # Every check but "schema-valid data is accepted": some input fits the schema yet is
    # refused on purpose, with a 422 (a cursor this API never gave, a time before 1970).
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
