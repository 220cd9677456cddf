"""Properties of resident ID numbers (GB 11643) and phone numbers, over generated (synthetic) numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mediation_desk.domain.codes import Gender
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import ResidentId, check_character, normalise_phone, parse_resident_id

T = TypeVar("T")
TODAY = date(2026, 11, 28)
CHECKS = "0123456789X"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _folds_or_is_no_digit(char: str) -> bool:
    """Digits other than those NFKC folds to ASCII (Arabic-Indic, Kharoshthi...) are left to the known-defect
    tests below, so that the general properties stay deterministic until those are fixed."""
    return not char.isdigit() or unicodedata.normalize("NFKC", char).isascii()


ANY_CHAR = st.characters().filter(_folds_or_is_no_digit)
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
DIGITISH = st.text(st.sampled_from("0123456789Xx -１２\u3000\t"), min_size=13, max_size=21)


@st.composite
def resident_ids(draw: st.DrawFn, *, earliest: date = date(1850, 1, 1), latest: date = TODAY) -> str:
    """A valid 18-character number: a province prefix, any county, a birth date, a sequence, its check."""
    province = draw(st.sampled_from(["11", "31", "33", "44", "51", "65", "81"]))
    county = draw(st.text("0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(min_value=earliest, max_value=latest))
    sequence = draw(st.integers(0, 999))
    first17 = f"{province}{county}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


@given(resident_ids())
def test_valid_numbers_parse_and_round_trip(number: str) -> None:
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.number == number
    assert parsed.address_code == number[:6]
    assert parsed.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.gender is (Gender.MALE if int(number[16]) % 2 else Gender.FEMALE)
    assert not parsed.upgraded_from_15
    assert parse_resident_id(parsed.number, today=TODAY) == parsed


@given(resident_ids(), st.data())
def test_written_forms_give_the_same_number(number: str, data: st.DataObject) -> None:
    """Spaces, hyphens, full-width digits and a lower-case x are how people type the same number."""
    written = number.lower() if data.draw(st.booleans()) else number
    if data.draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    cut = data.draw(st.integers(0, 18))
    written = written[:cut] + data.draw(st.sampled_from(["", " ", "-", "\u3000"])) + written[cut:]
    assert parse_resident_id(written, today=TODAY).number == number


@given(resident_ids(), st.integers(0, 17), ANY_CHAR)
def test_any_single_changed_character_is_refused(number: str, position: int, char: str) -> None:
    original = number[position]
    assume(unicodedata.normalize("NFKC", char).upper() != original)
    changed = number[:position] + char + number[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(changed, today=TODAY)
    assert caught.value.field == "id_number"


@given(resident_ids(), st.sampled_from(CHECKS))
def test_a_wrong_check_character_is_refused(number: str, check: str) -> None:
    assume(check != number[17])
    with pytest.raises(ValidationError, match="校验位"):
        parse_resident_id(number[:17] + check, today=TODAY)


@given(
    st.text("0123456789", min_size=6, max_size=6), st.dates(date(1900, 1, 1), date(1999, 12, 31)), st.integers(0, 999)
)
def test_fifteen_digit_numbers_upgrade_to_eighteen(address: str, birth: date, sequence: int) -> None:
    legacy = f"{address}{birth:%y%m%d}{sequence:03d}"
    parsed = parse_resident_id(legacy, today=TODAY)
    first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
    assert parsed.number == first17 + check_character(first17)
    assert parsed.upgraded_from_15
    assert parsed.birth_date == birth
    again = parse_resident_id(parsed.number, today=TODAY)
    assert (again.number, again.birth_date, again.gender) == (parsed.number, parsed.birth_date, parsed.gender)


@given(resident_ids(earliest=TODAY + timedelta(days=1), latest=date(2099, 12, 31)))
def test_birth_dates_after_today_are_refused(number: str) -> None:
    with pytest.raises(ValidationError, match="晚于今天"):
        parse_resident_id(number, today=TODAY)


def attempt(check: Callable[[str], T], raw: str) -> T | ValidationError:
    """What ``check`` makes of ``raw``: its value or its ``ValidationError``; any other exception propagates."""
    try:
        return check(raw)
    except ValidationError as error:
        return error


@given(st.one_of(ANY_TEXT, DIGITISH))
def test_any_text_is_a_number_or_a_validation_error(raw: str) -> None:
    parsed = attempt(lambda text: parse_resident_id(text, today=TODAY), raw)
    if isinstance(parsed, ValidationError):
        assert parsed.field == "id_number"
        return
    assert isinstance(parsed, ResidentId)
    assert len(parsed.number) == 18
    assert parsed.number.isascii()
    assert parsed.number[:17].isdigit()
    assert parsed.number[17] in CHECKS
    assert parsed.number[17] == check_character(parsed.number[:17])
    assert parsed.birth_date <= TODAY


# ---------------------------------------------------------------------------------------------------------------
# Phone numbers

MOBILES = st.builds(
    lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
LANDLINES = st.builds(
    lambda area, local: f"{area}{local}",
    st.sampled_from(["010", "021", "0578", "0571", "0755"]),
    st.text("0123456789", min_size=7, max_size=8).filter(lambda local: local[0] != "0"),
)


MOBILE_FORMS: list[Callable[[str], str]] = [
    lambda number: number,
    lambda number: f"+86{number}",
    lambda number: f"0086 {number}",
    lambda number: f"{number[:3]} {number[3:7]} {number[7:]}",
    lambda number: f"{number[:3]}-{number[3:7]}-{number[7:]}",
]


@given(MOBILES, st.sampled_from(MOBILE_FORMS))
def test_mobiles_come_back_as_eleven_digits(mobile: str, form: Callable[[str], str]) -> None:
    assert normalise_phone(form(mobile)) == mobile
    assert normalise_phone(form(mobile).translate(FULL_WIDTH)) == mobile


@given(LANDLINES, st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=6)))
def test_landlines_keep_area_code_and_extension(number: str, extension: str) -> None:
    written = number + (f"转{extension}" if extension else "")
    normalised = normalise_phone(written)
    area = 3 if number[1] in "12" else 4
    assert normalised == f"{number[:area]}-{number[area:]}" + (f"转{extension}" if extension else "")
    assert normalise_phone(normalised) == normalised


@given(st.one_of(ANY_TEXT, MOBILES, LANDLINES, st.text(st.sampled_from("0123456789+-() 转#ext"), max_size=20)))
def test_any_text_is_a_phone_or_a_validation_error(raw: str) -> None:
    normalised = attempt(normalise_phone, raw)
    if isinstance(normalised, ValidationError):
        assert normalised.field == "phone"
        return
    digits = normalised.replace("-", "").replace("转", "")
    assert digits.isascii()
    assert digits.isdigit()
    assert normalise_phone(normalised) == normalised  # idempotent


# ---------------------------------------------------------------------------------------------------------------
# Known defects, found by the properties above: each example should end in a ``ValidationError``.


def test_non_decimal_digits_in_a_fifteen_digit_number_are_refused() -> None:
    with pytest.raises(ValidationError):
        parse_resident_id("\U00010a40" * 15, today=TODAY)  # KHAROSHTHI DIGIT ONE: isdigit(), not int()


def test_arabic_indic_digits_in_an_id_number_are_refused() -> None:
    first17 = "33112219800101123"
    written = "".join(chr(0x660 + int(digit)) for digit in first17) + check_character(first17)
    with pytest.raises(ValidationError):
        parse_resident_id(written, today=TODAY)


def test_arabic_indic_digits_in_a_mobile_number_are_refused() -> None:
    with pytest.raises(ValidationError):
        normalise_phone("13" + "".join(chr(0x660 + int(digit)) for digit in "812345678"))
