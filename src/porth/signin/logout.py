"""OpenID Connect Back-Channel Logout 1.0: checking a logout token from the provider.

The provider posts `logout_token` (a JWT it signed) when the citizen signs out there, or is
signed out for them; Porth ends the sessions it names. The checks are those of section 2.6.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from . import oidc

EVENT = "http://schemas.openid.net/event/backchannel-logout"
# A logout token older than this is refused (and its jti need be kept no longer).
MAX_AGE = 5 * 60


@dataclass(frozen=True)
class Logout:
    issuer: str
    subject: str
    sid: str
    jti: str
    keep_until: datetime


def check(token: str) -> Logout:
    """The logout token's claims, every check passed; raises oidc.Failed."""
    claims = oidc.verify_jwt(token).claims
    oidc.check_claims(claims, essential=["jti", "events"])
    if "nonce" in claims:
        raise oidc.Failed("invalid", "a logout token must not have a nonce")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(EVENT), dict):
        raise oidc.Failed("invalid", "events has no back-channel logout event")
    subject, sid = claims.get("sub"), claims.get("sid")
    if not (isinstance(subject, str) and subject) and not (isinstance(sid, str) and sid):
        raise oidc.Failed("invalid", "names neither sub nor sid")
    if not isinstance(claims["jti"], str):
        raise oidc.Failed("invalid", "jti is not text")
    issued = float(claims["iat"])
    if issued < time.time() - MAX_AGE:
        raise oidc.Failed("invalid", "issued too long ago")
    keep_until = max(issued + MAX_AGE, float(claims.get("exp") or 0)) + oidc.LEEWAY
    return Logout(
        issuer=str(claims["iss"]).rstrip("/"),
        subject=subject if isinstance(subject, str) else "",
        sid=sid if isinstance(sid, str) else "",
        jti=claims["jti"],
        keep_until=datetime.fromtimestamp(keep_until, UTC),
    )
