import datetime as dt

import pytest

from casecenter.people import idnumber

from .conftest import make_id


@pytest.mark.parametrize("number, birth, sex", [
    ("11010519491231002X", dt.date(1949, 12, 31), "female"),
    ("11010519491231002x", dt.date(1949, 12, 31), "female"),   # lower-case x accepted
    (make_id("440305", "20010228", "451"), dt.date(2001, 2, 28), "male"),
    (make_id("650102", "19800229", "018"), dt.date(1980, 2, 29), "female"),
    (make_id("820001", "19991220", "003"), dt.date(1999, 12, 20), "male"),
])
def test_valid_numbers_give_their_birth_date_and_sex(number, birth, sex):
    parsed = idnumber.parse(number)
    assert parsed.birth_date == birth
    assert parsed.sex == sex
    assert parsed.number == number.upper()


def test_the_check_character_follows_gb_11643():
    # Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, map 1 0 X 9 8 7 6 5 4 3 2, computed by hand here.
    first17 = "11010519491231002"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    assert "10X98765432"[total % 11] == idnumber.check_char(first17) == "X"


@pytest.mark.parametrize("number, part, says", [
    ("1101051949123100", "length", "18 characters"),
    ("110105491231002", "length", "15-digit"),
    ("11010519491231002Y", "characters", "digit or X"),
    ("1101051949123X002X", "characters", "digit or X"),
    (make_id("990105"), "region", "region code 990105"),
    (make_id("010105"), "region", "province"),
    (make_id(birth="19900230"), "birth_date", "not a date"),
    (make_id(birth="18991231"), "birth_date", "before 1900"),
    (make_id(birth="29990101"), "birth_date", "in the future"),
    (make_id(sequence="000"), "sequence", "000"),
    ("110105194912310021", "check", "check character is 1 but the other digits give X"),
])
def test_invalid_numbers_say_which_part_is_wrong(number, part, says):
    with pytest.raises(idnumber.InvalidIdNumber) as caught:
        idnumber.parse(number, today=dt.date(2026, 11, 27))
    assert caught.value.part == part
    assert says in str(caught.value)


def test_a_birth_date_of_today_is_accepted_and_tomorrow_is_not():
    today = dt.date(2026, 11, 27)
    assert idnumber.parse(make_id(birth="20261127"), today=today).birth_date == today
    with pytest.raises(idnumber.InvalidIdNumber):
        idnumber.parse(make_id(birth="20261128"), today=today)
