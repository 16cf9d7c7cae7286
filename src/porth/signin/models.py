"""Citizens who chose to sign in, through an OpenID Connect provider such as GOV.UK One Login.

Signing in is optional everywhere it is offered: a journey without an account works as before.
"""

from django.db import models


class CitizenAccount(models.Model):
    """A citizen known by the provider's subject identifier (`sub`), one row per provider."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    # The email address and phone number the provider last gave (userinfo), encrypted
    # (porth.utils.crypto, bound to this row): {"email": ..., "phone": ...}.
    contact = models.BinaryField(null=True, blank=True, editable=False)
    contact_key_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_citizen_subject")
        ]

    def __str__(self) -> str:
        return f"citizen {self.pk}"


class CitizenSession(models.Model):
    """One signed-in browser. Sessions are signed cookies, which the server cannot delete, so
    the cookie names this row and `current_citizen` believes it only while the row is open:
    signing out, or the provider's back-channel logout, closes it."""

    key = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="sessions")
    # The provider's session id (the ID token's `sid`), which a logout token may name.
    provider_sid = models.CharField(max_length=255, blank=True, default="", db_index=True)
    # The ID token, encrypted, for id_token_hint at sign-out.
    id_token = models.BinaryField(null=True, blank=True, editable=False)
    id_token_key_id = models.CharField(max_length=32, blank=True, default="")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_because = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return f"session of citizen {self.account_id}"


class UsedLogoutToken(models.Model):
    """The jti of each logout token accepted, so that a replayed one is refused; kept until
    the token could no longer be accepted anyway."""

    issuer = models.CharField(max_length=255)
    jti = models.CharField(max_length=255)
    keep_until = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "jti"], name="unique_logout_jti")]

    def __str__(self) -> str:
        return f"logout token {self.jti}"
