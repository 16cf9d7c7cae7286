"""The question types of the service definition format, one class each."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from porth.services.definition.models import Question
from porth.utils.text import is_ascii_digits

from .base import Invalid, QuestionType, Raw, register
from .dates import MONTHS, long_date
from .phones import full_length_uk, is_valid_number


def single_input(question: Question, form: Raw) -> str:
    value = form.get(question.id, "")
    return value.strip() if isinstance(value, str) else ""


@register
class TextType(QuestionType):
    name = "text"
    template = "text.html"
    max_chars = 1000
    ascii_digits = False  # free text may quote anything: "Flat ²"

    def longest(self, question: Question, key: str) -> int:
        # A definition may allow more than the default; its max_length rule then says how
        # much is too much, in its own words.
        allowed = [r.max_length for r in question.rules if r.max_length is not None]
        return max([self.max_chars, *allowed])

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        return single_input(question, form)


@register
class TextareaType(TextType):
    name = "textarea"
    template = "textarea.html"
    max_chars = 10_000
    multiline = True

    def raw(self, question: Question, form: Raw) -> dict[str, str]:
        # Keep the citizen's line breaks, but one kind of them: browsers post CRLF.
        value = form.get(question.id, "")
        text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
        return {question.id: text}

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        return self.raw(question, form)[question.id]


# Digits 0 to 9 only: `\d` would match other scripts' digits, which Decimal reads.
_NUMBER = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")
# Few enough characters that no number has more digits than Decimal's 28 of precision.
_NUMBER_CHARS = 25


def _decimal(text: str) -> Decimal | None:
    text = text.replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


@register
class NumberType(QuestionType):
    """A whole number, e.g. how many people live with you."""

    name = "number"
    template = "number.html"
    max_chars = _NUMBER_CHARS
    unreadable_code = "not_number"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        number = _decimal(single_input(question, form))
        if number is None:
            return Invalid("not_number")
        if number != number.to_integral_value():
            return Invalid("not_whole_number")
        return int(number)

    def display(self, question: Question, value: Any, language: str) -> str:
        return f"{value:,}"


@register
class DecimalType(QuestionType):
    name = "decimal"
    template = "number.html"
    max_chars = _NUMBER_CHARS
    unreadable_code = "not_number"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        number = _decimal(single_input(question, form))
        if number is None:
            return Invalid("not_number")
        return str(number.normalize() if number == number.to_integral_value() else number)

    def to_cel(self, question: Question, value: Any) -> Any:
        return float(value)


@register
class MoneyType(QuestionType):
    """Pounds and pence, kept exactly as a string like "193.50"."""

    name = "money"
    template = "money.html"
    max_chars = _NUMBER_CHARS
    unreadable_code = "not_money"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        text = single_input(question, form).removeprefix("£").strip()
        amount = _decimal(text)
        if amount is None:
            return Invalid("not_money")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            return Invalid("too_many_pence")
        return f"{amount:.2f}"

    def to_cel(self, question: Question, value: Any) -> Any:
        return float(value)

    def display(self, question: Question, value: Any, language: str) -> str:
        return f"£{Decimal(value):,.2f}"


@register
class DateType(QuestionType):
    """A memorable date: day, month and year in three boxes."""

    name = "date"
    template = "date.html"
    parts = ("day", "month", "year")
    # Room for "01", "Gorffennaf." and "2025": longer is never a date.
    part_chars = {"day": 4, "month": 12, "year": 4}

    def longest(self, question: Question, key: str) -> int:
        return self.part_chars[key.removeprefix(f"{question.id}-")]

    def refused(
        self, question: Question, key: str, problem: str, params: Mapping[str, Any]
    ) -> Invalid:
        # The messages a wrong date part gets anyway.
        part = key.removeprefix(f"{question.id}-")
        return Invalid("date_year" if part == "year" else "date_invalid", part=part)

    def _month(self, text: str) -> int | None:
        """A month number, or a name: in full, or cut short to 3 letters or more ("Sept")."""
        if is_ascii_digits(text):
            return int(text)
        text = text.lower().rstrip(".")
        for names in (MONTHS["en"], MONTHS["cy"]):
            for number, name in enumerate(names, start=1):
                if len(text) >= 3 and name.lower().startswith(text):
                    return number
        return None

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        raw = self.raw(question, form)
        day, month, year = (raw[f"{question.id}-{p}"] for p in self.parts)
        missing = [p for p, v in zip(self.parts, (day, month, year), strict=True) if not v]
        if missing:
            return Invalid("date_missing", {"parts": missing}, part=missing[0])
        month_number = self._month(month)
        if not is_ascii_digits(day):
            return Invalid("date_invalid", part="day")
        if month_number is None or not 1 <= month_number <= 12:
            return Invalid("date_invalid", part="month")
        if not is_ascii_digits(year) or len(year) != 4:
            return Invalid("date_year", part="year")
        try:
            return date(int(year), month_number, int(day)).isoformat()
        except ValueError:
            return Invalid("date_invalid", part="day")

    def to_form(self, question: Question, value: Any) -> dict[str, Any]:
        if not value:
            return super().to_form(question, value)
        year, month, day = value.split("-")
        return {
            f"{question.id}-day": str(int(day)),
            f"{question.id}-month": str(int(month)),
            f"{question.id}-year": year,
        }

    def display(self, question: Question, value: Any, language: str) -> str:
        return long_date(date.fromisoformat(value), language)


class ChoiceType(QuestionType):
    verb = "select"
    max_chars = 100  # the longest option value a definition may give
    ascii_digits = False  # compared with the options, never read as a number
    too_long_code = unreadable_code = "not_an_option"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        value = single_input(question, form)
        if value not in {o.value for o in question.options}:
            return Invalid("not_an_option")
        return value

    def display(self, question: Question, value: Any, language: str) -> str:
        return next(o.label.get(language) for o in question.options if o.value == value)


@register
class RadiosType(ChoiceType):
    name = "radios"
    template = "radios.html"


@register
class SelectType(ChoiceType):
    name = "select"
    template = "select.html"


@register
class CheckboxesType(ChoiceType):
    name = "checkboxes"
    template = "checkboxes.html"

    def _values(self, question: Question, form: Raw) -> list[str]:
        getlist = getattr(form, "getlist", None)
        values = getlist(question.id) if getlist else form.get(question.id, [])
        values = [values] if isinstance(values, str) else list(values)
        return [v for v in values if v]

    def raw(self, question: Question, form: Raw) -> dict[str, Any]:
        return {question.id: self._values(question, form)}

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        values = self._values(question, form)
        options = [o.value for o in question.options]
        if not set(values) <= set(options) or len(set(values)) != len(values):
            return Invalid("not_an_option")
        exclusive = {o.value for o in question.options if o.exclusive}
        if len(values) > 1 and exclusive & set(values):
            chosen = next(o for o in question.options if o.exclusive and o.value in values)
            return Invalid("exclusive", {"option": chosen.label})
        return sorted(values, key=options.index)  # the order of the page, not of the post

    def to_form(self, question: Question, value: Any) -> dict[str, Any]:
        return {question.id: list(value or [])}

    def display(self, question: Question, value: Any, language: str) -> str:
        labels = {o.value: o.label.get(language) for o in question.options}
        return "\n".join(labels[v] for v in value)


@register
class YesNoType(QuestionType):
    """Yes or no, kept as true or false."""

    name = "yesno"
    template = "yesno.html"
    verb = "select"
    max_chars = 3
    ascii_digits = False  # compared with "yes" and "no"
    too_long_code = unreadable_code = "not_an_option"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        value = single_input(question, form)
        if value not in {"yes", "no"}:
            return Invalid("not_an_option")
        return value == "yes"

    def to_form(self, question: Question, value: Any) -> dict[str, Any]:
        return {question.id: "" if value is None else ("yes" if value else "no")}

    def display(self, question: Question, value: Any, language: str) -> str:
        if question.options:
            return question.options[0 if value else 1].label.get(language)
        return {True: ("Yes", "Ydw"), False: ("No", "Nac ydw")}[value][language == "cy"]


@register
class EmailType(QuestionType):
    name = "email"
    template = "email.html"
    max_chars = 320  # 64 for the name, @, 255 for the domain
    ascii_digits = False  # an internationalised address may have any script's digits
    too_long_code = unreadable_code = "not_email"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        try:
            # Syntax only: a DNS look-up would make a slow page slower and fail offline.
            checked = validate_email(single_input(question, form), check_deliverability=False)
        except EmailNotValidError:
            return Invalid("not_email")
        return checked.normalized


@register
class PhoneType(QuestionType):
    """A UK telephone number (international numbers with a + are accepted too)."""

    name = "phone"
    template = "phone.html"
    max_chars = 50  # "+44 (0)7700 900 982 extension 1234" and then some
    too_long_code = unreadable_code = "not_phone"

    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        text = single_input(question, form)
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            return Invalid("not_phone")
        if not (is_valid_number(number) or full_length_uk(number)):
            return Invalid("not_phone")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def display(self, question: Question, value: Any, language: str) -> str:
        number = phonenumbers.parse(value, "GB")
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 44
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style)


# The shape of a UK postcode (outward code, space, inward code), including BFPO-free
# special cases like GIR 0AA; from the Royal Mail format rules.
