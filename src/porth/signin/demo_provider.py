"""A real OpenID Connect provider on loopback, configured like GOV.UK One Login.

It stands in for One Login in two places: the sign-in tests, and `porth run` (development
only, porth.signin.demo), where a newcomer signs in as one of two made-up citizens.

Built from Authlib's server components on Flask, served by Werkzeug in a thread:
authorization code flow with PKCE required (S256), clients authenticated by private_key_jwt
only (the assertion checked against the client's published JWKS, fetched over HTTP, and its
jti refused if reused), ID tokens signed with ES256 (or RS256), userinfo, discovery, a JWKS
whose keys can be rotated, end_session, and back-channel logout tokens sent on request.

In tests the "user" is whoever the test says (`provider.user`): the authorization endpoint
approves at once, or refuses (`provider.deny`) as a citizen pressing "cancel" would. With
`people` (the demo), it shows a page of its own instead, where one picks a demo citizen (no
password) or cancels; signing out there, or at end_session, sends Porth a back-channel
logout token.

Flask, Authlib and Werkzeug are imported only when a provider is made: nothing else in Porth
needs them, and a server that never runs the demo never loads them.
"""

import contextlib
import secrets
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwk, jwt

from . import demo_pages
from .demo_records import Client, Code, Token, new_key

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class Provider:
    """Start it with `start()`; its `issuer` is its address. Tests change its attributes."""

    def __init__(
        self,
        *,
        alg: str = "ES256",
        client_id: str = "porth-test-client",
        keys: list[jwk.ECKey | jwk.RSAKey] | None = None,
        people: list[dict[str, str]] | None = None,
    ) -> None:
        self.alg = alg
        self.keys: list[jwk.ECKey | jwk.RSAKey] = keys or [new_key(alg)]  # the first signs
        # The demo's citizens (sub, name, email, phone_number): a page to choose one.
        self.people = people or []
        self.logouts_sent: list[httpx.Response] = []
        self.sign_with: jwk.ECKey | jwk.RSAKey | None = None  # a key not published (forgery)
        self.client = Client(client_id)
        self.user: dict[str, Any] = {
            "sub": "urn:fdc:gov.uk:2022:" + secrets.token_urlsafe(12),
            "email": "citizen@example.com",
            "phone_number": "+447700900123",
        }
        self.deny = False  # the citizen presses "cancel": access_denied
        self.code_seconds = 60.0
        self.token_delay = 0.0  # seconds the token endpoint waits before answering
        self.id_token_claims: dict[str, Any] = {}  # claims that override the ID token's
        self.userinfo_claims: dict[str, Any] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.client_assertions: list[dict[str, Any]] = []  # headers of the ones accepted
        self.end_sessions: list[dict[str, str]] = []
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}
        self.used_jtis: set[str] = set()
        self.sid = ""  # the provider's session id for the current user (set at authorize)
        self.sessions: dict[str, str] = {}  # the demo's open sessions: sid → sub
        self.app = self._app()
        self._server: Any = None

    # --- running -----------------------------------------------------------------------

    def start(self, port: int = 0) -> "Provider":
        """Serve on 127.0.0.1 (at `port`, or any free one) in a thread; OSError if taken."""
        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def rotate(self, alg: str | None = None) -> None:
        """A new key signs from now on; the old one stays published for a while."""
        self.keys.insert(0, new_key(alg or self.alg))
        self.alg = alg or self.alg

    def retire_old_keys(self) -> None:
        self.keys = self.keys[:1]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{**k.as_dict(private=False), "use": "sig"} for k in self.keys]}

    def sign(self, claims: dict[str, Any], *, typ: str = "JWT") -> str:
        key = self.sign_with or self.keys[0]
        alg = "RS256" if isinstance(key, jwk.RSAKey) else "ES256"
        return jwt.encode({"alg": alg, "kid": key.kid, "typ": typ}, claims, key)

    # --- back-channel logout -----------------------------------------------------------

    def logout_token(self, *, sub: str | None = None, sid: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client.client_id,
            "iat": now,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
            "events": {LOGOUT_EVENT: {}},
        }
        if sub is not None:
            body["sub"] = sub
        if sid is not None:
            body["sid"] = sid
        body.update(claims)
        return self.sign({k: v for k, v in body.items() if v is not None}, typ="logout+jwt")

    def send_logout(self, url: str, token: str) -> httpx.Response:
        """POST a logout token to the relying party, as the provider would."""
        return httpx.post(url, data={"logout_token": token}, timeout=5)

    def log_out_relying_party(self, *, sub: str | None = None, sid: str | None = None) -> None:
        """A session here ended: tell the relying party, if it registered a logout URI."""
        url = self.client.backchannel_logout_uri
        if url:
            # As a real provider: the relying party may be down; there is nothing to undo.
            with contextlib.suppress(httpx.HTTPError):
                self.logouts_sent.append(self.send_logout(url, self.logout_token(sub=sub, sid=sid)))

    def person(self, sub: str) -> dict[str, str] | None:
        return next((p for p in self.people if p["sub"] == sub), None)

    # --- the Flask app ------------------------------------------------------------------

    def _app(self) -> Any:
        from authlib.integrations.flask_oauth2 import (
            AuthorizationServer,
            ResourceProtector,
            current_token,
        )
        from authlib.oauth2 import OAuth2Error
        from authlib.oauth2.rfc6749 import grants
        from authlib.oauth2.rfc6750 import BearerTokenValidator
        from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
        from authlib.oauth2.rfc7636 import CodeChallenge
        from authlib.oidc.core.grants import OpenIDCode
        from flask import Flask, jsonify, redirect, request

        app = Flask("porth-demo-provider")
        provider = self
        server = AuthorizationServer(
            app,
            query_client=lambda client_id: (
                provider.client if client_id == provider.client.client_id else None
            ),
            save_token=self._save_token,
        )

        class PrivateKeyJWT(JWTBearerClientAssertion):
            CLIENT_AUTH_METHOD = "private_key_jwt"

            def get_audiences(self) -> list[str]:
                return [f"{provider.issuer}/token"]

            def validate_jti(self, claims: Any, jti: str) -> bool:
                if jti in provider.used_jtis:
                    return False
                provider.used_jtis.add(jti)
                return True

            def resolve_client_public_key(self, client: Client) -> jwk.KeySet:
                # The relying party's published keys, read afresh (so its rotation shows).
                keys: Any = client.jwks or httpx.get(client.jwks_uri, timeout=5).json()
                return jwk.KeySet.import_key_set(keys)

            def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
                claims = super().process_assertion_claims(assertion, resolve_key)
                headers, _ = self.extract_assertion(assertion)
                provider.client_assertions.append(headers)
                return claims

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["private_key_jwt"]

            def save_authorization_code(self, code: str, req: Any) -> None:
                data = req.payload.data
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.payload.scope,
                    nonce=data.get("nonce", ""),
                    code_challenge=data.get("code_challenge", ""),
                    code_challenge_method=data.get("code_challenge_method", ""),
                    user=dict(req.user),
                    sid=provider.sid,
                    expires_at=time.time() + provider.code_seconds,
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                if found is None or found.client_id != client.client_id:
                    return None
                if time.time() > found.expires_at:
                    return None  # expired: invalid_grant
                return found

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)  # used: never again

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return {**authorization_code.user, "_sid": authorization_code.sid}

        class IdToken(OpenIDCode):
            def resolve_client_private_key(self, client: Client) -> Any:
                return provider.sign_with or provider.keys[0]

            def get_client_algorithm(self, client: Client) -> str:
                key = provider.sign_with or provider.keys[0]
                return "RS256" if isinstance(key, jwk.RSAKey) else "ES256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                key = provider.sign_with or provider.keys[0]
                return {"alg": self.get_client_algorithm(client), "kid": str(key.kid)}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                now = int(time.time())
                return {"iss": provider.issuer, "aud": client.client_id, "exp": now + 120}

            def get_authorization_code_claims(self, authorization_code: Code) -> dict[str, Any]:
                claims = super().get_authorization_code_claims(authorization_code)
                return {**claims, **provider.id_token_claims}

            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def generate_user_info(self, user: dict[str, Any], scope: str) -> dict[str, Any]:
                # As One Login: the ID token carries sub, sid and the vector of trust.
                return {"sub": user["sub"], "sid": user["_sid"], "vot": "Cl.Cm"}

        server.register_client_auth_method("private_key_jwt", PrivateKeyJWT())
        server.register_grant(
            CodeGrant, [CodeChallenge(required=True), IdToken(require_nonce=True)]
        )

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string: str) -> Token | None:
                return provider.tokens.get(token_string)

        protect = ResourceProtector()
        protect.register_token_validator(Validator())

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            base = provider.issuer
            return jsonify(
                issuer=base,
                authorization_endpoint=f"{base}/authorize",
                token_endpoint=f"{base}/token",
                userinfo_endpoint=f"{base}/userinfo",
                jwks_uri=f"{base}/.well-known/jwks.json",
                end_session_endpoint=f"{base}/logout",
                response_types_supported=["code"],
                scopes_supported=["openid", "email", "phone"],
                grant_types_supported=["authorization_code"],
                token_endpoint_auth_methods_supported=["private_key_jwt"],
                id_token_signing_alg_values_supported=["ES256", "RS256"],
                code_challenge_methods_supported=["S256"],
                backchannel_logout_supported=True,
                backchannel_logout_session_supported=True,
                ui_locales_supported=["en", "cy"],
                vtr_values_supported=["Cl.Cm", "Cl"],
            )

        @app.get("/.well-known/jwks.json")
        def published_keys() -> Any:
            return jsonify(provider.jwks())

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize() -> Any:
            if request.method == "GET":
                provider.authorize_requests.append(dict(request.args))
            try:
                grant = server.get_consent_grant(end_user=dict(provider.user))
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            user = dict(provider.user)
            if provider.people:  # the demo: the citizen picks who they are, or cancels
                if request.method == "GET":
                    return demo_pages.choose(provider.people, request.query_string.decode())
                chosen = provider.person(request.form.get("person", ""))
                if "cancel" in request.form:
                    return server.create_authorization_response(grant=grant, grant_user=None)
                if chosen is None:
                    page = demo_pages.choose(provider.people, request.query_string.decode(), True)
                    return page, 400
                user = {k: chosen[k] for k in ("sub", "email", "phone_number")}
                provider.sid = secrets.token_urlsafe(12)
                provider.sessions[provider.sid] = user["sub"]
            elif provider.deny:
                return server.create_authorization_response(grant=grant, grant_user=None)
            else:
                provider.sid = secrets.token_urlsafe(12)
            return server.create_authorization_response(grant=grant, grant_user=user)

        @app.get("/")
        def home() -> Any:
            signed_in = set(provider.sessions.values())
            return demo_pages.home(provider.people, signed_in, "signed-out" in request.args)

        @app.post("/sign-out-everywhere")
        def sign_out_everywhere() -> Any:
            # One Login's "sign out of every service": Porth hears by back-channel logout.
            sub = request.form.get("person", "")
            if provider.person(sub) is None:
                return demo_pages.home(provider.people, set(provider.sessions.values())), 400
            provider.sessions = {s: u for s, u in provider.sessions.items() if u != sub}
            provider.log_out_relying_party(sub=sub)
            return redirect("/?signed-out=1", code=303)

        @app.post("/token")
        def token() -> Any:
            if provider.token_delay:
                time.sleep(provider.token_delay)
            return server.create_token_response()

        @app.get("/userinfo")
        @protect("openid")
        def userinfo() -> Any:
            user = current_token.user
            claims = {"sub": user["sub"]}
            scope = current_token.scope.split()
            if "email" in scope:
                claims |= {"email": user["email"], "email_verified": True}
            if "phone" in scope:
                claims |= {"phone_number": user["phone_number"], "phone_number_verified": True}
            return jsonify({**claims, **provider.userinfo_claims})

        @app.get("/logout")
        def end_session() -> Any:
            args = dict(request.args)
            provider.end_sessions.append(args)
            hint = args.get("id_token_hint", "")
            claims = jwt.decode(hint, jwk.KeySet(list[Any](provider.keys))).claims  # or raises
            if provider.people and claims.get("sid") in provider.sessions:
                del provider.sessions[claims["sid"]]
                provider.log_out_relying_party(sid=claims["sid"])
            target = args["post_logout_redirect_uri"]
            return redirect(f"{target}?{urlencode({'state': args.get('state', '')})}")

        return app

    def _save_token(self, token: dict[str, Any], req: Any) -> None:
        self.tokens[token["access_token"]] = Token(
            access_token=token["access_token"],
            scope=token.get("scope", ""),
            user=req.user,
            client=req.client,
        )
