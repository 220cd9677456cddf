"""Ledger files that are not what they say, or beyond the limits: each refused with a message that says what it
is, before anything is loaded, and the database left as it was."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import LedgerInvalid, csvfile, import_ledger, read_ledger, xlsx
from mediation_desk.services.ledger.filetype import Kind, sniff
from tests.unit.ledgers import desk_state, rewrite_member, row, write_csv, write_workbook

SHEET = "xl/worksheets/sheet1.xml"


def message(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        read_ledger(path)
    return caught.value.message


def workbook(tmp_path: Path, name: str = "l.xlsx") -> Path:
    return write_workbook(tmp_path / name, {"台账": [row(), row(申请人="王五")]})


# ---------------------------------------------------------------------------------------------------------------
# What a file really is


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04rest", Kind.ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", Kind.OLE),
        (b"\xff\xfe<\x00", Kind.UTF16),
        ("受理日期,2025-01-01\n".encode("utf-16-le"), Kind.UTF16),
        (b"%PDF-1.7\n", Kind.BINARY),
        (bytes(range(256)), Kind.BINARY),
        ("受理日期,纠纷类型\n".encode(), Kind.TEXT),
        (b"BM is also how a text may start", Kind.TEXT),
    ],
)
def test_sniff(head: bytes, kind: Kind) -> None:
    assert sniff(head)[0] is kind


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("l.csv", b"%PDF-1.7\n%binary", "实际上是PDF 文件"),
        ("l.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Excel（.xls）"),
        ("l.csv", b"\x00\x01\x02\x03" * 100, "实际上是二进制文件"),
        ("l.xlsx", "受理日期,纠纷类型\n2025-01-01,02\n".encode(), "而是文本文件（可能是改了扩展名的 CSV）"),
        ("l.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Excel（.xls）文件或设置了打开密码"),
        ("l.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100), "它是PNG 图片"),
        ("l.xlsx", b"PK\x03\x04" + bytes(100), "不是完整的 ZIP 文件"),
    ],
)
def test_a_file_is_called_what_it_is(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert fragment in message(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "实际上是Word 文档（.docx）" in message(path)
    renamed = path.rename(tmp_path / "l.xlsx")
    assert "已损坏或不是有效的 Excel" in message(renamed)


def test_refused_files_leave_the_desk_as_it_was(desk: Desk, tmp_path: Path) -> None:
    before = desk_state(desk)
    path = tmp_path / "l.csv"
    path.write_bytes(workbook(tmp_path).read_bytes())
    with pytest.raises(ValidationError, match="实际上是 Excel 工作簿"):
        import_ledger(desk, path)
    assert desk_state(desk) == before


# ---------------------------------------------------------------------------------------------------------------
# Limits, before loading


def test_a_file_larger_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mediation_desk.services.ledger.reading.MAX_FILE_BYTES", 1000)
    path = write_csv(tmp_path / "l.csv", [row(纠纷简要情况="很长的案情" * 100)])
    assert "超过台账文件的上限" in message(path)


def test_csv_rows_columns_cells_and_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    path = write_csv(tmp_path / "l.csv", [row(纠纷简要情况=str(i)) for i in range(3)])
    assert "超过 3 行" in message(path)
    monkeypatch.setattr(csvfile, "MAX_ROWS", 100)
    wide = tmp_path / "wide.csv"
    wide.write_text("受理日期,纠纷类型\n" + "x," * 70 + "\n", encoding="utf-8")
    assert "超过上限 64 列" in message(wide)
    long_cell = write_csv(tmp_path / "long.csv", [row(纠纷简要情况="案" * 40_000)])
    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(long_cell)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "第 6 列")]
    assert "单元格过长" in caught.value.errors[0].reason
    line = tmp_path / "line.csv"
    line.write_text("受理日期,纠纷类型\n" + "," * 2_200_000 + "\n", encoding="utf-8")
    assert "超过上限" in message(line)


def test_the_archive_is_checked_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_openpyxl(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr("openpyxl.load_workbook", no_openpyxl)
    bomb = workbook(tmp_path, "bomb.xlsx")
    rewrite_member(bomb, SHEET, lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b" " * 3_000_000))
    assert "压缩比异常" in message(bomb)
    monkeypatch.setattr(xlsx, "MAX_SHEET_XML_BYTES", 2000)
    big = workbook(tmp_path, "big.xlsx")
    rewrite_member(big, SHEET, lambda xml: xml + b" " * 5000)
    assert "超过上限" in message(big)


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "l.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(2001):
            archive.writestr(f"x/{index}.txt", "")
    assert "文件过多（2001 个）" in message(path)


def test_an_encrypted_member(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    for offset in (info.header_offset + 6, _directory_entry(bytes(data), SHEET) + 8):
        data[offset] |= 0x1  # the "encrypted" flag, in the local header and in the directory
    path.write_bytes(bytes(data))
    assert "设置了密码" in message(path)


def _directory_entry(data: bytes, name: str) -> int:
    """Where the archive's directory entry for ``name`` starts."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    rewrite_member(path, "xl/workbook.xml", lambda xml: laughs + xml.split(b"?>", 1)[-1])
    assert "文档类型声明（DTD）" in message(path)


