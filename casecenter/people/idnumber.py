"""The resident ID number (公民身份号码, GB 11643-1999): 6-digit region code, 8-digit birth date,
3-digit sequence (odd for men, even for women), and a check character (ISO 7064 MOD 11-2).

:func:`parse` says which part of a wrong number is wrong, so that the officer at the desk knows
whether a digit was mistyped (the check character) or the card is not a resident ID at all.
15-digit numbers (issued before 1999, no century, no check character) are refused: they cannot be
checked, and every holder has had an 18-digit number since 2004; the officer enters that one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level codes (11 北京 … 82 澳门); 83 (Taiwan residence permits' 830000) is not a
# region of the mainland numbering either, so it is refused with the others.
PROVINCES = frozenset({
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
})
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class InvalidIdNumber(ValueError):
    """``part`` is the part that is wrong: length, characters, region, birth_date, sequence, check."""

    def __init__(self, message: str, *, part: str):
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class IdNumber:
    number: str          # normalised: 18 characters, upper-case X
    region: str
    birth_date: dt.date
    sequence: str
    sex: str             # "male" or "female" (people.models.Sex values)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate and decompose a resident ID number; raise :class:`InvalidIdNumber` naming the part."""
    number = normalise(raw)
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber(_("This is an old 15-digit number; enter the 18-digit resident ID number."),
                              part="length")
    if len(number) != 18:
        raise InvalidIdNumber(_("A resident ID number has 18 characters; this one has {count}.").format(
            count=len(number)), part="length")
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise InvalidIdNumber(_("A resident ID number is 17 digits followed by a digit or X."), part="characters")
    region, birth, sequence = number[:6], number[6:14], number[14:17]
    if int(region[:2]) not in PROVINCES:
        raise InvalidIdNumber(_("The region code {region} does not start with a province code (11–82).").format(
            region=region), part="region")
    try:
        birth_date = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise InvalidIdNumber(_("The birth date {digits} in the number is not a date.").format(digits=birth),
                              part="birth_date") from None
    if birth_date < EARLIEST_BIRTH:
        raise InvalidIdNumber(_("The birth date {date} in the number is before 1900.").format(
            date=birth_date.isoformat()), part="birth_date")
    if birth_date > (today or _today()):
        raise InvalidIdNumber(_("The birth date {date} in the number is in the future.").format(
            date=birth_date.isoformat()), part="birth_date")
    if sequence == "000":
        raise InvalidIdNumber(_("The sequence number 000 is never issued."), part="sequence")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(_("The check character is {given} but the other digits give {expected}: a digit "
                                "is mistyped.").format(given=number[17], expected=expected), part="check")
    return IdNumber(number=number, region=region, birth_date=birth_date, sequence=sequence,
                    sex="male" if int(sequence[2]) % 2 else "female")


def _today() -> dt.date:
    from casecenter.core import clock

    from .ages import local_date

    return local_date(clock.now())
