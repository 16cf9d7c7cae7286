"""Whatever a caller sends, the exchange answers with a structured 4xx (or a reply), never a
500: random headers, signatures and bodies, some of them signed properly."""

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porth.accounts.models import Organisation
from porth.exchange import actions, keys, signatures

from .helpers import CALLER, PROVIDER, PURPOSE

pytestmark = pytest.mark.django_db

URL = f"/exchange/v1/{PROVIDER}/confirm"
text = st.text(st.characters(codec="latin-1", exclude_characters="\r\n\x00"), max_size=120)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture
def agency() -> Organisation:
    provider = Organisation.objects.create(slug=PROVIDER, name="Benefits Agency")
    Organisation.objects.create(slug=CALLER, name="Borough Council")
    actions.publish(provider, slug="confirm", name="Confirm", config={"query": "confirm-reference"})
    return provider


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    headers=st.dictionaries(
        st.sampled_from(
            [*signatures.EXCHANGE_HEADERS, "signature", "signature-input", "content-digest"]
        ),
        text,
    ),
    body=st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps({"query": value}).encode()),
)
def test_unsigned_or_garbled_calls_get_a_problem_never_a_500(
    agency: Organisation, headers: dict[str, str], body: bytes
) -> None:
    response = Client().post(URL, body, content_type="application/json", headers=headers)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert {"type", "title", "detail"} <= set(json.loads(response.content))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=json_values, purpose=st.sampled_from([PURPOSE, "other"]), reference=text)
def test_properly_signed_calls_with_any_query_get_a_reply_or_a_problem(
    agency: Organisation, query: Any, purpose: str, reference: str
) -> None:
    caller = Organisation.objects.get(slug=CALLER)
    body = json.dumps({"query": query}).encode()
    message = signatures.Request(
        "POST",
        f"http://testserver{URL}",
        {
            signatures.MESSAGE_ID: f"m-{hash((json.dumps(query), purpose, reference))}",
            signatures.CALLER: CALLER,
            signatures.PURPOSE: purpose,
            signatures.REFERENCE: reference,
        },
    )
    kid, key = keys.signing_key(caller)
    try:
        signatures.sign(
            message, body, kid=kid, key=key, window=60, covers=signatures.REQUEST_COVERS
        )
    except Exception:
        return
    response = Client().post(URL, body, content_type="application/json", headers=message.headers)
    assert response.status_code in {200, 400, 403, 409}, response.content
