"""Ledger columns: the header table and the mapping of a file's header row onto it."""

from __future__ import annotations

import pytest

from mediation_desk.services.ledger import COLUMNS, match_header
from mediation_desk.services.ledger.columns import BY_KEY, map_headers


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("受理日期", "intake_date"),
        ("intake_date", "intake_date"),
        ("INTAKE_DATE", "intake_date"),
        (" 申请人 ", "applicants"),
        ("受 理 日 期", "intake_date"),
        ("协议金额（元）", "amount"),
        ("协议金额(元)", "amount"),
        ("受理日期 (intake_date)", "intake_date"),
        ("结案日期【必填】", "closing_date"),
        ("案号", "case_number"),
        ("是否群体性", "group"),
        ("序号", ""),
        ("No.", ""),
        ("联系电话", None),
        ("", None),
    ],
)
def test_match_header(header: str, key: str | None) -> None:
    assert match_header(header) == key


def test_every_column_matches_its_names() -> None:
    for column in COLUMNS:
        for name in (column.zh, column.en, *column.aliases):
            assert match_header(name) == column.key, name
    assert [column.key for column in COLUMNS if column.required] == [
        "intake_date",
        "category",
        "source",
        "applicants",
    ]
    assert set(BY_KEY) == {column.key for column in COLUMNS}


def test_map_headers_positions_and_names_as_written() -> None:
    mapped = map_headers(3, ["序号", "受理日期 (intake_date)", "", "category", "案件来源", "申请人"])
    assert mapped.errors == []
    assert mapped.positions == {"intake_date": 1, "category": 3, "source": 4, "applicants": 5}
    assert mapped.column("category") == "category"
    assert mapped.column("intake_date") == "受理日期 (intake_date)"
    assert mapped.column("amount") == "协议金额"  # a column the file lacks: its Chinese name


def test_map_headers_reports_unknown_repeated_and_missing_columns_on_the_header_row() -> None:
    mapped = map_headers(2, ["受理日期", "联系电话", "申请人", "applicants"])
    assert [(error.row, error.column) for error in mapped.errors] == [
        (2, "联系电话"),
        (2, "applicants"),
        (2, "纠纷类型、案件来源"),
    ]
    assert mapped.errors[0].reason.startswith("无法识别的列“联系电话”；台账可用的列为：受理日期、案件编号")
    assert mapped.errors[1].reason == "列“applicants”与列“申请人”重复"
    assert mapped.errors[2].reason == "缺少必填列：纠纷类型、案件来源"
    assert mapped.positions["applicants"] == 2  # the first of two stays


def test_unlabelled_cells() -> None:
    mapped = map_headers(1, ["受理日期", "", "纠纷类型", "案件来源", "申请人"])
    assert mapped.unlabelled(["2025-01-01", " ", "02", "主动调解", "张三", None, ""]) == []
    assert mapped.unlabelled(["2025-01-01", "x", "02", "主动调解", "张三", 0]) == [1, 5]
