"""Sign-in pages and the endpoints the provider calls. Thin: the protocol is in oidc.py and
logout.py, the writes in actions.py, the pages' words in problems.py."""

import logging
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from porth.utils.http import no_store

from . import actions, keys, logout, oidc, problems
from .service import available

log = logging.getLogger(__name__)

FLOWS = "porth_signin_flows"  # state -> what the callback checks (two tabs: two flows)
LOGOUT_STATE = "porth_signin_logout"
PROBLEM = "porth_signin_problem"  # the last failure, for its page
MAX_FLOWS = 3
FLOW_SECONDS = 30 * 60  # an unfinished sign-in is forgotten after half an hour


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """Only a path on this site: a sign-in link must not send anyone elsewhere."""
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(value, None):
        return value
    return reverse("catalogue")


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("signin-callback"))


def _problem(
    request: HttpRequest, reason: str, detail: str, *, next_url: str, required: bool
) -> HttpResponse:
    """Record the failure and show its page at an address of its own, so that switching
    language or reloading shows it again (the callback's state is good once)."""
    actions.record_failure(request, reason, detail)
    log.warning("sign-in failed: %s: %s", reason, detail)
    request.session[PROBLEM] = {"reason": reason, "next": next_url, "required": required}
    return HttpResponseRedirect(reverse("signin-problem"), status=303)


@no_store
@require_safe
def problem(request: HttpRequest) -> HttpResponse:
    kept = request.session.get(PROBLEM)
    if not isinstance(kept, dict):
        return HttpResponseRedirect(reverse("catalogue"), status=303)
    page = problems.page(str(kept["reason"]))
    next_url, required = str(kept["next"]), bool(kept["required"])
    context = {
        "title": page.title,
        "paragraphs": page.paragraphs,
        "next_url": next_url,
        "required": required,
        "retry_url": f"{reverse('signin-start')}?{_query(next_url, required)}",
    }
    return render(request, "signin/problem.html", context, status=page.status)


def _query(next_url: str, required: bool) -> str:
    return urlencode({"next": next_url, **({"required": "1"} if required else {})})


@no_store
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """Off to the provider, with a fresh state, nonce and PKCE verifier kept in the session."""
    if not available():
        raise Http404
    next_url = _safe_next(request, request.GET.get("next"))
    required = request.GET.get("required") == "1"
    flow = oidc.new_flow()
    try:
        url = oidc.authorization_url(
            flow, redirect_uri=_callback_url(request), language=get_language()
        )
    except oidc.Failed as failure:
        return _problem(
            request, failure.reason, failure.detail, next_url=next_url, required=required
        )
    now = time.time()
    flows: dict[str, Any] = {
        state: kept
        for state, kept in request.session.get(FLOWS, {}).items()
        if now - kept.get("at", 0) < FLOW_SECONDS
    }
    flows[flow.state] = {
        "nonce": flow.nonce,
        "verifier": flow.verifier,
        "next": next_url,
        "required": required,
        "at": now,
    }
    request.session[FLOWS] = dict(list(flows.items())[-MAX_FLOWS:])
    return HttpResponseRedirect(url)


@no_store
@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the citizen back: with a code, or with an error."""
    if not available():
        raise Http404
    state = request.GET.get("state", "")
    flows = dict(request.session.get(FLOWS, {}))
    kept = flows.pop(state, None) if state else None
    if kept is None:
        # Not a sign-in this browser started (or one it finished already): refused.
        return _problem(
            request, "state", "state does not match", next_url=reverse("catalogue"), required=False
        )
    request.session[FLOWS] = flows  # a state is good once
    next_url, required = str(kept["next"]), bool(kept["required"])
    error = request.GET.get("error")
    code = request.GET.get("code")
    if error or not code:
        reason = "cancelled" if error == "access_denied" else "refused"
        return _problem(
            request, reason, f"provider said {error!r}", next_url=next_url, required=required
        )
    flow = oidc.Flow(state=state, nonce=str(kept["nonce"]), verifier=str(kept["verifier"]))
    try:
        signed_in = oidc.exchange_code(code, flow, redirect_uri=_callback_url(request))
    except oidc.Failed as failure:
        return _problem(
            request, failure.reason, failure.detail, next_url=next_url, required=required
        )
    actions.sign_in(request, settings.PORTH_SIGNIN_ISSUER, signed_in)
    return HttpResponseRedirect(next_url, status=303)


@no_store
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here and at the provider. The session is ended whole: the journeys it had
    open belong to the account, and come back when the citizen signs in again."""
    id_token = actions.sign_out(request)
    request.session.flush()
    signed_out = request.build_absolute_uri(reverse("signin-signed-out"))
    if not id_token or not available():
        return HttpResponseRedirect(signed_out, status=303)
    state = secrets.token_urlsafe(24)
    url = oidc.end_session_url(id_token=id_token, post_logout_redirect_uri=signed_out, state=state)
    if url is None:
        return HttpResponseRedirect(signed_out, status=303)
    request.session[LOGOUT_STATE] = state
    return HttpResponseRedirect(url, status=303)


@no_store
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    # The state only matches when this browser's sign-out came back; the page is the same
    # either way (there is nothing to sign out of), so it is just tidied away.
    request.session.pop(LOGOUT_STATE, None)
    return render(request, "signin/signed_out.html", {"title": problems.signed_out_title()})


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """Porth's public keys, for the provider to check its client assertions."""
    try:
        document = keys.public_jwks()
    except keys.KeysProblem:
        raise Http404 from None
    response = JsonResponse(document)
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt  # the provider's own call, authenticated by the token's signature
@no_store
@require_POST
def back_channel_logout(request: HttpRequest) -> HttpResponse:
    if not available():
        raise Http404
    token = request.POST.get("logout_token", "")
    try:
        checked = logout.check(token)
        actions.back_channel_logout(
            issuer=settings.PORTH_SIGNIN_ISSUER,
            subject=checked.subject,
            sid=checked.sid,
            jti=checked.jti,
            keep_until=checked.keep_until,
        )
    except oidc.Failed as failure:
        log.warning("logout token refused: %s", failure.detail)
        return JsonResponse(
            {"error": "invalid_request", "error_description": failure.detail}, status=400
        )
    except actions.Replayed:
        return JsonResponse(
            {"error": "invalid_request", "error_description": "jti already used"}, status=400
        )
    return HttpResponse(status=200)
