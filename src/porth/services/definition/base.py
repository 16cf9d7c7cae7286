"""The pieces every part of a definition is built from: its model base, the words a citizen
reads (`Text`), page and question ids, slugs and CEL expressions. (Split from models.py, which
holds the pages and the definition itself; templates.py holds the messages to applicants.)"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .limits import MAX_LENGTH

FieldId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60),
    Field(description="Lower-case words joined by underscores; `answers.<id>` in conditions."),
]
PageId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=60),
    Field(description="Lower-case words joined by hyphens; used in the page's address."),
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=80)]
Expression = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_LENGTH),
    Field(description="A CEL expression over `answers` (and `today`, `age()`)."),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Model):
    """Words a citizen reads, in English and Welsh."""

    en: str = Field(min_length=1)
    cy: str | None = Field(default=None, min_length=1)

    def get(self, language: str) -> str:
        return (self.cy if language == "cy" else None) or self.en
