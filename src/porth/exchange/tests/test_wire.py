"""Two organisations exchanging over real HTTP on loopback (the live server): signed both
ways, and every kind of bad call refused with a structured 4xx, logged on both sides."""

import datetime as dt
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.exchange import actions, handlers, keys, partners, signatures, transport
from porth.exchange.models import Direction, MessageLog, Outcome, Partner, SigningKey
from porth.exchange.service import Refused, Unavailable, call, calls_about
from porth.signin.models import CitizenAccount

from .helpers import (
    CALLER,
    PROVIDER,
    PURPOSE,
    Pair,
    answer_json,
    fake_server,
    make_case,
    send,
    signed,
    with_body,
)
from .helpers import pair as make_pair

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two(live_server: Any) -> Iterator[Pair]:
    partners.forget()
    yield make_pair(live_server.url)
    partners.forget()
    # Close kept-alive connections, so the live server's threads (and their database
    # connections) end before the test database is dropped.
    transport.http().close()
    transport.http.cache_clear()


def _call(two: Pair, **kwargs: Any) -> Any:
    arguments: dict[str, Any] = {
        "caller": two.caller,
        "provider": PROVIDER,
        "service": "confirm-application",
        "purpose": PURPOSE,
        "reference": "BC-0001",
        "query": {"reference": "BA-1234-ABCD"},
    } | kwargs
    return call(**arguments)


def _url(two: Pair) -> str:
    return f"{two.url}/exchange/v1/{PROVIDER}/confirm-application"


def _problem(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    found: dict[str, Any] = response.json()
    assert {"type", "title", "detail"} <= set(found)
    return found


def test_a_granted_call_is_answered_signed_both_ways_and_logged_on_both_sides(
    two: Pair,
) -> None:
    make_case(two.provider, reference="BA-1234-ABCD")
    citizen = CitizenAccount.objects.create(issuer="https://oidc.example", subject="s-1")
    reply = _call(two, citizen=citizen)
    assert reply.data["found"] is True
    assert reply.data["approved"] is True
    assert reply.signed_by.startswith(f"{PROVIDER}-")
    sent = MessageLog.objects.get(organisation=two.caller, message_id=reply.message_id)
    received = MessageLog.objects.get(organisation=two.provider, message_id=reply.message_id)
    assert sent.direction == Direction.OUT and received.direction == Direction.IN
    assert sent.outcome == received.outcome == Outcome.ANSWERED
    assert sent.request_digest == received.request_digest != ""
    assert sent.response_digest == received.response_digest != ""
    assert "keyid" in sent.request_signature and "keyid" in received.response_signature
    assert sent.citizen == citizen
    assert list(calls_about(citizen)) == [sent]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"exchange.sent", "exchange.received"} <= actions


def test_the_caller_keys_are_fetched_from_its_published_jwks(two: Pair) -> None:
    body = httpx.get(f"{two.url}/exchange/v1/{CALLER}/jwks.json").json()
    _call(two)  # the agency verified the council through this JWKS
    (kid,) = [key.kid for key in SigningKey.objects.filter(organisation=two.caller)]
    assert [
        jwk["kid"] for jwk in httpx.get(f"{two.url}/exchange/v1/{CALLER}/jwks.json").json()["keys"]
    ] == [kid]
    assert body == {"keys": []} or body["keys"][0]["kty"] == "OKP"


def test_a_forged_body_is_refused_401(two: Pair) -> None:
    request = signed(
        _url(two), {"reference": "A"}, caller=two.caller, body=b'{"query":{"reference":"B"}}'
    )
    response = send(request)
    assert response.status_code == 401
    assert _problem(response)["type"].endswith("bad-signature")
    assert "Content-Digest" in _problem(response)["detail"]
    entry = MessageLog.objects.get(organisation=two.provider)
    assert entry.outcome == Outcome.REFUSED and entry.status == 401


def test_a_signature_by_the_wrong_key_is_refused_401(two: Pair) -> None:
    kid, _ = keys.signing_key(two.caller)
    request = signed(
        _url(two), {"reference": "A"}, caller=two.caller, key=(kid, Ed25519PrivateKey.generate())
    )
    response = send(request)
    assert response.status_code == 401
    assert _problem(response)["type"].endswith("bad-signature")


