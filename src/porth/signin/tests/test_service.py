"""The public API other apps use, the settings checks, and Porth with sign-in not set up."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.checks import run_checks
from django.test import Client, RequestFactory
from django.utils import timezone

from porth.signin import actions, keys
from porth.signin.models import CitizenAccount, CitizenSession
from porth.signin.service import available, current_citizen, log_in
from porth.signin.tasks import forget_old_sessions

pytestmark = pytest.mark.django_db


def _request() -> Any:
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type]
    return request


def test_log_in_signs_a_citizen_in_on_any_request_with_a_session() -> None:
    account = CitizenAccount.objects.create(issuer="https://idp.example", subject="s1")
    request = _request()
    log_in(request, account)
    assert current_citizen(request) == account

    # The same session read again (another request from the browser) is recognised too.
    later = _request()
    later.session.update(dict(request.session))
    assert current_citizen(later) == account


def test_a_session_ended_on_the_server_is_no_longer_signed_in() -> None:
    account = CitizenAccount.objects.create(issuer="https://idp.example", subject="s1")
    request = _request()
    log_in(request, account)
    CitizenSession.objects.update(ended_at="2026-01-01T00:00:00Z")
    later = _request()
    later.session.update(dict(request.session))
    assert current_citizen(later) is None


def test_a_session_that_names_only_an_account_is_not_signed_in() -> None:
    """An account id alone (as a forged or older cookie might carry) is not enough."""
    account = CitizenAccount.objects.create(issuer="https://idp.example", subject="s1")
    request = _request()
    request.session["porth_citizen"] = account.pk
    assert current_citizen(request) is None


def test_signing_out_a_browser_that_never_signed_in_does_nothing() -> None:
    assert actions.sign_out(_request()) == ""


def test_with_nothing_configured_sign_in_is_not_offered(
    signin_services: None, settings: Any
) -> None:
    assert not available()
    client = Client()
    page = client.get("/services/optional-service/")
    assert "Sign in" not in page.content.decode()
    assert "Start now" in page.content.decode()
    assert client.get("/sign-in?next=/").status_code == 404
    assert client.post("/sign-in/back-channel-logout").status_code == 404
    # A service that requires sign-in is reported (porth check), and not locked meanwhile.
    messages = [m for m in run_checks() if m.id == "porth.services.E001"]
    assert ["required-service" in m.msg for m in messages] == [True]
    assert client.get("/services/required-service/your-name").status_code == 200


def _signin_errors() -> list[str]:
    return [m.msg for m in run_checks() if (m.id or "").startswith("porth.signin.")]


def test_the_checks_say_what_is_missing(settings: Any) -> None:
    settings.PORTH_SIGNIN = True
    settings.PORTH_SIGNIN_ISSUER = ""
    assert _signin_errors() == ["PORTH_SIGNIN is on but PORTH_SIGNIN_ISSUER is not set"]

    settings.PORTH_SIGNIN_ISSUER = "https://oidc.example"
    settings.PORTH_SIGNIN_DISCOVERY_URL = "https://oidc.example/.well-known/openid-configuration"
    settings.PORTH_SIGNIN_KEYS = ""
    settings.PORTH_SIGNIN_VTR = "Cl.Cm"
    settings.PORTH_SIGNIN_SCOPES = "email"
    assert _signin_errors() == [
        "PORTH_SIGNIN_CLIENT_ID is not set",
        "PORTH_SIGNIN_KEYS is empty: sign-in needs a key to sign with",
        "PORTH_SIGNIN_VTR is 'Cl.Cm': it must be a JSON list of text",
        "PORTH_SIGNIN_SCOPES must include openid",
    ]


def test_a_public_key_alone_is_refused(settings: Any) -> None:
    import json

    private = keys.generate("EC")
    public = {k: v for k, v in private.items() if k != "d"}
    settings.PORTH_SIGNIN = True
    settings.PORTH_SIGNIN_ISSUER = "https://oidc.example"
    settings.PORTH_SIGNIN_CLIENT_ID = "c"
    settings.PORTH_SIGNIN_KEYS = json.dumps({"keys": [public]})
    assert _signin_errors() == [
        "PORTH_SIGNIN_KEYS: every key must be a private key (Porth signs with it)"
    ]


def test_keys_can_be_pem_files(tmp_path: Any, settings: Any) -> None:
    from joserfc import jwk

    paths = []
    pairs: list[tuple[str, jwk.ECKey | jwk.RSAKey]] = [
        ("new.pem", jwk.ECKey.generate_key("P-256", private=True)),
        ("old.pem", jwk.RSAKey.generate_key(2048, private=True)),
    ]
    for name, key in pairs:
        (tmp_path / name).write_bytes(key.as_pem(private=True))
        paths.append(str(tmp_path / name))
    settings.PORTH_SIGNIN_KEYS = ",".join(paths)
    published = keys.public_jwks()["keys"]
    assert [k["alg"] for k in published] == ["ES256", "RS256"]
    assert keys.current().alg == "ES256"
    assert all("d" not in k for k in published)


def test_records_of_sessions_that_can_no_longer_sign_in_are_deleted_daily() -> None:
    account = CitizenAccount.objects.create(issuer="https://idp.example", subject="s1")
    signed_in, signed_out, too_old = _request(), _request(), _request()
    for request in (signed_in, signed_out, too_old):
        log_in(request, account)
    ended = CitizenSession.objects.get(key=signed_out.session["porth_citizen_session"])
    ended.ended_at = timezone.now()
    ended.save()
    stale = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    CitizenSession.objects.filter(key=too_old.session["porth_citizen_session"]).update(
        started_at=stale
    )

    assert forget_old_sessions.call() == 2
    assert current_citizen(_copy(signed_in)) == account  # the open session is untouched


def _copy(request: Any) -> Any:
    later = _request()
    later.session.update(dict(request.session))
    return later
