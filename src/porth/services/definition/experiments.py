"""Experiments: an A/B test of two wordings of a page, declared in the definition.

```yaml
experiments:
  - id: shorter-name-question        # names the test in performance data: a new test, a new id
    page: your-name
    split: 50                        # the percentage of journeys shown variant b
    ends: 2026-12-31                 # optional: from the day after, everyone sees the page as it is
    b:                               # variant b: only wording changes
      title: {en: What is your name?, cy: Beth yw eich enw?}
      fields:
        full_name:
          hint: {en: As it is on your passport, cy: Fel y mae ar eich pasbort}
```

Variant a is the page as it is. Variant b is the same page with some of its words changed:
the title and body, and the label and hint of its fields. Nothing else (a field's type, its
rules, the route) can differ, so that the two variants differ in wording only and the
answers mean the same. Checked when the definition loads (`experiment_checks.py`);
journeys are assigned by `porth.services.experiments`.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from .base import FieldId, Model, PageId, Slug, Text

# What variant b may change: the words, nothing that changes what is asked or how.
PAGE_WORDING = ("title", "body", "fields")
FIELD_WORDING = ("label", "hint")


def _only(allowed: tuple[str, ...], what: str, data: Any) -> Any:
    """Refuse anything but wording with a message that says so (rather than Pydantic's
    "extra inputs are not permitted")."""
    if isinstance(data, dict):
        other = [key for key in data if key not in allowed]
        if other:
            names = ", ".join(f"`{key}`" for key in other)
            raise ValueError(f"{names} is not wording: variant b can change only {what}")
    return data


def _percentage(split: int) -> int:
    if not 1 <= split <= 99:
        raise ValueError(
            f"is {split}: give the percentage of journeys shown variant b, from 1 to 99"
        )
    return split


class FieldWording(Model):
    """Variant b's words for one field of the page."""

    label: Text | None = None
    hint: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _wording_only(cls, data: Any) -> Any:
        return _only(FIELD_WORDING, "a field's label and hint", data)


class Wording(Model):
    """Variant b: the page's words that change; anything not given stays as it is."""

    title: Text | None = None
    body: Text | None = None
    fields: dict[FieldId, FieldWording] = Field(
        default_factory=dict, description="By field id: the field's new label or hint."
    )

    @model_validator(mode="before")
    @classmethod
    def _wording_only(cls, data: Any) -> Any:
        return _only(
            PAGE_WORDING, "the page's title and body, and its fields' label and hint", data
        )

    def texts(self) -> list[tuple[str, Text]]:
        """(path inside `b`, text) of every text given, e.g. ("fields.name.label", ...)."""
        out = [(name, text) for name, text in (("title", self.title), ("body", self.body))]
        for field_id, field in self.fields.items():
            out += [
                (f"fields.{field_id}.label", field.label),
                (f"fields.{field_id}.hint", field.hint),
            ]
        return [(path, text) for path, text in out if text is not None]


class Experiment(Model):
    """An A/B test of the wording of one page."""

    id: Slug = Field(
        description="Names the test in performance data, as `<id>:a` and `<id>:b`: give a "
        "new test a new id."
    )
    page: PageId = Field(description="The page whose wording is tested.")
    split: Annotated[
        int,
        AfterValidator(_percentage),
        Field(
            description="The percentage of journeys shown variant b.",
            json_schema_extra={"minimum": 1, "maximum": 99},
        ),
    ]
    ends: date | None = Field(
        default=None,
        description="The last day of the test: from the next day every journey sees the "
        "page as it is (variant a), and the results stay on the dashboard.",
    )
    b: Wording = Field(description="Variant b: the words that differ from the page's own.")

    def running(self, today: date) -> bool:
        return self.ends is None or today <= self.ends