def test_an_unknown_key_is_refused_401(two: Pair) -> None:
    request = signed(
        _url(two),
        {"reference": "A"},
        caller=two.caller,
        key=("nobody-1", Ed25519PrivateKey.generate()),
    )
    response = send(request)
    assert response.status_code == 401
    assert "unknown key" in _problem(response)["detail"]


def test_an_expired_key_is_refused_401(two: Pair, live_server: Any) -> None:
    Partner.objects.filter(slug=CALLER).update(jwks_url="")  # checked against the keys here
    keys.signing_key(two.caller)
    SigningKey.objects.filter(organisation=two.caller).update(
        not_after=timezone.now() - timedelta(seconds=1)
    )
    old = SigningKey.objects.get(organisation=two.caller)
    request = signed(
        _url(two),
        {"reference": "A"},
        caller=two.caller,
        key=(old.kid, keys._private(old.kid, bytes(old.private_key), old.key_id)),
    )
    response = send(request)
    assert response.status_code == 401
    assert "expired" in _problem(response)["detail"]


def test_a_retired_key_is_refused_401(two: Pair) -> None:
    Partner.objects.filter(slug=CALLER).update(jwks_url="")
    kid, private = keys.signing_key(two.caller)
    actions.retire_key(SigningKey.objects.get(kid=kid))
    response = send(signed(_url(two), {"reference": "A"}, caller=two.caller, key=(kid, private)))
    assert response.status_code == 401
    assert "retired" in _problem(response)["detail"]


def test_after_a_rotation_the_new_key_signs_and_the_old_one_still_verifies(
    two: Pair, monkeypatch: Any
) -> None:
    monkeypatch.setattr(partners, "REFETCH_SECONDS", 0.0)  # no need to wait a second
    old_kid, old_key = keys.signing_key(two.caller)
    first = _call(two)
    new = actions.rotate_key(two.caller)
    assert keys.signing_key(two.caller)[0] == new.kid != old_kid
    second = _call(two)  # signed with the new key: the agency refetches the JWKS
    assert first.data == second.data
    sent = MessageLog.objects.get(message_id=second.message_id, direction=Direction.OUT)
    assert f'keyid="{new.kid}"' in sent.request_signature
    late = send(signed(_url(two), {"reference": "A"}, caller=two.caller, key=(old_kid, old_key)))
    assert late.status_code == 200


def test_a_replayed_message_id_is_refused_409(two: Pair) -> None:
    request = signed(_url(two), {"reference": "A"}, caller=two.caller, message_id="once-only")
    assert send(request).status_code == 200
    again = send(signed(_url(two), {"reference": "A"}, caller=two.caller, message_id="once-only"))
    assert again.status_code == 409
    assert _problem(again)["type"].endswith("replay")


def test_a_signature_made_outside_the_window_is_refused_401(two: Pair) -> None:
    for skew in (-120, 120):
        when = dt.datetime.now(dt.UTC) + timedelta(seconds=skew)
        response = send(signed(_url(two), {"reference": "A"}, caller=two.caller, now=when))
        assert response.status_code == 401
        assert _problem(response)["type"].endswith("stale-signature")


def test_a_call_without_a_grant_for_that_purpose_is_refused_403(two: Pair) -> None:
    with pytest.raises(Refused) as refused:
        _call(two, purpose="housing-benefit")
    assert refused.value.status == 403
    assert refused.value.type.endswith("no-grant")
    sent = MessageLog.objects.get(organisation=two.caller)
    assert sent.outcome == Outcome.REFUSED and "may not call" in sent.reason


def test_a_revoked_grant_is_refused_403(two: Pair) -> None:
    grant = two.service.grants.get()
    owner = grant.granted_by
    actions.revoke(grant, actor=owner)
    with pytest.raises(Refused):
        _call(two)


def test_malformed_calls_get_400_and_never_500(two: Pair) -> None:
    url = _url(two)
    bare = httpx.post(url, content=b"{}", headers={"Content-Type": "application/json"})
    assert bare.status_code == 400
    not_json = send(signed(url, {}, caller=two.caller))
    assert not_json.status_code == 200 or not_json.status_code == 400
    request = signed(url, {"reference": "A"}, caller=two.caller)
    assert send(with_body(request, b"not json")).status_code == 401  # its digest no longer matches
    assert httpx.get(url).status_code == 405
    with pytest.raises(Refused) as refused:
        _call(two, query={"reference": ""})
    assert refused.value.status == 400


