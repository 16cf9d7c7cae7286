"""The publishers' forms: what was typed, turned into the CKAN package dict that
`actions.create_dataset`/`update_dataset` take, and CKAN's field errors turned back into
GOV.UK error messages against the inputs they belong to.

The rules themselves are datasets.clean_dataset's (one set for the API and these pages); a
form checks only what the API never sees: the three boxes of a GOV.UK date input. Staff
pages are English only, so the messages are not translated.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict

from .datasets import MISSING
from .models import Dataset, State

VISIBILITIES = {
    "draft": "Draft: only your organisation’s publishers see it",
    "public": "Public: anyone can find and download it",
    "private": "Private: only your organisation’s publishers see it, even when it is finished",
}
DATE_FIELDS = ("temporal_start", "temporal_end")
DATE_PARTS = ("day", "month", "year")
TEXT_FIELDS = (
    "name",
    "title",
    "title_cy",
    "notes",
    "notes_cy",
    "owner_org",
    "license_id",
    "tag_string",
    "spatial",
    "spatial_uri",
    "frequency",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
    "version",
    "url",
)
# CKAN's "Missing value", said as GOV.UK says it.
MISSING_MESSAGES = {
    "name": "Enter a name for the dataset’s web address",
    "title": "Enter a title",
    "owner_org": "Select the organisation that publishes the dataset",
    "url": "Give a file to upload or a web address to link to",
}
# Where each error's message is shown: CKAN's key → the input's id.
ERROR_TARGETS = {
    "tags": "tag_string",
    "groups": "groups",
    "temporal_start": "temporal_start-day",
    "temporal_end": "temporal_end-day",
    "state": "visibility",
    "private": "visibility",
}


def _first(value: Any) -> str:
    """The first message in one of CKAN's error values (a list of strings, or of per-item
    dicts for tags and groups)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for inner in value.values():
            found = _first(inner)
            if found:
                return found
        return ""
    if isinstance(value, list):
        for item in value:
            found = _first(item)
            if found:
                return found
    return ""


def messages_of(errors: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, str]:
    """CKAN's errors (datasets.Invalid) as {input id: message}, in the order of the form."""
    found: dict[str, str] = {}
    for key, value in errors.items():
        text = _first(value)
        if not text:
            continue
        if text == MISSING:
            text = MISSING_MESSAGES.get(key, "Enter a value")
        found.setdefault(ERROR_TARGETS.get(key, key), text)
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(found.items(), key=lambda item: rank.get(item[0], len(rank))))


