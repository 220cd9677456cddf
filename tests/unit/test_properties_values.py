"""Properties of dates, amounts (yuan text and integer fen) and case numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mediation_desk.domain.dates import check_not_future, check_order, parse_date
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.money import MAX_FEN, fen_to_yuan, fen_to_yuan_text, yuan_to_fen
from mediation_desk.domain.numbering import (
    DEFAULT_PREFIX,
    CaseNumber,
    format_case_number,
    next_seq,
    parse_case_number,
    validate_prefix,
)
from mediation_desk.domain.text import first_refused

T = TypeVar("T")
TODAY = date(2026, 11, 28)
FULL_WIDTH = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")
ANY_TEXT = st.text(max_size=40)
DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def attempt(check: Callable[[], T]) -> T | ValidationError:
    """``check``'s value or its ``ValidationError``; any other exception propagates and fails the property."""
    try:
        return check()
    except ValidationError as error:
        return error


# ---------------------------------------------------------------------------------------------------------------
# Dates

DATE_FORMS: list[Callable[[date], str]] = [
    lambda day: day.isoformat(),
    lambda day: f"{day.year}/{day.month}/{day.day}",
    lambda day: f"{day.year}.{day.month:02d}.{day.day}",
    lambda day: f"{day.year}年{day.month}月{day.day}日",
    lambda day: f"{day:%Y%m%d}",
    lambda day: f" {day.isoformat()} 08:30",
    lambda day: day.isoformat().translate(FULL_WIDTH),
]


@given(DATES, st.sampled_from(DATE_FORMS))
def test_dates_in_every_written_form_parse_back(day: date, form: Callable[[date], str]) -> None:
    assert parse_date(form(day)) == day


@given(st.datetimes(min_value=datetime(1000, 1, 1)))
def test_date_and_datetime_objects_give_their_date(when: datetime) -> None:
    assert parse_date(when) == when.date()
    assert parse_date(when.date()) == when.date()


@given(st.one_of(ANY_TEXT, st.text(st.sampled_from("0123456789-/.年月日 :"), max_size=22)))
def test_any_text_is_a_date_or_a_validation_error(text: str) -> None:
    parsed = attempt(lambda: parse_date(text, field="intake_date"))
    if isinstance(parsed, ValidationError):
        assert parsed.field == "intake_date"
    else:
        assert isinstance(parsed, date)


@given(DATES)
def test_not_in_the_future(day: date) -> None:
    checked = attempt(lambda: check_not_future(day, today=TODAY, field="visited_on", what="回访日期"))
    if day > TODAY:
        assert isinstance(checked, ValidationError)
        assert checked.field == "visited_on"
        assert "回访日期" in checked.message
    else:
        assert checked == day


@given(DATES, st.one_of(st.none(), DATES))
def test_closing_never_before_intake(intake: date, closing: date | None) -> None:
    checked = attempt(lambda: check_order(intake, closing))
    assert isinstance(checked, ValidationError) == (closing is not None and closing < intake)


# ---------------------------------------------------------------------------------------------------------------
# Money

FEN = st.integers(0, MAX_FEN)


@given(FEN)
def test_yuan_text_and_fen_round_trip(fen: int) -> None:
    text = fen_to_yuan_text(fen)
    assert yuan_to_fen(text) == fen
    assert Decimal(text) * 100 == fen


YUAN_FORMS: list[Callable[[str], str]] = [
    lambda text: text,
    lambda text: f"¥{text}",
    lambda text: f"{text}元",
    lambda text: f" ￥ {text} ",
    lambda text: text.translate(FULL_WIDTH),
]


@given(FEN, st.sampled_from(YUAN_FORMS), st.booleans())
def test_yuan_in_the_forms_ledgers_use(fen: int, form: Callable[[str], str], grouped: bool) -> None:
    whole, cents = divmod(fen, 100)
    text = f"{whole:,}.{cents:02d}" if grouped else f"{whole}.{cents:02d}"
    assert yuan_to_fen(form(text)) == fen


