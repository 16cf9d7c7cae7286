"""`fq`, Solr's filter syntax as CKAN's clients send it (search.py): `field:value` terms,
quoted or escaped values, lists, date ranges, AND, OR and `-` for "not", each term a
condition on the datasets. See docs/opendata-search.md."""

import datetime
import operator
import re
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import Dataset

LOOKUPS = {
    "organization": "organisation__slug",
    "groups": "themes__name",
    "tags": "tags__name",
    "res_format": "resources__format__iexact",
    "license_id": "license_id",
    "name": "name",
    "id": "id",
}
RANGES = {"metadata_modified": "modified", "metadata_created": "created"}


class SearchQueryError(ValueError):
    """A `q`, `fq` or `sort` that cannot be understood (CKAN's "Search Query Error")."""


_TERM = re.compile(
    r"""\s*(?:
        (?P<op>AND|OR|&&|\|\|)(?=\s|$)
      | (?P<sign>[+-]?)(?P<field>[A-Za-z_]+):(?P<value>
            "(?:[^"\\]|\\.)*"          # "a quoted value"
          | \((?:[^()"]|"[^"]*")*\)     # (a OR "b c")
          | \[[^\]]*\]                  # [from TO to]
          | (?:[^\s()"\[\]\\]|\\.)+     # a plain value, \ escaping a space
        )
    )""",
    re.VERBOSE,
)
_LIST_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)


def _instant(text: str, field_name: str) -> datetime.datetime | None:
    """A Solr date (2024-01-31T00:00:00Z, or a date, `*` or NOW) as an aware datetime."""
    if text == "*":
        return None
    if text == "NOW":
        return timezone.now()
    moment = parse_datetime(text)
    if moment is None and (day := parse_date(text)) is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise SearchQueryError(
            f'Can\'t read "{text}" in {field_name} as a date: use 2024-01-31T00:00:00Z, * or NOW'
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def _condition(field_name: str, value: str) -> Q:
    """The condition of one `field:value` term."""
    if field_name in RANGES:
        bounds = re.fullmatch(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]", value)
        if not bounds:
            raise SearchQueryError(f"Give {field_name} as a range: {field_name}:[from TO to]")
        column, condition = RANGES[field_name], Q()
        if (low := _instant(bounds[1], field_name)) is not None:
            condition &= Q(**{f"{column}__gte": low})
        if (high := _instant(bounds[2], field_name)) is not None:
            condition &= Q(**{f"{column}__lte": high})
        return condition
    if value.startswith("["):
        raise SearchQueryError(f"{field_name} can't take a range, only a value")
    if value.startswith("("):
        items = [unquote(m[0]) for m in _LIST_ITEM.finditer(value[1:-1]) if m[0] != "OR"]
        if not items:
            raise SearchQueryError(f"{field_name}:() has no values")
        return reduce(operator.or_, (_equals(field_name, item) for item in items))
    return _equals(field_name, unquote(value))


def _equals(field_name: str, value: str) -> Q:
    if field_name == "dataset_type":  # every package here is a dataset
        return Q() if value == "dataset" else Q(pk__in=[])
    if field_name == "capacity":
        if value not in {"public", "private"}:
            raise SearchQueryError('capacity is "public" or "private"')
        return Q(private=value == "private")
    if field_name not in LOOKUPS:
        known = ", ".join(sorted([*LOOKUPS, *RANGES, "capacity", "dataset_type"]))
        raise SearchQueryError(f'Can\'t filter on "{field_name}": use one of {known}')
    if field_name == "id" and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", value):
        return Q(pk__in=[])
    return Q(**{LOOKUPS[field_name]: value})


def filtered(found: QuerySet[Dataset], fq: str) -> QuerySet[Dataset]:
    """`found` narrowed by `fq`: terms all apply (AND may be written), `a OR b` joins two,
    `-field:value` excludes. Each term filters on its own, so `tags:a tags:b` finds datasets
    with both tags."""
    groups: list[list[tuple[bool, Q]]] = []
    joining = False
    position = 0
    text = fq.strip()
    while position < len(text):
        term = _TERM.match(text, position)
        if term is None or term.end() == position:
            raise SearchQueryError(
                f'Can\'t parse fq at "{text[position:][:40]}": use field:value, '
                'field:"a value", -field:value'
            )
        position = term.end()
        if term["op"]:
            if term["op"] in {"OR", "||"}:
                if not groups:
                    raise SearchQueryError("fq can't start with OR")
                joining = True
            continue
        negated = term["sign"] == "-"
        clause = (negated, _condition(term["field"], term["value"]))
        if joining:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        joining = False
    if joining:
        raise SearchQueryError("fq can't end with OR")
    for group in groups:
        either = Q(pk__in=[])
        for negated, condition in group:
            # A negated term on tags etc. is "has no such tag", not "has another tag".
            either |= (
                ~Q(pk__in=Dataset.objects.filter(condition).values("pk"))
                if negated
                else (Q(pk__in=Dataset.objects.filter(condition).values("pk")))
            )
        found = found.filter(either)
    return found
