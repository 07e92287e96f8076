"""Norwegian organisation numbers: the modulus-11 check digit (Brønnøysundregistrene)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from berekraft.core.orgnr import check_digit, clean_org_number

# Published numbers of real organisations (Enhetsregisteret): Brønnøysundregistrene, NTNU,
# Trondheim kommune, Statistisk sentralbyrå.
PUBLISHED = ["974760673", "974767880", "942110464", "971526920"]


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_organisation_numbers_pass(number: str) -> None:
    assert clean_org_number(number) == number


def test_spaces_as_people_write_them_are_dropped() -> None:
    assert clean_org_number(" 974 760 673 ") == "974760673"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("974760674", "check digit"),
        ("97476067", "9 digits"),
        ("9747606730", "9 digits"),
        ("97476067X", "only digits"),
        ("９７４７６０６７３", "only digits"),
        ("", "9 digits"),
    ],
)
def test_wrong_numbers_are_refused_saying_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        clean_org_number(text)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 9))
def test_exactly_one_last_digit_fits_or_none(first: str, last: int) -> None:
    """For any eight digits, the weighted sum decides one check digit (or none when it would be
    10); every other ninth digit is refused: a single mistyped last digit is always caught."""
    total = sum(int(d) * w for d, w in zip(first, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    fits = (11 - total % 11) % 11 == last and (11 - total % 11) != 10
    if fits:
        assert clean_org_number(first + str(last)) == first + str(last)
        assert check_digit(first) == last
    else:
        with pytest.raises(ValueError):
            clean_org_number(first + str(last))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_a_single_changed_digit_is_always_caught(number: str, position: int, shift: int) -> None:
    """Modulus 11 with these weights catches every single-digit error in the first eight digits."""
    try:
        clean_org_number(number)
    except ValueError:
        return
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(ValueError):
        clean_org_number(changed)