def test_rows_out_of_order_are_refused_not_dropped(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    rewrite_member(path, SHEET, lambda xml: xml.replace(b'<row r="3"', b'<row r="2"').replace(b'r="A3"', b'r="A2"'))
    assert "行号错乱" in message(path)


def test_a_declared_range_beyond_the_limits_needs_no_cells_read(tmp_path: Path) -> None:
    source = Workbook()
    sheet = source.active
    assert sheet is not None
    sheet.append(["受理日期", "纠纷类型", "案件来源", "申请人"])
    sheet.append(["2025-03-05", "邻里纠纷", "当事人申请", "张三"])
    sheet.cell(100_001, 1).font = Font(bold=True)
    path = tmp_path / "l.xlsx"
    source.save(path)
    assert "A1:F100001" in message(path) or "100001 行" in message(path)


def test_without_a_dimension_the_real_content_is_read(desk: Desk, tmp_path: Path) -> None:
    source = Workbook()
    sheet = source.active
    assert sheet is not None
    sheet.append(["受理日期", "纠纷类型", "案件来源", "申请人"])
    sheet.append(["2025-03-05", "邻里纠纷", "当事人申请", "张三"])
    sheet["XFD1048576"].font = Font(bold=True)
    path = tmp_path / "l.xlsx"
    source.save(path)
    rewrite_member(path, SHEET, lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576" />', b""))
    started = time.perf_counter()
    assert import_ledger(desk, path).value.created == 1
    assert time.perf_counter() - started < 5


def test_content_beyond_the_last_column_is_refused(tmp_path: Path) -> None:
    source = Workbook()
    sheet = source.active
    assert sheet is not None
    sheet.append(["受理日期", "纠纷类型", "案件来源", "申请人"])
    sheet.append(["2025-03-05", "邻里纠纷", "当事人申请", "张三"])
    sheet.cell(2, 70, "藏在远处的内容")
    path = tmp_path / "l.xlsx"
    source.save(path)
    assert "单元格 BR2 有内容，超过台账的上限 64 列" in message(path)


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_excel_error_values_are_not_content(desk: Desk, tmp_path: Path, error: str) -> None:
    for path in (
        write_csv(tmp_path / "l.csv", [row(纠纷简要情况=error)]),
        write_workbook(tmp_path / "l.xlsx", {"台账": [row(纠纷简要情况=error)]}),
    ):
        if path.suffix == ".xlsx":
            rewrite_member(
                path,
                SHEET,
                lambda xml: xml.replace(
                    f'<c r="F2" t="inlineStr"><is><t>{error}</t></is></c>'.encode(),
                    f'<c r="F2" t="e"><v>{error}</v></c>'.encode(),
                ),
            )
        with pytest.raises(LedgerInvalid) as caught:
            import_ledger(desk, path)
        assert [(e.row, e.column) for e in caught.value.errors] == [(2, "纠纷简要情况")]
        assert f"Excel 的错误值 {error}" in caught.value.errors[0].reason


def test_strict_open_xml_is_named(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    rewrite_member(
        path,
        "xl/workbook.xml",
        lambda xml: xml.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", strict),
    )
    assert "Strict Open XML" in message(path)


def test_a_csv_sheet_cannot_be_chosen(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row()])
    with pytest.raises(ValidationError, match="CSV 文件只有一张表"):
        read_ledger(path, "Sheet1")


def test_a_workbook_whose_ledger_sheet_is_hidden_says_so(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", {"说明": [["填写说明"]], "台账": [row()]}, hidden=["台账"])
    assert message(path) == (
        "l.xlsx 中没有可导入的台账工作表（说明（没有台账表头）、台账（隐藏））；如要导入隐藏的工作表，请用 --sheet 指定"
    )


def test_an_empty_workbook(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", {"Sheet1": []})
    assert message(path) == "l.xlsx 是空的工作簿：没有表头，也没有案件"