def test_an_unknown_service_is_refused_404(two: Pair) -> None:
    with pytest.raises(Refused) as refused:
        _call(two, service="no-such-service")
    assert refused.value.status == 404


def test_a_response_from_the_wrong_key_is_not_trusted(two: Pair) -> None:
    # The agency's answers are signed by its newest key; the council is told that key is not
    # the agency's (only a key the council does not know): the answer is Unavailable.
    keys.signing_key(two.provider)
    Partner.objects.filter(slug=PROVIDER).update(
        jwks_url=f"{two.url}/exchange/v1/{CALLER}/jwks.json"
    )
    with pytest.raises(Unavailable, match="not trusted"):
        _call(two)


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(2)
    answer_json(200, {})(handler)


def test_a_partner_that_times_out_is_unavailable_and_logged(two: Pair) -> None:
    with fake_server(_slow) as url:
        Partner.objects.filter(slug=PROVIDER).update(base_url=url)
        with pytest.raises(Unavailable, match="did not answer"):
            _call(two, timeout=0.3)
    sent = MessageLog.objects.get(organisation=two.caller)
    assert sent.outcome == Outcome.UNAVAILABLE and sent.status is None


def test_a_partner_answering_500_is_unavailable(two: Pair) -> None:
    with fake_server(answer_json(500, {"error": "boom"})) as url:
        Partner.objects.filter(slug=PROVIDER).update(base_url=url)
        with pytest.raises(Unavailable, match="500"):
            _call(two)


def test_a_partner_that_is_not_listening_is_unavailable(two: Pair) -> None:
    Partner.objects.filter(slug=PROVIDER).update(base_url="http://127.0.0.1:9")
    with pytest.raises(Unavailable):
        _call(two)


def test_a_legacy_http_handler_answers_mapped_and_its_failure_is_a_signed_503(
    two: Pair, monkeypatch: Any
) -> None:
    seen: dict[str, Any] = {}

    def legacy(handler: BaseHTTPRequestHandler) -> None:
        seen["auth"] = handler.headers.get("Authorization")
        answer_json(200, {"BadgeValid": True, "Expiry": "2027-01-31"})(handler)

    monkeypatch.setenv("LEGACY_TOKEN", "s3cret")
    with fake_server(legacy) as url:
        service = actions.publish(
            two.provider,
            slug="confirm-badge",
            name="Confirm a Blue Badge",
            handler="http",
            config={
                "url": url,
                "timeout": 2,
                "token_env": "LEGACY_TOKEN",
                "map": {"valid": "BadgeValid", "expires": "Expiry"},
            },
        )
        actions.grant(
            service, caller=CALLER, purpose=PURPOSE, actor=two.service.grants.get().granted_by
        )
        reply = _call(two, service="confirm-badge", query={"badge": "AB12"})
    assert reply.data == {"valid": True, "expires": "2027-01-31"}
    assert seen["auth"] == "Bearer s3cret"
    service.config["url"] = "http://127.0.0.1:9"
    service.save()
    with pytest.raises(Unavailable, match="503"):
        _call(two, service="confirm-badge", query={"badge": "AB12"})
    received = MessageLog.objects.filter(organisation=two.provider).latest("id")
    assert received.outcome == Outcome.UNAVAILABLE and received.status == 503


def test_each_refusal_is_audited_on_the_providing_side(two: Pair) -> None:
    send(signed(_url(two), {"reference": "A"}, caller=two.caller, purpose="other"))
    event = AuditEvent.objects.filter(action="exchange.received").latest("id")
    assert event.data["outcome"] == Outcome.REFUSED and event.data["status"] == 403
    assert json.dumps(event.data)
    assert signatures.MESSAGE_ID in {
        k.lower() for k in signed(_url(two), {}, caller=two.caller).headers
    }


def test_a_handler_that_fails_unexpectedly_is_a_signed_503_not_a_500(
    two: Pair, monkeypatch: Any
) -> None:
    def broken(service: Any, query: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(handlers, "answer", broken)
    response = send(signed(_url(two), {"reference": "A"}, caller=two.caller))
    assert response.status_code == 503
    assert _problem(response)["type"].endswith("unavailable")
    assert "signature" in response.headers


def test_a_body_over_64_kb_is_refused_400(two: Pair) -> None:
    response = send(signed(_url(two), {"reference": "A" * 70_000}, caller=two.caller))
    assert response.status_code == 400
    assert "too big" in _problem(response)["detail"]
