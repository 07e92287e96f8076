"""Norwegian organisation numbers (organisasjonsnummer, Enhetsregisteret).

Nine digits; the ninth is a modulus-11 check digit over the first eight with the weights
3 2 7 6 5 4 3 2 (Brønnøysundregistrene). A remainder that would give the check digit 10 means the
number is never issued, so it is invalid whatever its last digit. People write the number with
spaces ("974 760 673"), which are accepted and dropped.
"""

from __future__ import annotations

from berekraft.core.problems import gettext_noop

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None where no valid number starts with them."""
    total = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def clean_org_number(text: str) -> str:
    """The nine digits of ``text`` (spaces removed); raises ValueError saying what is wrong."""
    digits = "".join(text.split())
    if digits and not (digits.isascii() and digits.isdigit()):
        raise ValueError(gettext_noop("An organisation number has only digits."))
    if len(digits) != 9:
        raise ValueError(gettext_noop("An organisation number has 9 digits."))
    expected = check_digit(digits[:8])
    if expected is None or int(digits[8]) != expected:
        raise ValueError(
            gettext_noop("The check digit (the last digit) does not match: check the number for a typo.")
        )
    return digits
