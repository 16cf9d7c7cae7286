"""Staff, the organisations they work for, and what they may do there."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    """A department, agency or council. `slug` is the `organisation.id` of its services."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    TEAM_LEADER = "team_leader", "Team leader"
    SERVICE_OWNER = "service_owner", "Service owner"
    AUDITOR = "auditor", "Auditor"
    # Publishes the organisation's open data (porth.opendata): datasets, resources, API tokens.
    DATA_PUBLISHER = "data_publisher", "Data publisher"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


class User(AbstractUser):
    """A member of staff. Citizens have no accounts: their journeys are keyed by a secret."""

    display_name = models.CharField(max_length=200, blank=True)
    # Sessions are signed cookies, which the server cannot delete: each one carries the
    # generation it was made in, and raising this number (at sign-out, or "sign out
    # everywhere") makes every older cookie worthless. Checked by StaffSessionMiddleware.
    session_epoch = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(models.Model):
    """A role in one organisation. A person may hold several, in several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"
