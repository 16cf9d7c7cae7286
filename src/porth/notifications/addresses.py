"""Addresses checked when a message is sent, as GOV.UK Notify checks them: an address that
would be refused becomes a permanent failure with a plain-English reason for staff (which
never repeats the address), instead of a request to the provider that must fail.

Email: the syntax, by email-validator (no DNS look-up: the provider finds a dead domain).
Text messages: UK mobile numbers as Notify reads them (any spaces, brackets and dashes; 07…,
447…, +447…, 00447…: ten digits after the 0, starting with 7), and international numbers
that `phonenumbers` finds valid (Notify sends those only for services allowed to).
"""

import string

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# What Notify ignores in a number: spaces of every kind, brackets and dashes.
_IGNORED = set(string.whitespace + "\u180e\u200b\u200c\u200d\u2060\u00a0\ufeff()-")


class Invalid(Exception):
    """The address cannot be sent to. `message`: why, in plain English, without the address."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check(kind: str, to: str) -> str:
    """The address to send to, normalised (an email address as email-validator writes it; a
    phone number in E.164, +447700900123), or raise Invalid."""
    if not to.strip():
        raise Invalid("There is no address to send the message to.")
    return email(to) if kind == "email" else phone(to)


def email(to: str) -> str:
    try:
        return validate_email(to, check_deliverability=False).normalized
    except EmailNotValidError as error:
        # Its reasons name the fault, not the address ("It must have exactly one @-sign.").
        raise Invalid(f"The email address is not valid. {error}") from None


def phone(to: str) -> str:
    number = "".join(c for c in to if c not in _IGNORED)
    international = number.startswith("+") or number.startswith("00")
    number = number.removeprefix("+").removeprefix("00")
    if not number.isdigit() or not number.isascii():
        raise Invalid("The phone number must not contain letters or symbols.")
    if international and not number.startswith("44"):
        try:
            parsed = phonenumbers.parse(f"+{number}")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise Invalid("The phone number is not a valid international number.")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    national = number.removeprefix("44").lstrip("0")
    if not national.startswith("7"):
        raise Invalid(
            "The phone number is not a UK mobile number (those start with 07), "
            "so a text message cannot be sent to it."
        )
    if len(national) > 10:
        raise Invalid("The phone number has too many digits for a UK mobile number.")
    if len(national) < 10:
        raise Invalid("The phone number has too few digits for a UK mobile number.")
    return f"+44{national}"
