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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_citizen_subject")
        ]

    def __str__(self) -> str:
        return f"citizen {self.pk}"
