"""Reading a ledger file into rows of cells: CSV with and without BOM, tabs, .xlsx, the header row, refusals."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from mediation_desk.domain.codes import PartyKind
from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger import read_sheet
from mediation_desk.services.ledger.cells import cell_date, names, party_kind, text
from mediation_desk.services.ledger.csvfile import read_csv
from tests.unit.ledgers import row, write_csv, write_xlsx

HEADER = "受理日期,纠纷类型,案件来源,申请人\n"


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_and_without_bom_reads_the_same(tmp_path: Path, bom: bool) -> None:
    path = write_csv(tmp_path / "l.csv", [row(), row(申请人="王五")], bom=bom)
    sheet = read_sheet(path)
    assert sheet.header_row == 1
    assert sheet.headers == ["受理日期", "纠纷类型", "案件来源", "申请人", "被申请人", "纠纷简要情况"]
    assert [(number, cells[3]) for number, cells in sheet.rows] == [(2, "张三"), (3, "王五")]


def test_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode())
    assert read_csv(path, path.read_bytes()).rows[0] == (1, ["受理日期", "纠纷类型", "案件来源", "申请人"])


def test_tab_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("受理日期\t纠纷类型\t案件来源\t申请人\n2025-01-02\t02\t主动调解\t张三、李四\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.rows == [(2, ["2025-01-02", "02", "主动调解", "张三、李四"])]


def test_title_row_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "2025年示例村人民调解案件台账,,,\n,,,\n" + HEADER + "2025-01-02,02,主动调解,张三\n,,,\n\n"
        "2025-01-03,02,主动调解,李四\n",
        encoding="utf-8",
    )
    sheet = read_sheet(path)
    assert (sheet.header_row, [number for number, _cells in sheet.rows]) == (3, [4, 7])


def test_without_a_recognisable_header_the_first_row_is_the_header(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert (sheet.header_row, sheet.headers, sheet.rows) == (1, ["甲", "乙"], [(2, ["1", "2"])])


def test_xlsx_keeps_cell_kinds_and_finds_the_header_below_a_title(tmp_path: Path) -> None:
    rows = [row(受理日期=datetime(2025, 4, 1), 纠纷类型=2, 协议金额=1500.5)]
    path = write_xlsx(tmp_path / "l.xlsx", rows, title="示例台账")
    sheet = read_sheet(path)
    assert sheet.header_row == 2
    number, cells = sheet.rows[0]
    assert number == 3
    assert cells[:2] == [datetime(2025, 4, 1), 2]
    assert cells[-1] == 1500.5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("l.csv", "\ufeff受理日期".encode("utf-16-le"), "是 UTF-16 编码"),
        ("l.csv", b"\xff\xfe" + "受理日期".encode("utf-16-le"), "是 UTF-16 编码"),
        ("l.csv", HEADER.encode("gbk"), "不是 UTF-8 编码（可能是 GBK/ANSI）"),
        ("l.csv", b"\n \n", "是空文件"),
        ("l.ods", b"x", "另存为 .xlsx"),
        ("l.json", b"{}", "只能导入 .xlsx 或 .csv"),
        ("l.xlsx", b"PK not really", "不是有效的 Excel"),
    ],
)
def test_refused_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        read_sheet(path)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="不是文件"):
        read_sheet(tmp_path)


# ---------------------------------------------------------------------------------------------------------------
# Cell values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "是"),
        (12.0, "12"),
        (12.5, "12.5"),
        (datetime(2025, 1, 2), "2025-01-02"),
        (datetime(2025, 1, 2, 8, 30), "2025-01-02 08:30:00"),
        (date(2025, 1, 2), "2025-01-02"),
        ("  张三 ", "张三"),
    ],
)
def test_text(value: object, expected: str) -> None:
    assert text(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025/3/9", date(2025, 3, 9)),
        ("2025年3月20日", date(2025, 3, 20)),
        (20250309, date(2025, 3, 9)),
        (45658, date(2025, 1, 1)),  # an Excel serial number
        (datetime(2025, 3, 9, 10), date(2025, 3, 9)),
    ],
)
def test_cell_date(value: object, expected: date) -> None:
    assert cell_date(value) == expected  # type: ignore[arg-type]


def test_names_and_party_kinds() -> None:
    assert names("张三、李四，王五;张三\n赵六/钱七") == ["张三", "李四", "王五", "张三", "赵六", "钱七"]
    assert names("调解员甲、调解员甲", unique=True) == ["调解员甲"]
    assert names(None) == []
    assert party_kind("某某建材有限公司") is PartyKind.ORGANISATION
    assert party_kind("李店") is PartyKind.PERSON  # too short to be a shop's name
