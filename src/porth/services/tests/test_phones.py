"""The phone question's own validity check gives the `phonenumbers` library's verdict."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from porth.services.questions.phones import is_valid_number


@pytest.mark.parametrize(
    "text",
    [
        "029 2087 1234",  # GB landline
        "07700 900123",  # Ofcom drama range: not allocated
        "07911 123456",  # Guernsey mobile, behind GB in +44's list
        "01481 123456",  # Guernsey landline
        "01534 123456",  # Jersey
        "07797 123456",  # Jersey mobile
        "07624 123456",  # Isle of Man: chosen by its leading digits
        "01624 123456",
        "07524 123456",  # Isle of Man's leading digits, not an Isle of Man range
        "07457 612345",  # Isle of Man mobile
        "+1 268 464 1234",  # Antigua: NANPA, chosen by leading digits
        "+1 212 555 0100",
        "+1 415 555 2671",
        "+1 905 555 1234",  # Canada
        "+33 1 23 45 67 89",
        "+7 495 123 45 67",  # Russia and Kazakhstan share +7
        "+7 701 123 4567",
        "+800 1234 5678",  # a calling code with no region
        "+979 1234 5678",
        "+262 692 12 34 56",  # Réunion and Mayotte
        "+599 9 123 4567",  # Curaçao and Bonaire
        "+44 20 7946 0000",
        "+44 1234",
    ],
)
def test_phone_check_agrees_with_phonenumbers(text: str) -> None:
    """Our faster check gives phonenumbers' own verdict, for every region sharing a code."""
    number = phonenumbers.parse(text, "GB")
    assert is_valid_number(number) == phonenumbers.is_valid_number(number)


@given(
    country_code=st.sampled_from([44, 1, 7, 262, 599, 47, 61, 290, 800]),
    prefix=st.sampled_from(["", "7", "1", "74576", "1624", "7524", "7624", "1481", "1534", "268"]),
    rest=st.integers(0, 10**8),
)
def test_phone_check_agrees_with_phonenumbers_for_any_number(
    country_code: int, prefix: str, rest: int
) -> None:
    number = phonenumbers.PhoneNumber(
        country_code=country_code, national_number=int(f"{prefix}{rest}")
    )
    assert is_valid_number(number) == phonenumbers.is_valid_number(number)
