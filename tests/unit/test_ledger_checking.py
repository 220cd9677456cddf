"""Checking ledger rows: cells into a validated case, ``clean_case`` once per row, the case number parsed once."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyKind, PartyRole, Performance
from mediation_desk.domain.intake import CaseInput, clean_case
from mediation_desk.domain.numbering import CaseNumber, parse_case_number
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import LedgerError, import_ledger, ledger_key
from mediation_desk.services.ledger.checking import LedgerRow, RowChecker
from mediation_desk.services.ledger.columns import map_headers
from mediation_desk.store.models import OrgUnit
from tests.unit.ledgers import CHINESE, row, write_csv

CHECKING = "mediation_desk.services.ledger.checking"
TODAY = date(2025, 6, 30)
OWN = OrgUnit(id=uuid.uuid4(), code="331122001001", name="示例村人民调解委员会", case_prefix="缙五人调")
STUDIO = OrgUnit(id=uuid.uuid4(), code="331122001001001", name="示例调解工作室")
ELSEWHERE = OrgUnit(id=uuid.uuid4(), code="331122002001", name="别处村人民调解委员会")


def checker() -> RowChecker:
    orgs = {org.code: org for org in (OWN, STUDIO, ELSEWHERE)}
    return RowChecker(map_headers(1, CHINESE), orgs, {OWN.id, STUDIO.id}, OWN, TODAY)


def check(**values: Any) -> tuple[LedgerRow | None, list[LedgerError]]:
    rows = checker()
    cells = row(**values)
    checked = rows.check(2, [cells.get(name) for name in CHINESE])
    return checked, rows.errors


def test_a_good_row_becomes_a_cleaned_case() -> None:
    checked, errors = check(
        调委会=STUDIO.code,
        被申请人="李四、某某建材有限公司",
        调解员="调解员甲、调解员乙、调解员甲",
        调解结果="成功",
        协议形式="书面",
        协议金额="1,200.50",
        结案日期="2025-03-09",
        履行情况="部分履行",
        群体性="否",
    )
    assert errors == []
    assert checked is not None
    assert (checked.row, checked.org) == (2, STUDIO)
    assert isinstance(checked.data, CaseInput)
    assert (checked.data.intake_date, checked.data.category, checked.data.source) == (
        date(2025, 3, 5),
        "02",
        CaseSource.APPLICATION,
    )
    assert [(p.name, p.role, p.kind) for p in checked.data.parties] == [
        ("张三", PartyRole.APPLICANT, PartyKind.PERSON),
        ("李四", PartyRole.RESPONDENT, PartyKind.PERSON),
        ("某某建材有限公司", PartyRole.RESPONDENT, PartyKind.ORGANISATION),
    ]
    assert checked.data.persons == 3  # clean_case: the named parties
    assert checked.data.amount_fen == 120050
    assert (checked.outcome, checked.performance, checked.closing_date) == (
        OutcomeKind.WRITTEN_AGREEMENT,
        Performance.PARTLY,
        date(2025, 3, 9),
    )
    assert checked.mediators == ["调解员甲", "调解员乙"]
    assert (checked.number, checked.parsed_number) == (None, None)
    assert checked.key == ledger_key(
        STUDIO.code,
        date(2025, 3, 5),
        "02",
        CaseSource.APPLICATION,
        ["张三"],
        ["李四", "某某建材有限公司"],
        "两家因共用通道堆放杂物发生争执",
        None,
    )


def test_the_given_case_number_is_parsed_once_and_carried() -> None:
    checked, _errors = check(案件编号="（2025）缙五人调字第7号")
    assert checked is not None
    assert checked.number == checked.data.number == "（2025）缙五人调字第7号"
    assert checked.parsed_number == CaseNumber(2025, "缙五人调", 7)
    odd, _errors = check(案件编号="村2025-7")
    assert odd is not None
    assert (odd.number, odd.parsed_number) == ("村2025-7", None)


def test_rules_of_the_case_come_from_clean_case_at_their_columns() -> None:
    _checked, errors = check(受理日期="2025-07-01", 涉及人数="-3")
    assert [(e.column, e.reason) for e in errors] == [("受理日期", "受理日期不能晚于今天")]
    _checked, errors = check(涉及人数="-3")
    assert [(e.column, e.reason) for e in errors] == [("涉及人数", "涉及人数不能为负数")]
    _checked, errors = check(被申请人="李" * 101)
    assert [(e.column, e.reason) for e in errors] == [
        ("被申请人", "当事人姓名（名称）过长（最多 100 字）：“" + "李" * 20 + "…”")
    ]


def test_a_rejected_intake_date_is_not_compared_with_the_closing_date() -> None:
    _checked, errors = check(受理日期="2025-07-01", 调解结果="终止", 结案日期="2025-06-01")
    assert [e.column for e in errors] == ["受理日期"]
    _checked, errors = check(受理日期="2025-06-02", 调解结果="终止", 结案日期="2025-06-01")
    assert [(e.column, e.reason) for e in errors] == [("结案日期", "结案日期不能早于受理日期")]


def test_problems_of_a_row_follow_the_columns_whichever_check_found_them() -> None:
    values = row(
        受理日期="2025-07-01",
        调委会="331122002001",
        调解员="甲" * 51,
        调解结果="成功",
        协议形式="无",
        群体性="也许",
        结案日期="2025-07-02",
        履行情况="差不多",
    )
    cells: list[Any] = [values.get(name) for name in CHINESE] + ["多出来的"]
    rows = checker()
    assert rows.check(5, cells) is None
    assert [(e.row, e.column) for e in rows.errors] == [
        (5, f"第 {len(CHINESE) + 1} 列"),
        (5, "受理日期"),
        (5, "调委会"),
        (5, "调解员"),
        (5, "协议形式"),
        (5, "群体性"),
        (5, "结案日期"),
        (5, "履行情况"),
    ]
    assert "不属于本工作台的组织 331122001001" in rows.errors[2].reason


def test_cells_that_cannot_make_a_case_report_only_their_own_problems() -> None:
    _checked, errors = check(纠纷类型="外星人纠纷", 受理日期="2025-07-01")
    assert [e.column for e in errors] == ["纠纷类型"]
    _checked, errors = check(申请人="", 被申请人="")
    assert [(e.column, e.reason) for e in errors] == [("申请人", "申请人和被申请人不能都为空")]


def test_clean_case_runs_exactly_once_per_row(desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[CaseInput] = []
    parsed: list[str] = []

    def counting_clean(data: CaseInput, *, today: date | None = None) -> CaseInput:
        calls.append(data)
        return clean_case(data, today=today)

    def counting_parse(number: str) -> CaseNumber | None:
        parsed.append(number)
        return parse_case_number(number)

    monkeypatch.setattr(f"{CHECKING}.clean_case", counting_clean)
    monkeypatch.setattr(f"{CHECKING}.parse_case_number", counting_parse)
    rows = [row(纠纷简要情况=f"案{i}") for i in range(4)] + [row(纠纷简要情况="有号", 案件编号="(2025)缙五人调字第3号")]
    assert import_ledger(desk, write_csv(tmp_path / "l.csv", rows)).value.created == 5
    assert sorted(data.facts for data in calls) == ["有号", "案0", "案1", "案2", "案3"]
    assert parsed == ["(2025)缙五人调字第3号"]


def test_a_short_row_reads_its_missing_cells_as_blank() -> None:
    rows = checker()
    values = row()
    checked = rows.check(2, [values.get(name) for name in CHINESE[:6]])
    assert rows.errors == []
    assert checked is not None
    assert ([p.name for p in checked.data.parties], checked.data.facts) == (["张三"], "")


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"被申请人": "李\x1b四"}, "被申请人"),
        ({"申请人": "张三、王\u202e五"}, "申请人"),
        ({"纠纷简要情况": "案情\x07"}, "纠纷简要情况"),
        ({"备注": "\x9b备注"}, "备注"),
        ({"调解员": "调解\x1b员"}, "调解员"),
        ({"案件编号": "(2025)缙五人调字第\x1b1号"}, "案件编号"),
    ],
)
def test_control_characters_are_refused_at_their_column(values: dict[str, str], column: str) -> None:
    checked, errors = check(**values)
    assert checked is None
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert "U+" in errors[0].reason


def test_dates_are_checked_for_range_in_every_date_column() -> None:
    _checked, errors = check(调解结果="终止", 结案日期="1989-12-31")
    assert [(e.column, e.reason) for e in errors] == [
        ("结案日期", "结案日期“1989-12-31”早于 1990-01-01，不是可能的日期（请检查年份）")
    ]
    _checked, errors = check(受理日期=20250230)
    assert [e.column for e in errors] == ["受理日期"]
    assert "不是有效日期" in errors[0].reason
    checked, _errors = check(受理日期=45658.0)
    assert checked is not None
    assert checked.data.intake_date == date(2025, 1, 1)
    checked, _errors = check(受理日期=float("nan"))
    assert checked is None


def test_unreadable_cells_are_reported_alone() -> None:
    from mediation_desk.services.ledger.cells import Unreadable

    rows = checker()
    values: list[Any] = [row().get(name) for name in CHINESE]
    values[CHINESE.index("协议金额")] = Unreadable("单元格 L2 是公式，但文件中没有保存它的计算结果")
    values[CHINESE.index("受理日期")] = "不是日期"
    assert rows.check(2, values) is None
    assert [(e.column, e.reason) for e in rows.errors] == [
        ("协议金额", "单元格 L2 是公式，但文件中没有保存它的计算结果")
    ]


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [(float("nan"), "不是数字"), (float("inf"), "不是数字"), ("1" * 50, "过大"), (10**13, "超过上限 100 亿元")],
)
def test_amounts_that_no_column_can_hold(amount: object, fragment: str) -> None:
    _checked, errors = check(协议金额=amount)
    assert [e.column for e in errors] == ["协议金额"]
    assert fragment in errors[0].reason
