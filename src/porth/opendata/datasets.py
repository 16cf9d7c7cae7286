"""What a valid dataset is: CKAN's field rules and messages, for the API and the staff pages.

`clean_dataset` takes a CKAN package dict (as `package_create` receives it, or as the staff
form builds it) and gives back the values to store, or raises `Invalid` with errors keyed by
field in CKAN's shape (`{"name": ["That URL is already in use."], "tags": [{}, {"name":
[...]}]}`), which the API sends as a 409 "Validation Error" and the staff pages show in an
error summary.
"""

import re
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.db.models import QuerySet
from email_validator import EmailNotValidError, validate_email

from porth.accounts.models import Organisation

from .models import Dataset, State
from .vocabularies import FREQUENCIES, LICENCE_ALIASES, LICENCES, THEMES

NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
TAG = re.compile(r"^[\w .-]{2,100}$")
MISSING = "Missing value"

# Fields a CKAN client may send that Porth stores in a column of its own (the rest of a
# package dict's keys go to `extras`, except those Porth works out itself).
TEXT_FIELDS = {
    "title": 300,
    "title_cy": 300,
    "notes": 100_000,
    "notes_cy": 100_000,
    "spatial": 200,
    "maintainer": 200,
    "author": 200,
    "version": 100,
}
# Keys of package_show's output that a client sends back unchanged (a dump loaded elsewhere):
# worked out by Porth, so ignored on input.
COMPUTED = {
    "id",
    "type",
    "metadata_created",
    "metadata_modified",
    "creator_user_id",
    "num_resources",
    "num_tags",
    "organization",
    "license_title",
    "license_url",
    "isopen",
    "relationships_as_object",
    "relationships_as_subject",
    "revision_id",
    "tracking_summary",
    "title_translated",
    "notes_translated",
    "frequency_label",
    "performance",
}


class Invalid(Exception):
    """Errors by field, in CKAN's shape."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _translated(data: Mapping[str, Any], field: str, language: str) -> Any:
    """`title` or `title_cy` from the fields themselves or from ckanext-fluent's
    `title_translated: {en, cy}`; the field itself wins."""
    key = field if language == "en" else f"{field}_cy"
    if key in data:
        return data[key]
    translated = data.get(f"{field}_translated")
    if isinstance(translated, Mapping) and language in translated:
        return translated[language]
    return None


def _url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def find(wanted: str, datasets: QuerySet[Dataset]) -> Dataset | None:
    """The dataset of `datasets` that `wanted` names, found as CKAN finds one (package_show's
    `id`, a /dataset/<id> address): by its id, else by its name."""
    try:
        key: uuid.UUID | None = uuid.UUID(wanted)
    except ValueError:
        key = None
    found = datasets.filter(pk=key).first() if key is not None else None
    return found if found is not None else datasets.filter(name=wanted).first()


def organisation_of(value: Any) -> Organisation | None:
    """`owner_org` as CKAN takes it: the organisation's name (slug) or id."""
    text = _text(value)
    if not text:
        return None
    found = Organisation.objects.filter(slug=text).first()
    if found is None and text.isdigit():
        found = Organisation.objects.filter(pk=int(text)).first()
    return found


