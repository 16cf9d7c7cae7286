"""Taking obvious personal data out of a citizen's feedback comment before it is stored.

The satisfaction question's comment box asks people not to include personal details, and
some will anyway: an email address to be replied to, a phone number, a National Insurance
number "so you can find my application". Staff who read the comments must not see them, and
performance data holds no personal data, so each is replaced with a plain placeholder such
as "[email removed]" before the comment is stored. The raw text is never stored or logged.

The rules err towards removing too much: a comment that loses a figure is still useful,
while one that keeps a card number is a data breach. They are run in an order where the
more specific pattern goes first (a card number before a phone number, a date before a
run of digits), each on the text the previous rules left.
"""

import re

import phonenumbers

EMAIL = "[email removed]"
PHONE = "[phone number removed]"
NI_NUMBER = "[National Insurance number removed]"
POSTCODE = "[postcode removed]"
CARD = "[card number removed]"
DATE = "[date removed]"
REFERENCE = "[reference removed]"
NUMBER = "[number removed]"

# Between the parts of a number people type: a space, a hyphen or a dot (one at a time).
_SEP = r"[ \t\-.]?"

# Generous on purpose: a few characters around "@" with a dot after it (as people type
# them, including "name @ example.com" and addresses with IP literals or odd characters).
_NOT_IN_EMAIL = r"\s@<>()\[\],;:\"'"
_EMAIL = re.compile(rf"[^{_NOT_IN_EMAIL}]+\s?@\s?(?:[^{_NOT_IN_EMAIL}.]+\.)+[^{_NOT_IN_EMAIL}.]+")

# 13 to 19 digits, in groups or not, starting as card numbers do (2 to 6; never 0, as
# phone numbers do): checked with the Luhn sum before it is called a card.
_CARD = re.compile(rf"(?<!\d)[2-6](?:{_SEP}\d){{12,18}}(?!\d)")

# Two letters, six digits (in pairs or not) and an optional final letter A-D; any case, any
# spacing. Stricter prefix rules (no D, F, I, Q, U or V) would let typing slips through.
_NI_NUMBER = re.compile(
    rf"\b[A-Z]{_SEP}[A-Z]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?:{_SEP}[A-D])?\b", re.IGNORECASE
)

_MONTHS = (
    # English, short and long, then Welsh (comments may be in Welsh).
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    "|ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|awst|medi|hydref|tachwedd|rhagfyr"
)
_D = r"(?:0?[1-9]|[12]\d|3[01])"
_M = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|af|il|ydd|ed|fed)?"
_DATES = [
    # 27/03/1958, 27-3-58, 27.03.1958 (day first, as in the UK), 1958-03-27; 3/27/1958 too
    re.compile(rf"(?<![\d/.\-]){_D}([/.\-]){_M}\1(?:\d{{4}}|\d{{2}})(?![/.\-]?\d)"),
    re.compile(rf"(?<![\d/.\-]){_M}([/.\-]){_D}\1\d{{4}}(?![/.\-]?\d)"),
    re.compile(rf"(?<![\d/.\-])\d{{4}}([/.\-]){_M}\1{_D}(?![/.\-]?\d)"),
    # 27 March 1958, 27th of March, 1958
    re.compile(rf"\b{_DAY}(?: of)?[ \-/]+(?:{_MONTHS})\.?,?[ \-/]+\d{{2,4}}\b", re.IGNORECASE),
    # March 27th, 1958
    re.compile(rf"\b(?:{_MONTHS})\.? {_DAY},? \d{{4}}\b", re.IGNORECASE),
]

# The full postcode (outward and inward parts), with or without its space, any case.
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)

# Porth's own references (porth.submissions.references): an optional prefix, then two
# groups of four from an alphabet without look-alikes. A reference names one submission, so
# feedback quoting it could be tied back to the citizen.
_REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"
_REFERENCE = re.compile(
    rf"\b(?:[A-Z]{{2,4}}-)?[{_REFERENCE_ALPHABET}]{{4}}-[{_REFERENCE_ALPHABET}]{{4}}\b",
    re.IGNORECASE,
)

# Six digits or more, however grouped: account numbers, sort codes, the rest of anything
# above that was typed oddly. Money ("£1,200") and years stand alone and are kept.
_DIGITS = re.compile(rf"(?<!\d)\d(?:{_SEP}[()]?{_SEP}\d){{5,}}(?!\d)")


def screen(text: str) -> str:
    """`text` with the personal data it obviously holds replaced by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _CARD.sub(_card, text)
    text = _NI_NUMBER.sub(NI_NUMBER, text)
    for pattern in _DATES:
        text = pattern.sub(DATE, text)
    text = _phones(text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _REFERENCE.sub(_reference, text)
    return _DIGITS.sub(NUMBER, text)


def _card(match: re.Match[str]) -> str:
    digits = [int(c) for c in match.group() if c.isdigit()]
    return CARD if luhn_ok(digits) else NUMBER


def luhn_ok(digits: list[int]) -> bool:
    """The Luhn check that every payment card number passes (and 9 in 10 other numbers fail)."""
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


_PHONE_DIGITS = 7  # the shortest subscriber numbers, without their area code


def _phones(text: str) -> str:
    """UK and international numbers, as libphonenumber finds them in text. POSSIBLE rather
    than VALID: a number with a digit wrong, or from a range not yet in its metadata, is
    still someone's number."""
    out: list[str] = []
    last = 0
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if sum(c.isdigit() for c in match.raw_string) < _PHONE_DIGITS:
            continue  # a year, an amount, a count: "possible" numbers, but nobody's phone
        placeholder = PHONE if phonenumbers.is_valid_number(match.number) else NUMBER
        out += [text[last : match.start], placeholder]
        last = match.end
    out.append(text[last:])
    return "".join(out)


def _reference(match: re.Match[str]) -> str:
    # Typed in lower case, a reference looks like two hyphenated words ("deep-cut"): only
    # upper case, or with a digit in it, is taken for one.
    found = match.group()
    return REFERENCE if found.isupper() or any(c.isdigit() for c in found) else found
