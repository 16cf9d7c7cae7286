"""Feedback comments lose the personal data typed into them, and keep everything else."""

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from porth.analytics.screening import (
    CARD,
    DATE,
    EMAIL,
    NI_NUMBER,
    NUMBER,
    PHONE,
    POSTCODE,
    REFERENCE,
    luhn_ok,
    screen,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Email addresses, as people type them.
        ("Reply to jo.bloggs@example.com please", f"Reply to {EMAIL} please"),
        ("email: Siân.Jones+council@mail.example.co.uk.", f"email: {EMAIL}."),
        ("write to JO_BLOGGS @ example.org", f"write to {EMAIL}"),
        ("(gareth@example.cymru)", f"({EMAIL})"),
        # UK phone numbers, every way they are written.
        ("Call me on 07911 123456", f"Call me on {PHONE}"),
        ("mob 07911123456 anytime", f"mob {PHONE} anytime"),
        ("home (029) 2087 2087", f"home {PHONE}"),
        ("020 7946 0018 after 5", f"{PHONE} after 5"),
        ("+44 7911 123456", PHONE),
        ("+44 (0)7911 123456", PHONE),
        ("0044 7911 123456", PHONE),
        ("029-2087-2087", PHONE),
        # International numbers.
        ("my US number is +1 415 555 2671", f"my US number is {PHONE}"),
        ("+33 1 42 68 53 00", PHONE),
        ("+353 1 234 5678", PHONE),
        # National Insurance numbers: spaced, run together, any case, with or without suffix.
        ("NI number AB 12 34 56 C", f"NI number {NI_NUMBER}"),
        ("my nino is jh123456a", f"my nino is {NI_NUMBER}"),
        ("QQ123456", NI_NUMBER),
        ("AB-12-34-56-D", NI_NUMBER),
        # Postcodes, whole.
        ("I live at CF10 1EP", f"I live at {POSTCODE}"),
        ("sa11xy is my postcode", f"{POSTCODE} is my postcode"),
        ("SW1A 2AA", POSTCODE),
        ("EC1A1BB", POSTCODE),
        # Payment card numbers (Luhn), and numbers that look like one but fail the check.
        ("card 4111 1111 1111 1111 was charged", f"card {CARD} was charged"),
        ("5555-5555-5555-4444", CARD),
        ("378282246310005", CARD),
        ("4111 1111 1111 1112", NUMBER),
        # Dates of birth.
        ("born 27/03/1958", f"born {DATE}"),
        ("DOB 27.3.58", f"DOB {DATE}"),
        ("1958-03-27", DATE),
        ("27 March 1958", DATE),
        ("27th of March, 1958", DATE),
        ("March 27, 1958", DATE),
        ("ganwyd 27 Mawrth 1958", f"ganwyd {DATE}"),
        ("3 Sept 1990", DATE),
        # Account and reference numbers.
        ("council tax account 50012345", f"council tax account {NUMBER}"),
        ("sort code 12-34-56 account 12345678", f"sort code {NUMBER} account {NUMBER}"),
        ("reference BB-ACDE-FGH3 please", f"reference {REFERENCE} please"),
        ("ref bb-4cde-fgh3", f"ref {REFERENCE}"),
        # Several at once.
        (
            "I'm Jo (AB123456C), jo@example.com, 07911 123456, CF10 1EP",
            f"I'm Jo ({NI_NUMBER}), {EMAIL}, {PHONE}, {POSTCODE}",
        ),
    ],
)
def test_personal_data_is_replaced_with_a_placeholder(typed: str, stored: str) -> None:
    assert screen(typed) == stored


@pytest.mark.parametrize(
    "comment",
    [
        "Very good service, thank you!",
        "It took 20 minutes and cost £1,200 in 2024.",
        "Page 3 of 5 was confusing; I had to go back 2 times.",
        "The office was closed on 25/12 and 26/12.",
        "I waited 45 minutes on hold at 10:30am.",
        "Top 10 service. 100% recommend, 5 stars.",
        "Roedd y gwasanaeth yn dda iawn. Diolch yn fawr!",
        "A deep-cut kerb by the school gate needs fixing.",
        "It's 2025 and I still had to print a form.",
        "Mae angen i mi lenwi'r ffurflen am 9 o'r gloch.",
        "",
    ],
)
def test_comments_without_personal_data_are_kept_as_typed(comment: str) -> None:
    assert screen(comment) == comment