def _names(value: Any, field: str, errors: dict[str, Any], pattern: re.Pattern[str]) -> list[str]:
    """Tags or groups: a list of `{"name": ...}` (or plain strings); CKAN also takes tags as
    a comma-separated `tag_string`."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors[field] = [f"{field} must be a list"]
        return []
    names: list[str] = []
    item_errors: list[dict[str, list[str]]] = []
    for item in value:
        name = _text(item.get("name") if isinstance(item, Mapping) else item)
        if not pattern.match(name):
            item_errors.append(
                {"name": [f'"{name}" must be 2 to 100 letters, numbers, spaces or - _ .']}
                if field == "tags"
                else {"name": [f'"{name}" is not a known {field[:-1]}']}
            )
        else:
            item_errors.append({})
            names.append(name)
    if any(item_errors):
        errors[field] = item_errors
    return list(dict.fromkeys(names))


def clean_dataset(
    data: Mapping[str, Any],
    *,
    existing: Dataset | None = None,
    organisations: set[int] | None = None,
) -> dict[str, Any]:
    """The values to store for a new dataset (`existing` None) or the whole of an existing
    one (package_update: a field left out is cleared, as in CKAN; package_patch merges the
    current values in first). `organisations`: those the caller may publish for (None: any).

    Returns the model fields plus `tags` and `themes` (lists of names) and `resources` (the
    list as sent, or None when the key was left out: resources are then kept)."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}

    name = _text(data.get("name"))
    if not name:
        errors["name"] = [MISSING]
    elif not NAME.match(name):
        errors["name"] = [
            "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
            if len(name) >= 2
            else "Name must be at least 2 characters long"
        ]
    elif (
        Dataset.objects.filter(name=name).exclude(pk__in=[existing.pk] if existing else []).exists()
    ):
        errors["name"] = ["That URL is already in use."]
    clean["name"] = name

    for field, limit in TEXT_FIELDS.items():
        base, _, language = field.partition("_")
        value = (
            _translated(data, base, language or "en")
            if base in {"title", "notes"}
            else data.get(field)
        )
        text = _text(value)
        if len(text) > limit:
            errors[field] = [f"Must be {limit} characters or fewer"]
        clean[field] = text
    if not clean["title"]:
        errors["title"] = [MISSING]

    organisation = organisation_of(data.get("owner_org"))
    if organisation is None and existing is not None and "owner_org" not in data:
        organisation = existing.organisation
    if organisation is None:
        errors["owner_org"] = [
            MISSING if not data.get("owner_org") else "Organization does not exist"
        ]
    elif organisations is not None and organisation.pk not in organisations:
        errors["owner_org"] = ["You cannot add a dataset to this organization"]
    clean["organisation"] = organisation

    state = _text(data.get("state")) or State.ACTIVE
    if state not in {State.ACTIVE, State.DRAFT}:
        errors["state"] = ["State must be active or draft"]
    clean["state"] = state

    private = data.get("private", False)
    if isinstance(private, str):
        private = private.strip().lower() in {"true", "1", "yes", "on"}
    clean["private"] = bool(private)

    licence = _text(data.get("license_id")) or "OGL-UK-3.0"
    licence = LICENCE_ALIASES.get(licence, licence)
    if licence not in LICENCES:
        errors["license_id"] = [f'"{licence}" is not a known licence']
    clean["license_id"] = licence

    frequency = _text(data.get("frequency"))
    if frequency and frequency.upper() not in FREQUENCIES:
        errors["frequency"] = [f'"{frequency}" is not a known update frequency']
    clean["frequency"] = frequency.upper()

    for field in ("temporal_start", "temporal_end"):
        try:
            clean[field] = _date(data.get(field))
        except ValueError:
            errors[field] = ["Must be a date, such as 2026-04-01"]
            clean[field] = None
    if (
        clean["temporal_start"]
        and clean["temporal_end"]
        and clean["temporal_end"] < clean["temporal_start"]
    ):
        errors["temporal_end"] = ["Must be on or after the start of the period"]

    for field in ("maintainer_email", "author_email"):
        email = _text(data.get(field))
        if email and not _email(email):
            errors[field] = ["Must be an email address, such as data@example.gov.uk"]
        clean[field] = email
    for field in ("url", "spatial_uri"):
        link = _text(data.get(field))
        if link and not _url(link):
            errors[field] = ["Must be a web address starting with http:// or https://"]
        clean[field] = link

    clean["tags"] = _names(data.get("tags"), "tags", errors, TAG)
    if not clean["tags"] and _text(data.get("tag_string")):
        clean["tags"] = _names(
            [t for t in (s.strip() for s in str(data["tag_string"]).split(",")) if t],
            "tags",
            errors,
            TAG,
        )
    known_themes = {term.id for term in THEMES}
    themes = _names(data.get("groups"), "groups", errors, NAME)
    unknown = [name for name in themes if name not in known_themes]
    if unknown and "groups" not in errors:
        errors["groups"] = [
            {"name": [f'"{name}" is not a known group']} if name in unknown else {}
            for name in themes
        ]
    clean["themes"] = themes

    extras = data.get("extras")
    clean_extras: dict[str, str] = {}
    if isinstance(extras, list):
        for item in extras:
            if isinstance(item, Mapping) and _text(item.get("key")):
                clean_extras[_text(item["key"])] = _text(item.get("value"))
    elif extras not in (None, ""):
        errors["extras"] = ["extras must be a list of {key, value}"]
    clean["extras"] = clean_extras

    resources = data.get("resources")
    if resources is not None and not isinstance(resources, list):
        errors["resources"] = ["resources must be a list"]
        resources = None
    if resources:
        resource_errors = [resource_errors_of(item) for item in resources]
        if any(resource_errors):
            errors["resources"] = resource_errors
    clean["resources"] = resources

    if errors:
        raise Invalid(errors)
    return clean


def resource_errors_of(data: Any, *, uploaded: bool = False) -> dict[str, list[str]]:
    """A resource's errors (empty if none). A link must be http(s); an upload is checked by
    uploads.check."""
    if not isinstance(data, Mapping):
        return {"resource": ["Must be an object"]}
    errors: dict[str, list[str]] = {}
    url = _text(data.get("url"))
    if not uploaded and url and not _url(url) and data.get("url_type") != "upload":
        errors["url"] = ["Must be a web address starting with http:// or https://"]
    for field, limit in (("name", 300), ("name_cy", 300), ("format", 40)):
        if len(_text(data.get(field))) > limit:
            errors[field] = [f"Must be {limit} characters or fewer"]
    return errors
