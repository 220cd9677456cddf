"""Case numbers, amounts in fen, dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from mediation_desk.domain.codes import all_categories, categories, find_category
from mediation_desk.domain.dates import check_not_future, check_order, parse_date
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.money import fen_to_yuan, fen_to_yuan_text, yuan_to_fen
from mediation_desk.domain.numbering import (
    CaseNumber,
    format_case_number,
    next_seq,
    parse_case_number,
    validate_prefix,
)
from mediation_desk.domain.statistics import Counts, success_rate


def test_case_number_format_and_parse() -> None:
    assert format_case_number(2021, "缙五人调", 12) == "(2021)缙五人调字第12号"
    assert parse_case_number("(2021)缙五人调字第12号") == CaseNumber(2021, "缙五人调", 12)
    assert parse_case_number("（2021）缙五人调字第12号") == CaseNumber(2021, "缙五人调", 12)
    assert str(CaseNumber(2022, "壶人调", 3)) == "(2022)壶人调字第3号"
    assert parse_case_number("第12号") is None


def test_next_seq_never_reuses_numbers() -> None:
    assert next_seq([]) == 1
    assert next_seq({1, 2, 5}) == 6


@pytest.mark.parametrize("bad", ["", "  ", "有 空格", "(括号)", "超过十二个字的案号字头真的太长了"])
def test_bad_prefixes(bad: str) -> None:
    with pytest.raises(ValidationError):
        validate_prefix(bad)


def test_prefix_drops_trailing_zi() -> None:
    assert validate_prefix("缙五人调字") == "缙五人调"


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1,200.50", 120050),
        ("１２００", 120000),
        ("¥800", 80000),
        ("3万", 3000000),
        ("0.01", 1),
        ("", 0),
        (1200.5, 120050),
        (Decimal("2.5"), 250),
        (7, 700),
        ("12元", 1200),
    ],
)
def test_yuan_to_fen(text: str | float | Decimal, fen: int) -> None:
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("bad", ["abc", "-5", "1.234", "1e5", True])
def test_bad_amounts(bad: str | bool) -> None:
    with pytest.raises(ValidationError):
        yuan_to_fen(bad)


def test_fen_display() -> None:
    assert fen_to_yuan_text(120050) == "1200.50"
    assert fen_to_yuan_text(5) == "0.05"
    assert fen_to_yuan(120050) == 1200.5


@pytest.mark.parametrize("text", ["2021-03-05", "2021/3/5", "2021.3.5", "20210305", "2021年3月5日", "2021-03-05 10:30"])
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text) == date(2021, 3, 5)


def test_parse_date_objects_and_errors() -> None:
    assert parse_date(datetime(2021, 3, 5, 9, 0)) == date(2021, 3, 5)
    with pytest.raises(ValidationError, match="不是有效日期"):
        parse_date("2021-02-30")
    with pytest.raises(ValidationError, match="不是日期"):
        parse_date("明天")


def test_date_rules() -> None:
    with pytest.raises(ValidationError):
        check_not_future(date(2030, 1, 1), today=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="结案日期不能早于受理日期"):
        check_order(date(2021, 3, 5), date(2021, 3, 4))
    check_order(date(2021, 3, 5), None)


def test_fifteen_categories_and_lookup() -> None:
    assert [c.code for c in categories()] == [f"{n:02d}" for n in range(1, 16)]
    assert find_category("邻里纠纷") is not None
    assert find_category("邻里") == find_category("02") == find_category("2") == find_category("Neighbourhood")
    private_lending = find_category("民间借贷纠纷")
    assert private_lending is not None
    assert private_lending.top == "04"
    assert find_category("不存在的类型") is None
    assert all(c.parent in {x.code for x in categories()} for c in all_categories().values() if c.parent)


def test_success_rate_as_jinyun_reported() -> None:
    assert success_rate(4246, 4252) == 99.86
    assert success_rate(0, 0) == 0.0
    assert success_rate(1, 3) == 33.33
    assert success_rate(2, 3) == 66.67


def test_counts_add_up() -> None:
    a = Counts(cases=3, successful=2, failed=1, amount_fen=150)
    a.add(Counts(cases=1, terminated=1))
    assert a.mediated == 4
    assert a.as_json()["success_rate"] == 50.0
    assert a.as_json()["amount_yuan"] == 1.5