def test_the_luhn_check_accepts_card_numbers_only() -> None:
    assert luhn_ok([int(d) for d in "4111111111111111"])
    assert luhn_ok([int(d) for d in "79927398713"])
    assert not luhn_ok([int(d) for d in "4111111111111112"])


# --- Properties: whatever surrounds it, a generated identifier never survives ---------------

_words = st.lists(
    st.sampled_from(
        ["Thanks", "the form", "was", "slow", "diolch", "!", ",", "and", "call", "me", "on", "at"]
    ),
    max_size=6,
).map(" ".join)

_local = st.from_regex(r"[a-z][a-z0-9._+\-]{0,15}[a-z0-9]", fullmatch=True)
_domain = st.from_regex(r"[a-z][a-z0-9\-]{0,10}[a-z0-9](\.[a-z]{2,6}){1,2}", fullmatch=True)
emails = st.builds(lambda local, domain: f"{local}@{domain}", _local, _domain)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def _spaced(number: str, draw_sep: st.DrawFn) -> str:
    """The number with a separator people use after each digit now and then."""
    out = []
    for i, c in enumerate(number):
        out.append(c)
        if i < len(number) - 1 and c.isdigit() and number[i + 1].isdigit():
            out.append(draw_sep(st.sampled_from(["", "", "", " ", "-"])))
    return "".join(out)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A UK mobile, UK landline or foreign number, as valid numbers are (the matcher is asked
    to find possible numbers, so these are the least it must find), formatted as people do."""
    region = draw(st.sampled_from(["GB", "GB", "GB", "US", "FR", "IE", "DE", "IN", "AU"]))
    kind = draw(
        st.sampled_from(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
    )
    example = phonenumbers.example_number_for_type(region, kind)
    assert example is not None
    national = str(example.national_number)
    # Change the subscriber part, keeping the number valid.
    tail = draw(_digits(4))
    candidate = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail}")
    if not phonenumbers.is_valid_number(candidate):
        candidate = example
    style = draw(
        st.sampled_from(
            [
                phonenumbers.PhoneNumberFormat.NATIONAL,
                phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.E164,
            ]
        )
    )
    if region != "GB" and style == phonenumbers.PhoneNumberFormat.NATIONAL:
        style = phonenumbers.PhoneNumberFormat.INTERNATIONAL  # abroad, people add the code
    formatted = phonenumbers.format_number(candidate, style)
    if draw(st.booleans()):
        formatted = re.sub(r"[ \-()]", "", formatted)
    return formatted


@st.composite
def ni_numbers(draw: st.DrawFn) -> str:
    letters = draw(st.from_regex(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]", fullmatch=True))
    suffix = draw(st.sampled_from(["A", "B", "C", "D", ""]))
    number = letters + draw(_digits(6)) + suffix
    number = _spaced(number, draw) if draw(st.booleans()) else number
    return number.lower() if draw(st.booleans()) else number


def _leaks(secret: str, screened: str) -> bool:
    """Whether the secret, or its digits run together, is still in the screened text."""
    digits = re.sub(r"\D", "", secret)
    return secret.lower() in screened.lower() or (
        len(digits) >= 6 and digits in re.sub(r"\D", "", screened)
    )


@settings(max_examples=300)
@given(before=_words, secret=st.one_of(emails, phone_numbers(), ni_numbers()), after=_words)
def test_a_generated_email_phone_or_ni_number_never_survives(
    before: str, secret: str, after: str
) -> None:
    screened = screen(f"{before} {secret} {after}")
    assert not _leaks(secret, screened), screened


@given(st.text(max_size=300))
def test_screening_never_fails_and_never_adds_digits(text: str) -> None:
    screened = screen(text)
    assert sum(c.isdigit() for c in screened) <= sum(c.isdigit() for c in text)
