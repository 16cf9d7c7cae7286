"""Addresses are checked as GOV.UK Notify checks them, with reasons that never repeat them."""

import pytest

from porth.notifications import addresses


@pytest.mark.parametrize(
    ("given", "sent_to"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900000", "+447700900000"),  # Notify's own test numbers
        ("+44 (0)7700-900-003", "+447700900003"),
        ("447700900222", "+447700900222"),
        ("0044 7700 900222", "+447700900222"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_uk_mobiles_and_valid_international_numbers_are_sent_to(given: str, sent_to: str) -> None:
    assert addresses.check("sms", given) == sent_to


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("020 7946 0000", "not a UK mobile number"),
        ("+441632960000", "not a UK mobile number"),
        ("07700 9001234", "too many digits"),
        ("07700 90012", "too few digits"),
        ("07700 9001A3", "must not contain letters or symbols"),
        ("+999 123", "not a valid international number"),
        ("", "no address"),
    ],
)
def test_numbers_that_cannot_take_a_text_message_are_refused(given: str, reason: str) -> None:
    with pytest.raises(addresses.Invalid) as refused:
        addresses.check("sms", given)

    assert reason in refused.value.message
    assert given.strip() == "" or given not in refused.value.message


@pytest.mark.parametrize(
    "given", ["jo@example..com", "jo@@example.com", "jo@localhost", "jo@example.test", "jo"]
)
def test_email_addresses_that_cannot_work_are_refused(given: str) -> None:
    with pytest.raises(addresses.Invalid) as refused:
        addresses.check("email", given)

    assert refused.value.message.startswith("The email address is not valid.")
    assert given not in refused.value.message


def test_an_email_address_is_sent_to_as_written_with_its_domain_normalised() -> None:
    assert addresses.check("email", "Jo.Bloggs@EXAMPLE.com") == "Jo.Bloggs@example.com"
    assert addresses.check("email", "temp-fail@simulator.notify") == "temp-fail@simulator.notify"
