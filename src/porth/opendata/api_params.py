"""Reading the parameters of a CKAN action as CKAN does (api_reads.py and api_writes.py):
text, booleans, numbers and lists given as a query string, a form or a JSON body; and the
look-ups both kinds of action share."""

import uuid
from typing import Any

import orjson
from django.db.models.query import QuerySet

from .api import Call, NotFound
from .datasets import MISSING, Invalid
from .models import Dataset, Resource


def text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return "" if value is None else str(value).strip()


def boolean(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


def number(params: dict[str, Any], key: str, default: int, *, natural: bool = True) -> int:
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        given = int(str(value).strip())
    except ValueError:
        raise Invalid({key: ["Invalid integer"]}) from None
    if natural and given < 0:
        raise Invalid({key: ["Must be a natural number"]})
    return given


def names(params: dict[str, Any], key: str) -> list[str]:
    """`facet.field` and the like: a JSON list (as CKAN documents it), a real list (from a
    JSON body, or a key repeated in a query string) or one plain name."""
    value = params.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = orjson.loads(stripped)
            except orjson.JSONDecodeError:
                raise Invalid({key: ['Must be a JSON list, such as ["tags"]']}) from None
        else:
            value = [stripped]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid({key: ["Must be a list of names"]})
    return value


def identifier(params: dict[str, Any], *keys: str) -> str:
    for key in keys:
        found = text(params, key)
        if found:
            return found
    raise Invalid({keys[0]: [MISSING]})


def as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def loaded(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("organisation").prefetch_related("tags", "themes", "resources")


def resource_by_id(call: Call) -> Resource:
    """The resource `id` names, whoever may see it (actions.* check who may change it)."""
    key = as_uuid(identifier(call.params, "id"))
    found = (
        Resource.objects.select_related("dataset__organisation").filter(pk=key).first()
        if key
        else None
    )
    if found is None:
        raise NotFound("Resource was not found.")
    return found
