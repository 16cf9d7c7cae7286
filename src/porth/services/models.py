from django.db import models


class DefinitionVersion(models.Model):
    """The exact text of every version of a definition that a journey or submission used.

    A version is the hash of the definition's canonical form, so the same definition loaded
    twice is one row, and a submission can always be read against what the citizen saw.
    """

    slug = models.SlugField(max_length=80)
    version = models.CharField(max_length=16)
    canonical = models.JSONField(help_text="The definition's canonical form (model_dump).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_definition_version")
        ]

    def __str__(self) -> str:
        return f"{self.slug}@{self.version}"
