"""What the demo provider (porth.signin.demo_provider) keeps: its registered client, the
authorization codes it has issued and the access tokens, in memory, shaped as Authlib's
server components ask (get_client_id, get_redirect_uri, get_scope, …)."""

import time
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwk


def new_key(alg: str) -> jwk.ECKey | jwk.RSAKey:
    key: jwk.ECKey | jwk.RSAKey = (
        jwk.RSAKey.generate_key(2048, private=True)
        if alg == "RS256"
        else jwk.ECKey.generate_key("P-256", private=True)
    )
    key.ensure_kid()
    return key


@dataclass
class Client:
    client_id: str
    jwks_uri: str = ""  # the relying party's published keys (Porth's /sign-in/jwks.json)
    # Or its public keys, registered once (One Login allows either). The demo does this: a
    # server with one thread per worker could be asked for its keys by the worker that is
    # waiting for this provider's token response, and would not answer in time.
    jwks: dict[str, Any] | None = None
    backchannel_logout_uri: str = ""  # where logout tokens go when a session ends here
    redirect_prefix: str = ""  # besides loopback: the relying party's own address

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "email", "phone"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Loopback only: the tests' Porth runs on 127.0.0.1/localhost at a port of its own.
        allowed = ("http://127.0.0.1:", "http://localhost:", "http://testserver/")
        return redirect_uri.startswith(
            allowed + ((self.redirect_prefix,) if self.redirect_prefix else ())
        )

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # no shared secrets: private_key_jwt only, as One Login

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "private_key_jwt"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    user: dict[str, Any]
    sid: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(time.time())

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class Token:
    access_token: str
    scope: str
    user: dict[str, Any]
    client: Client
    issued_at: float = field(default_factory=time.time)

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 180

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + 180

    def is_revoked(self) -> bool:
        return False

    def get_user(self) -> dict[str, Any]:
        return self.user

    def get_client(self) -> Client:
        return self.client
