"""Error messages in the GOV.UK style, in the citizen's language.

Question types and rules give a code; this turns it into words. A definition's own words
(a rule's `message`, a question's `messages`) always win.
"""

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from porth.services.definition.models import Question, Text

from .base import Invalid, get
from .dates import long_date


def _name(question: Question, language: str) -> str:
    if question.name is not None:
        return question.name.get(language)
    return _("your answer") if get(question.type).verb == "enter" else _("an option")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# Welsh joins "i" (to, for) with the word after it when that is the article or a possessive:
# "Rhaid i'ch ateb", "Rhaid i'r rhif", never "Rhaid i eich ateb" or "Rhaid i y rhif". The
# name is put into the sentence after translation, so the join is made here.
_WELSH_JOINS = {"y": "'r", "yr": "'r", "eich": "'ch", "ein": "'n", "ei": "'w", "eu": "'w"}
_WELSH_AFTER_I = re.compile(r"\b([Ii]) (y|yr|eich|ein|ei|eu)\b")


def _welsh(text: str) -> str:
    return _WELSH_AFTER_I.sub(lambda m: m[1] + _WELSH_JOINS[m[2]], text)


_MESSAGES: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "not_number": lambda n, p: _("%(name)s must be a number") % {"name": n},
    "control_characters": lambda n, p: (
        _("%(name)s must not include hidden characters") % {"name": n}
    ),
    "not_whole_number": lambda n, p: _("%(name)s must be a whole number") % {"name": n},
    "not_money": lambda n, p: (
        _("%(name)s must be an amount of money, like 600 or 193.54") % {"name": n}
    ),
    "too_many_pence": lambda n, p: (
        _("%(name)s must not include fractions of a penny") % {"name": n}
    ),
    "too_small": lambda n, p: (
        _("%(name)s must be %(limit)s or more") % {"name": n, "limit": p["limit"]}
    ),
    "too_big": lambda n, p: (
        _("%(name)s must be %(limit)s or less") % {"name": n, "limit": p["limit"]}
    ),
    "too_short": lambda n, p: (
        _("%(name)s must be %(limit)s characters or more") % {"name": n, "limit": p["limit"]}
    ),
    "too_long": lambda n, p: (
        _("%(name)s must be %(limit)s characters or fewer") % {"name": n, "limit": p["limit"]}
    ),
    "too_few": lambda n, p: (
        ngettext(
            "Select at least %(limit)s option", "Select at least %(limit)s options", p["limit"]
        )
        % {"limit": p["limit"]}
    ),
    "too_many": lambda n, p: (
        ngettext(
            "Select no more than %(limit)s option",
            "Select no more than %(limit)s options",
            p["limit"],
        )
        % {"limit": p["limit"]}
    ),
    "not_an_option": lambda n, p: _("Select one of the options"),
    "exclusive": lambda n, p: (
        _("Select ‘%(option)s’ on its own, or the options that apply")
        % {"option": p["option"].get(get_language())}
    ),
    "date_invalid": lambda n, p: _("%(name)s must be a real date") % {"name": n},
    "date_year": lambda n, p: _("Year must include 4 numbers"),
    "date_before_today": lambda n, p: _("%(name)s must be in the past") % {"name": n},
    "date_after_today": lambda n, p: _("%(name)s must be in the future") % {"name": n},
    "date_before": lambda n, p: (
        _("%(name)s must be before %(date)s")
        % {"name": n, "date": long_date(p["date"], get_language())}
    ),
    "date_after": lambda n, p: (
        _("%(name)s must be after %(date)s")
        % {"name": n, "date": long_date(p["date"], get_language())}
    ),
    "not_email": lambda n, p: _(
        "Enter an email address in the correct format, like name@example.com"
    ),
    "not_phone": lambda n, p: _(
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    ),
    "not_postcode": lambda n, p: _("Enter a full UK postcode, like AA3 1AB"),
    "not_nino": lambda n, p: _(
        "Enter a National Insurance number in the correct format, like QQ 12 34 56 C"
    ),
    "address_line1": lambda n, p: _("Enter address line 1, typically the building and street"),
    "address_town": lambda n, p: _("Enter town or city"),
    "address_postcode": lambda n, p: _("Enter postcode"),
    "address_too_long": lambda n, p: _("Each line of the address must be 100 characters or fewer"),
}


def _required(question: Question, name: str) -> str:
    if get(question.type).verb == "select":
        return _("Select %(name)s") % {"name": name}
    return _("Enter %(name)s") % {"name": name}


def _date_missing(name: str, parts: list[str]) -> str:
    words = {"day": _("a day"), "month": _("a month"), "year": _("a year")}
    if len(parts) == 3:
        return _("Enter %(name)s") % {"name": name}
    joined = _(" and ").join(words[p] for p in parts)
    return _("%(name)s must include %(parts)s") % {"name": name, "parts": joined}


def message(question: Question, invalid: Invalid) -> str:
    language = get_language()
    if invalid.message is not None:
        own: Text = invalid.message
        return own.get(language)
    name = _name(question, language)
    if invalid.code == "required":
        text = _required(question, name)
    elif invalid.code == "date_missing":
        text = _date_missing(name, list(invalid.params["parts"]))
    else:
        text = _MESSAGES[invalid.code](name, dict(invalid.params))
    if language == "cy":
        text = _welsh(text)
    # Capitalise the sentence, not the name: in Welsh the name comes later ("Rhaid i …").
    return _cap(text)
