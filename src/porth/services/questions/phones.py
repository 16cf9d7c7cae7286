"""Which telephone numbers a phone question accepts: those `phonenumbers` finds valid, and
full-length UK numbers in ranges it does not list yet."""

import re

import phonenumbers


def is_valid_number(number: phonenumbers.PhoneNumber) -> bool:
    """`phonenumbers.is_valid_number`, with each region's ranges checked once.

    That function first finds the number's region, by checking the ranges of each region that
    shares the calling code, then checks the ranges of the region it found a second time. With
    GB's ranges asked first, as they were, a Guernsey mobile was checked four times, and phone
    questions took a fifth of the engine benchmark's time. Here each region is checked at
    most once; a region that declares leading digits is chosen by them alone, as the library
    does, so the verdict is always the library's (a test compares them).
    """
    regions = phonenumbers.region_codes_for_country_code(number.country_code or 0)
    if len(regions) < 2:  # a calling code of its own (or none): nothing to choose between
        return bool(regions) and phonenumbers.is_valid_number_for_region(number, regions[0])
    nsn = phonenumbers.national_significant_number(number)
    for region in regions:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if re.match(metadata.leading_digits, nsn):
                return phonenumbers.is_valid_number_for_region(number, region)
        elif phonenumbers.is_valid_number_for_region(number, region):
            return True
    return False


def full_length_uk(number: phonenumbers.PhoneNumber) -> bool:
    """A UK number of the full 10 digits in a range the library does not list as allocated:
    new ranges, and Ofcom's drama numbers, which our own error message gives as examples."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    return (
        number.country_code == 44
        and reason == phonenumbers.ValidationResult.IS_POSSIBLE
        and len(str(number.national_number)) == 10
    )
