"""Resident ID numbers (GB 11643) and phone numbers."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.domain.codes import Gender
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import (
    check_character,
    is_valid_resident_id,
    normalise_phone,
    parse_resident_id,
)
from tests.conftest import SHARED

TODAY = date(2026, 11, 28)


def _vectors() -> list[tuple[str, bool, str]]:
    with (SHARED / "data" / "resident_id_vectors.csv").open(encoding="utf-8") as handle:
        return [(row["id_number"], row["valid"] == "true", row["note"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(("number", "valid", "note"), _vectors(), ids=[v[2] for v in _vectors()])
def test_every_reference_vector(number: str, valid: bool, note: str) -> None:
    assert is_valid_resident_id(number, today=TODAY) is valid, note


def test_vectors_file_is_not_empty() -> None:
    assert len(_vectors()) >= 11


def test_fifteen_digit_number_upgrades() -> None:
    parsed = parse_resident_id("110105491231002", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from_15
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender is Gender.FEMALE


def test_retired_jinyun_code_is_a_warning_not_an_error() -> None:
    parsed = parse_resident_id("332526199001011239", today=TODAY)
    assert parsed.warnings
    assert "332526" in parsed.warnings[0]
    assert parsed.gender is Gender.MALE


def test_normalisation_of_spaces_full_width_and_lower_x() -> None:
    assert parse_resident_id(" 110105 19491231 002x ", today=TODAY).number == "11010519491231002X"
    assert parse_resident_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12345", "18 位"),
        ("11010519491231002Y", "末位"),
        ("110105194912310021", "校验位"),
        ("110105194913310021", "出生日期"),
    ],
)
def test_errors_name_the_problem_in_chinese(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as caught:
        parse_resident_id(raw, today=TODAY)
    assert caught.value.field == "id_number"


def test_birth_date_in_the_future_is_refused() -> None:
    first17 = "33112220270101123"
    number = first17 + check_character(first17)
    with pytest.raises(ValidationError, match="晚于今天"):
        parse_resident_id(number, today=TODAY)


def test_masking() -> None:
    assert parse_resident_id("11010519491231002X", today=TODAY).masked() == "110105********002X"


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["331122", "332526", "110105", "440524"]),
)
def test_any_well_formed_number_round_trips(birth: date, seq: int, area: str) -> None:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    number = first17 + check_character(first17)
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.gender is (Gender.MALE if seq % 2 else Gender.FEMALE)
    # any single-character change of the check character is caught
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    assert not is_valid_resident_id(wrong, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800001234", "13800001234"),
        ("138 0000 1234", "13800001234"),
        ("+86 138-0000-1234", "13800001234"),
        ("１３８００００１２３４", "13800001234"),
        ("0578-3123456", "0578-3123456"),
        ("05783123456", "0578-3123456"),
        ("010-12345678", "010-12345678"),
        ("0578-3123456转801", "0578-3123456转801"),
        ("3123456", "3123456"),
    ],
)
def test_phone_numbers_normalise(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["1380000123", "12800001234", "138000012345", "电话", "13800001234转1", "0000"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(raw)
    assert caught.value.field == "phone"
