"""Question types for UK identifiers and addresses: postcode, address, National Insurance
number."""

import re
from typing import Any

from porth.services.definition.models import Question

from .base import Invalid, QuestionType, Raw, register
from .types import single_input

_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


@register
class PostcodeType(QuestionType):
    name = "postcode"
    template = "postcode.html"
    max_chars = 16
    too_long_code = unreadable_code = "not_postcode"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        postcode = normalise_postcode(single_input(question, form))
        return Invalid("not_postcode") if postcode is None else postcode


@register
class AddressType(QuestionType):
    """A UK address in the GOV.UK address pattern: two lines, town, county, postcode."""

    name = "address"
    template = "address.html"
    parts = ("line1", "line2", "town", "county", "postcode")
    needed = ("line1", "town", "postcode")
    max_chars = 100  # each line
    ascii_digits = False
    too_long_code = "address_too_long"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        raw = self.raw(question, form)
        value = {part: raw[f"{question.id}-{part}"] for part in self.parts}
        for part in self.needed:
            if not value[part]:
                return Invalid(f"address_{part}", part=part)
        postcode = normalise_postcode(value["postcode"])
        if postcode is None:
            return Invalid("not_postcode", part="postcode")
        return {**value, "postcode": postcode}

    def display(self, question: Question, value: Any, language: str) -> str:
        return "\n".join(value[part] for part in self.parts if value.get(part))

    def length(self, value: Any) -> int:
        return sum(len(v) for v in value.values())


# National Insurance numbers: two prefix letters (D, F, I, Q, U, V never; O never second;
# BG, GB, KN, NK, NT, TN, ZZ never allocated), six digits, suffix A-D. HMRC's published rules.
_NINO = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


@register
class NinoType(QuestionType):
    name = "nino"
    template = "nino.html"
    max_chars = 20
    too_long_code = unreadable_code = "not_nino"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        compact = re.sub(r"\s+", "", single_input(question, form)).upper()
        if not _NINO.match(compact):
            return Invalid("not_nino")
        return f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:8]} {compact[8]}"
