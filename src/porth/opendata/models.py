"""The open data catalogue: datasets, their resources (files or links), themes and tags, and
the API tokens that publishers' tools use.

Field names follow CKAN's where CKAN has one (`name`, `notes`, `private`, `state`,
`license_id`, `maintainer`), so that the Action API (api.py) maps them one to one. Text a
reader sees is kept in English and Welsh (`title` and `title_cy`), and shown to the API as
ckanext-fluent does (`title_translated: {en, cy}`).
"""

import uuid

from django.conf import settings
from django.db import models

from porth.accounts.models import Organisation


class State(models.TextChoices):
    """CKAN's states. A draft is seen only by its organisation's publishers; a deleted
    dataset is kept (its name stays taken, as in CKAN) but shown to nobody."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    DELETED = "deleted", "Deleted"


class Theme(models.Model):
    """A CKAN group: one of data.gov.uk's themes, mapped to the EU data-theme vocabulary
    (DCAT-AP's dcat:theme)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_cy = models.TextField(blank=True)
    # e.g. http://publications.europa.eu/resource/authority/data-theme/GOVE
    uri = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A free keyword (CKAN's tags; dcat:keyword). Shared by every dataset that uses it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A CKAN package (a dcat:Dataset)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The permanent address: /dataset/<name>. 2 to 100 lowercase letters, digits, - and _.
    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    title_cy = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)  # markdown
    notes_cy = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="datasets"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    private = models.BooleanField(default=False)
    license_id = models.CharField(max_length=100, default="OGL-UK-3.0")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    themes = models.ManyToManyField(Theme, blank=True, related_name="datasets")
    # Temporal coverage (dct:temporal), either end may be open.
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    # Spatial coverage (dct:spatial): a place's name, and its URI where it has one (e.g. an
    # ONS geography code's http://statistics.data.gov.uk/id/statistical-geography/W92000004).
    spatial = models.CharField(max_length=200, blank=True)
    spatial_uri = models.URLField(max_length=300, blank=True)
    # dct:accrualPeriodicity, a code of the EU frequency vocabulary (frequencies.py).
    frequency = models.CharField(max_length=20, blank=True)
    # The contact point (dcat:contactPoint), CKAN's maintainer.
    maintainer = models.CharField(max_length=200, blank=True)
    maintainer_email = models.EmailField(blank=True)
    author = models.CharField(max_length=200, blank=True)
    author_email = models.EmailField(blank=True)
    version = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=2000, blank=True)  # the source's page
    # Any other key a CKAN client sends (CKAN's `extras`): kept and given back, not shown.
    extras = models.JSONField(default=dict, blank=True)
    # The slug of the service whose performance data Porth publishes here, for the datasets
    # Porth makes and refreshes itself (performance.py); blank for publishers' datasets.
    service = models.SlugField(max_length=80, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["state", "private"], name="opendata_dataset_visible")]

    def __str__(self) -> str:
        return self.title


def upload_to(resource: "Resource", filename: str) -> str:
    # The resource's id keeps names from colliding; the file keeps its own name for download.
    return f"opendata/{resource.dataset_id}/{resource.id}/{filename}"


class Resource(models.Model):
    """A CKAN resource (a dcat:Distribution): an uploaded file kept by Porth, or a link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300, blank=True)
    name_cy = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    description_cy = models.TextField(blank=True)
    format = models.CharField(max_length=40, blank=True)  # CSV, JSON, XLSX, …
    url = models.URLField(max_length=2000, blank=True)  # a link, when nothing is uploaded
    upload = models.FileField(upload_to=upload_to, max_length=500, blank=True)
    mimetype = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=100, blank=True)  # sha256:<hex> of an upload
    # For a resource Porth makes (performance.py): which one it is, so a refresh replaces it.
    generated = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "position"]

    def __str__(self) -> str:
        return self.name or str(self.id)


class ApiToken(models.Model):
    """A secret a publisher's tool sends (`Authorization` or `X-CKAN-API-Key`) to act as them.
    Only a hash is stored; the token is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class CatalogueVersion(models.Model):
    """One row whose `version` the database itself changes (triggers, migration 0004), in the
    same transaction, on every write to the datasets, their resources, tags and themes, and
    the organisations. Counts and facets of a search are cached under it (facets.py): a write
    changes the key, so no cached answer outlives what it counted. A random value, not a
    counter: a rolled-back write's number is never used again by another."""

    version = models.CharField(max_length=36)

    def __str__(self) -> str:
        return self.version

    @classmethod
    def lock(cls) -> None:
        """Take the row's lock first, in a transaction about to write to the catalogue. The
        triggers take it anyway, but only after the transaction's first write: two writers
        could then each hold a row the other needs next (a publisher's dataset, a refresh
        going through all of them) and PostgreSQL would cancel one as a deadlock. Taken
        first, writers simply queue. (SQLite serialises writers already: a no-op there.)"""
        list(cls.objects.select_for_update().values_list("pk", flat=True))