@given(st.integers(0, MAX_FEN // 1_000_000))
def test_wan_is_ten_thousand_yuan(wan: int) -> None:
    assert yuan_to_fen(f"{wan}万") == wan * 1_000_000


@given(st.integers(-(10**20), 10**20))
def test_whole_yuan_numbers(yuan: int) -> None:
    fen = attempt(lambda: yuan_to_fen(yuan))
    if 0 <= yuan * 100 <= MAX_FEN:
        assert fen == yuan * 100
    else:
        assert isinstance(fen, ValidationError)
        assert fen.field == "amount"


@given(st.decimals(allow_nan=False, places=3, min_value=Decimal(0), max_value=Decimal(10**6)))
def test_fractions_of_a_fen_are_refused(value: Decimal) -> None:
    fen = attempt(lambda: yuan_to_fen(value))
    if (value * 100) == (value * 100).to_integral_value():
        assert fen == int(value * 100)
    else:
        assert isinstance(fen, ValidationError)


AMOUNTS = st.one_of(
    ANY_TEXT,
    st.text(st.sampled_from("0123456789.,-¥￥元万 "), max_size=20),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False),
    st.integers(),
    st.booleans(),
)


@given(AMOUNTS)
def test_any_amount_is_fen_or_a_validation_error(value: str | float | Decimal | int | bool) -> None:
    fen = attempt(lambda: yuan_to_fen(value))
    if isinstance(fen, ValidationError):
        assert fen.field == "amount"
    else:
        assert isinstance(fen, int)
        assert 0 <= fen <= MAX_FEN


@given(st.integers(0, 2**53 - 1))
def test_json_yuan_is_the_nearest_float(fen: int) -> None:
    assert fen_to_yuan(fen) == float(Decimal(fen) / 100)
    assert fen_to_yuan(fen) == float(fen_to_yuan_text(fen))


# ---------------------------------------------------------------------------------------------------------------
# Case numbers


def _prefix_char(char: str) -> bool:
    return not char.isspace() and char not in "()（）" and first_refused(char) is None


PREFIXES = st.text(st.characters().filter(_prefix_char), min_size=1, max_size=12).filter(
    lambda prefix: (
        prefix.strip() == prefix and prefix.removesuffix("字") != "" and unicodedata.is_normalized("NFC", prefix)
    )
)


@given(st.integers(1000, 9999), PREFIXES, st.integers(1, 10**9))
def test_case_numbers_round_trip(year: int, prefix: str, seq: int) -> None:
    clean = validate_prefix(prefix)
    number = format_case_number(year, clean, seq)
    assert parse_case_number(number) == CaseNumber(year, clean, seq)
    assert parse_case_number(number.replace("(", "（").replace(")", "）")) == CaseNumber(year, clean, seq)
    assert str(CaseNumber(year, clean, seq)) == number


@given(ANY_TEXT)
def test_any_prefix_is_clean_or_a_validation_error(prefix: str) -> None:
    assume(prefix.strip() != "字")  # the known defect below
    clean = attempt(lambda: validate_prefix(prefix))
    if isinstance(clean, ValidationError):
        assert clean.field == "case_prefix"
        return
    assert 0 < len(clean) <= 12
    assert not any(char.isspace() or char in "()（）" for char in clean)


@given(st.one_of(ANY_TEXT, st.text(st.sampled_from("(（)）2021人调字第号0123456789 "), max_size=30)))
def test_any_text_is_a_case_number_or_none(text: str) -> None:
    parsed = parse_case_number(text)
    assert parsed is None or (parsed.seq >= 0 and 0 <= parsed.year <= 9999)


@given(st.integers(1000, 9999), st.integers(-(10**6), 0))
def test_sequence_numbers_start_at_one(year: int, seq: int) -> None:
    assert isinstance(attempt(lambda: format_case_number(year, DEFAULT_PREFIX, seq)), ValidationError)


@given(st.sets(st.integers(1, 10**6), max_size=50))
def test_next_sequence_is_after_every_used_one(used: set[int]) -> None:
    seq = next_seq(used)
    assert seq >= 1
    assert all(seq > number for number in used)
    assert next_seq(sorted(used)) == seq


# ---------------------------------------------------------------------------------------------------------------
# Known defects, found by the properties above: each example should end in a ``ValidationError`` (or a value).


@pytest.mark.parametrize("value", [float("nan"), Decimal("NaN"), Decimal("sNaN"), float("inf"), Decimal("-Infinity")])
def test_amounts_that_are_not_numbers_are_refused(value: float | Decimal) -> None:
    with pytest.raises(ValidationError):
        yuan_to_fen(value)


def test_an_overlong_sequence_in_a_case_number_is_not_a_case_number() -> None:
    assert parse_case_number("(2021)人调字第" + "9" * 5000 + "号") is None  # never an exception
    assert parse_case_number("(2021)人调字第٣号") is None  # ASCII digits only


@pytest.mark.parametrize("prefix", ["字", " 字 ", "缙\x1b]0;x\x07", "缙\u202e五"])
def test_a_prefix_of_only_zi_or_with_control_characters_is_refused(prefix: str) -> None:
    with pytest.raises(ValidationError):
        validate_prefix(prefix)
