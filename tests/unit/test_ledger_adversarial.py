"""Hostile and broken ledgers, one test each: every one ends in a clear message naming where, or in a correct
import, and a refused ledger leaves the database exactly as it was."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font

from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import LedgerChanged, LedgerInvalid, import_ledger
from mediation_desk.store.models import DisputeCase, Outcome, Party
from tests.unit.ledgers import desk_state, random_ledger, rewrite_member, row, write_csv, write_workbook

NUMBER = "(2025)缙五人调字第3号"
OTHER_NUMBER = "(2025)缙五人调字第4号"


def refused(desk: Desk, path: Path, error: type[DomainError] = LedgerInvalid, **options: object) -> DomainError:
    before = desk_state(desk)
    with pytest.raises(error) as caught:
        import_ledger(desk, path, **options)  # type: ignore[arg-type]
    assert desk_state(desk) == before, "a refused ledger must leave the database as it was"
    return caught.value


def places(error: DomainError) -> list[tuple[str, int, str]]:
    assert isinstance(error, LedgerInvalid)
    return [(problem.sheet, problem.row, problem.column) for problem in error.errors]


def reasons(error: DomainError) -> list[str]:
    assert isinstance(error, LedgerInvalid)
    return [problem.reason for problem in error.errors]


def cases(desk: Desk) -> list[DisputeCase]:
    with desk.read() as session:
        return list(session.scalars(sa.select(DisputeCase).order_by(DisputeCase.number)))


# ---------------------------------------------------------------------------------------------------------------
# CSV


def test_an_unterminated_quote_names_its_row_and_swallows_nothing(desk: Desk, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", random_ledger(20))
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[3] = lines[3].replace("虚构案情", '"虚构案情', 1)  # row 4 opens a quote that never closes
    path.write_text("".join(lines), encoding="utf-8")
    error = refused(desk, path)
    assert places(error) == [("", 4, "整行")]
    assert "引号" in reasons(error)[0]


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("2025-03-05,邻里纠纷,当事人申请,王五,李四\n", "整行", "只有 5 个单元格，表头行有 6 个"),
        ("2025-03-05,邻里纠纷,当事人申请,王五,李四,案情,\n", "第 7 列", "比表头行多 1 个"),
        ('2025-03-05,邻里纠纷,当事人申请,王五,"李四"x,案情\n', "整行", "引号后面缺少逗号"),
    ],
)
def test_rows_of_the_wrong_width_are_refused(desk: Desk, tmp_path: Path, line: str, column: str, fragment: str) -> None:
    path = write_csv(tmp_path / "l.csv", [row(纠纷简要情况="好的")])
    path.write_text(path.read_text(encoding="utf-8-sig") + line, encoding="utf-8")
    error = refused(desk, path)
    assert places(error) == [("", 3, column)]
    assert fragment in reasons(error)[0]


def test_a_zip_renamed_csv_is_called_a_workbook(desk: Desk, tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "l.xlsx", {"台账": [row()]})
    renamed = tmp_path / "l.csv"
    renamed.write_bytes(workbook.read_bytes())
    error = refused(desk, renamed, ValidationError)
    assert "实际上是 Excel 工作簿（.xlsx）" in error.message
    assert "UTF-8" not in error.message


# ---------------------------------------------------------------------------------------------------------------
# Cases already on the desk


def test_a_case_number_of_a_different_case_is_an_error(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(案件编号=NUMBER)]))
    other = row(
        案件编号=NUMBER,
        受理日期="2025-04-01",
        纠纷类型="婚姻家庭纠纷",
        申请人="赵六",
        被申请人="钱七",
        纠纷简要情况="另一件",
    )
    error = refused(desk, write_csv(tmp_path / "b.csv", [other]))
    assert places(error) == [("", 2, "案件编号")]
    assert "在工作台上属于另一件案件 (2025)缙五人调字第3号（受理日期 2025-03-05" in reasons(error)[0]


def test_a_corrected_ledger_changes_its_cases_and_never_duplicates_them(desk: Desk, tmp_path: Path) -> None:
    first = [row(案件编号=NUMBER), row(案件编号=OTHER_NUMBER, 申请人="周八", 纠纷简要情况="第二件")]
    import_ledger(desk, write_csv(tmp_path / "a.csv", first))
    corrected = [
        row(案件编号=NUMBER, 申请人="张叁", 受理日期="2025-03-06", 纠纷简要情况="更正后的案情"),
        dict(first[1], 调解结果="成功", 协议形式="口头"),
    ]
    ledger = write_csv(tmp_path / "b.csv", corrected)
    error = refused(desk, ledger, LedgerChanged)
    assert isinstance(error, LedgerChanged)
    assert [[str(field) for field in change.fields] for change in error.report.changed] == [
        [
            "受理日期：2025-03-05 → 2025-03-06",
            "申请人：张三 → 张叁",
            "纠纷简要情况：两家因共用通道堆放杂物发生争执 → 更正后的案情",
        ],
        ["调解结果：（空） → 成功（口头协议）"],
    ]
    report = import_ledger(desk, ledger, update=True).value
    assert (report.created, report.already_present, report.updated) == (0, 0, 2)
    first_case, second_case = cases(desk)
    assert (first_case.number, first_case.intake_date, first_case.facts) == (NUMBER, date(2025, 3, 6), "更正后的案情")
    assert second_case.status is CaseStatus.AGREED
    with desk.read() as session:
        names = session.scalars(sa.select(Party.name).where(Party.case_id == first_case.id).order_by(Party.position))
        assert list(names) == ["张叁", "李四"]
        assert session.scalar(sa.select(Outcome.kind).where(Outcome.case_id == second_case.id)) is not None
    again = import_ledger(desk, ledger).value
    assert (again.created, again.already_present, again.changed) == (0, 2, ())


def test_the_same_ledger_twice_adds_nothing(desk: Desk, tmp_path: Path) -> None:
    ledger = write_csv(tmp_path / "l.csv", random_ledger(30))
    import_ledger(desk, ledger)
    before = desk_state(desk)
    report = import_ledger(desk, ledger).value
    assert (report.created, report.already_present, report.changed) == (0, 30, ())
    assert desk_state(desk)[:5] == before[:5]


# ---------------------------------------------------------------------------------------------------------------
# Dates and numbers


@pytest.mark.parametrize("written", ["0001-01-01", "1900-01-01", "1989-12-31"])
def test_dates_before_1990_are_refused(desk: Desk, tmp_path: Path, written: str) -> None:
    error = refused(desk, write_csv(tmp_path / "l.csv", [row(受理日期=written)]))
    assert places(error) == [("", 2, "受理日期")]
    assert "早于 1990-01-01" in reasons(error)[0]


def test_date_cells_and_numbers_in_a_workbook(desk: Desk, tmp_path: Path) -> None:
    rows = [row(受理日期=date(1900, 1, 1)), row(受理日期=2021, 纠纷简要情况="b"), row(受理日期=1905, 纠纷简要情况="c")]
    error = refused(desk, write_workbook(tmp_path / "l.xlsx", {"台账": rows}))
    assert places(error) == [("", 2, "受理日期"), ("", 3, "受理日期"), ("", 4, "受理日期")]
    assert "早于 1990-01-01" in reasons(error)[0]
    assert reasons(error)[1].startswith("“2021”是一个数字而不是日期（作为 Excel 日期序号是 1905-07-13）")


def test_the_1904_date_system(desk: Desk, tmp_path: Path) -> None:
    serial_1904 = (date(2025, 1, 2) - date(1904, 1, 1)).days
    rows = [row(受理日期=serial_1904, 纠纷简要情况="a"), row(受理日期=date(2025, 2, 3), 纠纷简要情况="b")]
    import_ledger(desk, write_workbook(tmp_path / "l.xlsx", {"台账": rows}, epoch_1904=True))
    assert {case.facts: case.intake_date for case in cases(desk)} == {"a": date(2025, 1, 2), "b": date(2025, 2, 3)}


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"涉及人数": "99999999999999999999"}, "涉及人数", "超过上限 100000 人"),
        ({"涉及人数": 99999999999999999999}, "涉及人数", "超过上限 100000 人"),
        ({"案件编号": "(2025)缙五人调字第99999999999999999999号"}, "案件编号", "序号"),
        ({"案件编号": "(0001)缙五人调字第1号"}, "案件编号", "年份 1"),
        ({"案件编号": "案" * 61}, "案件编号", "过长"),
        ({"协议金额": "99999999999999999999"}, "协议金额", "过大"),
        ({"协议金额": "20000000000"}, "协议金额", "超过上限 100 亿元"),
    ],
)
def test_numbers_beyond_their_columns_name_row_and_column(
    desk: Desk, tmp_path: Path, values: dict[str, object], column: str, fragment: str
) -> None:
    path = write_workbook(tmp_path / "l.xlsx", {"台账": [row(纠纷简要情况="好的"), row(**values)]})
    error = refused(desk, path)
    assert places(error) == [("", 3, column)]
    assert fragment in reasons(error)[0]


# ---------------------------------------------------------------------------------------------------------------
# Workbooks


def test_formulas_without_a_result_are_named_by_their_cell(desk: Desk, tmp_path: Path) -> None:
    rows = [
        row(协议金额="=100*3", 调解结果="成功", 协议形式="书面"),
        row(受理日期="=DATE(2025,3,5)", 纠纷简要情况="日期是公式"),
        row(纠纷简要情况="好的一行"),
    ]
    path = write_workbook(tmp_path / "l.xlsx", {"台账": rows})
    error = refused(desk, path)
    assert places(error) == [("", 2, "协议金额"), ("", 3, "受理日期")]
    assert reasons(error)[0].startswith("单元格 G2 是公式，但文件中没有保存它的计算结果")
    assert reasons(error)[1].startswith("单元格 A3 是公式")


def test_cached_formula_results_are_read(desk: Desk, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", {"台账": [row(协议金额="=100*3", 调解结果="成功", 协议形式="书面")]})

    def cache(xml: bytes) -> bytes:  # what Excel saves: the formula and its result
        assert b"<f>100*3</f><v />" in xml
        return xml.replace(b"<f>100*3</f><v />", b"<f>100*3</f><v>300</v>")

    rewrite_member(path, "xl/worksheets/sheet1.xml", cache)
    import_ledger(desk, path)
    assert [case.amount_fen for case in cases(desk)] == [30000]


def test_every_visible_sheet_is_read_and_the_others_are_named(desk: Desk, tmp_path: Path) -> None:
    sheets: dict[str, list[Any]] = {
        "旧表": [row(申请人="甲")],
        "一月": [row(申请人="乙")],
        "说明": [["本台账的填写说明"]],
        "二月": [row(申请人="丙"), row(申请人="丁")],
    }
    path = write_workbook(tmp_path / "l.xlsx", sheets, hidden=["旧表"])
    report = import_ledger(desk, path).value
    assert (report.rows, report.created) == (3, 3)
    assert report.sheets == ("一月", "二月")
    assert [str(skip) for skip in report.skipped] == ["旧表（隐藏）", "说明（没有台账表头）"]
    with desk.read() as session:
        assert sorted(session.scalars(sa.select(Party.name).where(Party.role == "applicant"))) == ["丁", "丙", "乙"]


def test_problems_name_their_sheet(desk: Desk, tmp_path: Path) -> None:
    sheets = {"一月": [row(申请人="乙")], "二月": [row(申请人="丙"), row(申请人="丁", 受理日期="2025-02-30")]}
    error = refused(desk, write_workbook(tmp_path / "l.xlsx", sheets))
    assert places(error) == [("二月", 3, "受理日期")]
    assert str(error.errors[0]).startswith("工作表“二月”第 3 行“受理日期”：")  # type: ignore[attr-defined]


def test_a_sheet_can_be_chosen_hidden_or_not(desk: Desk, tmp_path: Path) -> None:
    sheets = {"旧表": [row(申请人="甲")], "一月": [row(申请人="乙")]}
    path = write_workbook(tmp_path / "l.xlsx", sheets, hidden=["旧表"])
    report = import_ledger(desk, path, sheet="旧表").value
    assert (report.created, report.sheets, [str(s) for s in report.skipped]) == (1, ("旧表",), ["一月（未选择）"])
    error = refused(desk, path, ValidationError, sheet="三月")
    assert error.message == "l.xlsx 中没有名为“三月”的工作表；工作表有：“旧表”、“一月”"


def test_a_styled_cell_at_the_end_of_the_grid_is_refused_fast(tmp_path: Path, desk: Desk) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["受理日期", "纠纷类型", "案件来源", "申请人"])
    sheet.append(["2025-03-05", "邻里纠纷", "当事人申请", "张三"])
    sheet["XFD1048576"].font = Font(bold=True)
    path = tmp_path / "xfd.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = refused(desk, path, ValidationError)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 30 * 1024 * 1024
    assert "A1:XFD1048576" in error.message
    assert "设置了格式的空单元格" in error.message


def test_a_sheet_whose_dimension_lies_is_read_to_its_real_end(desk: Desk, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", {"台账": [row(纠纷简要情况=f"第{i}件") for i in range(5)]})
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="A1:F6"', b'ref="A1"'))
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1" />' in archive.read("xl/worksheets/sheet1.xml")
    assert import_ledger(desk, path).value.created == 5