@dataclass
class DatasetForm:
    """The dataset form's values as typed (kept on error) and its errors by input id."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    ORDER = (
        "title",
        "title_cy",
        "name",
        "owner_org",
        "notes",
        "notes_cy",
        "visibility",
        "license_id",
        "tag_string",
        "groups",
        "temporal_start-day",
        "temporal_end-day",
        "spatial",
        "spatial_uri",
        "frequency",
        "maintainer",
        "maintainer_email",
        "author",
        "author_email",
        "version",
        "url",
    )

    @classmethod
    def posted(cls, data: QueryDict) -> "DatasetForm":
        values: dict[str, Any] = {key: data.get(key, "").strip() for key in TEXT_FIELDS}
        values["groups"] = data.getlist("groups")
        values["visibility"] = data.get("visibility", "")
        for name in DATE_FIELDS:
            for part in DATE_PARTS:
                values[f"{name}-{part}"] = data.get(f"{name}-{part}", "").strip()
        return cls(values)

    @classmethod
    def of(cls, dataset: Dataset | None, *, owner_org: str = "") -> "DatasetForm":
        """The form filled from a dataset, or blank (with CKAN's defaults) for a new one."""
        if dataset is None:
            values: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, "")
            values.update(
                owner_org=owner_org, license_id="OGL-UK-3.0", groups=[], visibility="draft"
            )
            for name in DATE_FIELDS:
                values.update({f"{name}-{part}": "" for part in DATE_PARTS})
            return cls(values)
        values = {key: getattr(dataset, key, "") for key in TEXT_FIELDS}
        values["owner_org"] = dataset.organisation.slug
        values["tag_string"] = ", ".join(dataset.tags.values_list("name", flat=True))
        values["groups"] = list(dataset.themes.values_list("name", flat=True))
        values["visibility"] = visibility_of(dataset)
        for name in DATE_FIELDS:
            day: date | None = getattr(dataset, name)
            values.update(
                {
                    f"{name}-day": str(day.day) if day else "",
                    f"{name}-month": str(day.month) if day else "",
                    f"{name}-year": str(day.year) if day else "",
                }
            )
        return cls(values)

    def package(self, existing: Dataset | None = None) -> dict[str, Any] | None:
        """The CKAN package dict to save, or None (with `errors` set) if a date input or the
        visibility is not yet something the API would take."""
        package: dict[str, Any] = {
            key: self.values[key] for key in TEXT_FIELDS if key != "tag_string"
        }
        package["tags"] = [
            {"name": tag}
            for tag in (t.strip() for t in self.values["tag_string"].split(","))
            if tag
        ]
        package["groups"] = [{"name": name} for name in self.values["groups"]]
        visibility = self.values["visibility"]
        if visibility not in VISIBILITIES:
            self.errors["visibility"] = "Select who can see the dataset"
        package["state"] = State.DRAFT if visibility == "draft" else State.ACTIVE
        package["private"] = visibility == "private"
        for name, label in zip(DATE_FIELDS, ("start", "end"), strict=True):
            package[name] = self._date(name, label)
        if existing is not None:
            # Not on the form, but package_update clears what is left out: keep them.
            package["extras"] = [{"key": k, "value": v} for k, v in existing.extras.items()]
        return None if self.errors else package

    def _date(self, name: str, label: str) -> str | None:
        parts = [self.values[f"{name}-{part}"] for part in DATE_PARTS]
        if not any(parts):
            return None
        if not all(part.isdigit() for part in parts):
            self.errors[f"{name}-day"] = (
                f"The {label} of the period must be a real date, with a day, month and year"
            )
            return None
        day, month, year = (int(part) for part in parts)
        try:
            if year < 1000:
                raise ValueError
            return date(year, month, day).isoformat()
        except ValueError:
            self.errors[f"{name}-day"] = (
                f"The {label} of the period must be a real date, for example 31 3 2026"
            )
            return None

    def add_invalid(self, errors: Mapping[str, Any]) -> None:
        self.errors.update(messages_of(errors, self.ORDER))

    def summary(self) -> list[dict[str, str]]:
        """The errors for govukErrorSummary, in the order of the form."""
        rank = {name: index for index, name in enumerate(self.ORDER)}
        ordered = sorted(self.errors.items(), key=lambda item: rank.get(item[0], len(rank)))
        return [{"text": text, "href": f"#{target}"} for target, text in ordered]


def visibility_of(dataset: Dataset) -> str:
    if dataset.state == State.DRAFT:
        return "draft"
    return "private" if dataset.private else "public"


@dataclass
class ResourceForm:
    """A resource's fields as typed, and its errors by input id."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    FIELDS = ("name", "name_cy", "description", "description_cy", "format", "url")
    ORDER = ("upload", "url", "name", "name_cy", "format", "description", "description_cy")

    @classmethod
    def posted(cls, data: QueryDict) -> "ResourceForm":
        return cls({key: data.get(key, "").strip() for key in cls.FIELDS})

    @classmethod
    def of(cls, resource: Any | None) -> "ResourceForm":
        if resource is None:
            return cls(dict.fromkeys(cls.FIELDS, ""))
        return cls({key: getattr(resource, key) or "" for key in cls.FIELDS})

    def data(self, *, is_upload: bool) -> dict[str, str]:
        """What to give actions.add_resource/change_resource. An uploaded resource's address
        is its download, so the form never sends one for it."""
        data = dict(self.values)
        if is_upload:
            data.pop("url")
        return data

    def add_invalid(self, errors: Mapping[str, Any]) -> None:
        self.errors.update(messages_of(errors, self.ORDER))

    def summary(self) -> list[dict[str, str]]:
        return [{"text": text, "href": f"#{target}"} for target, text in self.errors.items()]


def token_name_error(name: str) -> str | None:
    if not name.strip():
        return "Enter a name for the token, such as the tool that will use it"
    if len(name.strip()) > 100:
        return "The name must be 100 characters or fewer"
    return None
