"""Reading a ledger file into sheets of rows: ``.xlsx`` (every visible sheet with a ledger header, or the one
chosen) or UTF-8 ``.csv``, each with its header row found among its first rows and its blank rows dropped.

Before anything is decoded the file's size is checked and its first bytes say what it really is (``filetype``):
a workbook named ``.csv``, text named ``.xlsx``, an old ``.xls`` or a PDF are refused with a message that says
so. A workbook's sheets: hidden ones are not read (they are named in the report, and ``sheet`` can choose one);
a visible sheet without a ledger header (a title page, notes, a summary) is named in the report; a workbook of
one sheet, or the sheet chosen, without a recognisable header is read with its first row as the header, so that
the header's problems are reported. The rows of a workbook of several sheets are named with their sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger import csvfile, filetype, xlsx
from mediation_desk.services.ledger.cells import CellValue, Unreadable, blank, text
from mediation_desk.services.ledger.columns import match_header
from mediation_desk.services.ledger.limits import MAX_FILE_BYTES, megabytes
from mediation_desk.services.ledger.report import LedgerError, SkippedSheet

HEADER_SEARCH_ROWS = 10

NumberedRow = tuple[int, list[CellValue]]


@dataclass(slots=True)
class Sheet:
    """A ledger sheet as read from the file: its header row, its non-blank data rows, its name (``""`` for a CSV
    file), the workbook's date system for date numbers, and the problems found while reading (the rows they are
    on are not checked further)."""

    header_row: int
    headers: list[str]
    rows: list[NumberedRow]
    name: str = ""
    epoch: datetime | None = None
    problems: list[LedgerError] = field(default_factory=list)
    refused: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Ledger:
    """The sheets to import and the sheets of the workbook that were not read."""

    sheets: list[Sheet]
    skipped: list[SkippedSheet] = field(default_factory=list)


def read_ledger(path: Path, sheet: str | None = None) -> Ledger:
    """Read ``.xlsx`` or UTF-8 ``.csv``; ``sheet`` names the one worksheet to read. ``ValidationError`` (or
    ``LedgerInvalid`` naming a row) when the file cannot be read."""
    if not path.exists():
        raise ValidationError(f"找不到文件 {path}")
    if not path.is_file():
        raise ValidationError(f"{path} 不是文件")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ods"):
        raise ValidationError(
            f"无法读取 {path.name}：请在 Excel 或 WPS 中另存为 .xlsx 工作簿或“CSV UTF-8（逗号分隔）”文件后再导入"
        )
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise ValidationError(f"{path.name} 不是台账文件：只能导入 .xlsx 或 .csv 文件")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"{path.name} 有 {megabytes(size)}，超过台账文件的上限 {megabytes(MAX_FILE_BYTES)}；请分成几个文件导入"
        )
    kind, name = filetype.sniff(filetype.read_head(path))
    if suffix == ".csv":
        if sheet is not None:
            raise ValidationError("CSV 文件只有一张表，不能选择工作表；工作表只适用于 .xlsx 工作簿")
        filetype.refuse_for_csv(path, kind, name)
        return Ledger([_csv_sheet(path)])
    filetype.refuse_for_xlsx(path, kind, name)
    return _workbook(path, sheet)


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The first sheet that ``read_ledger`` reads (a CSV file's only one)."""
    return read_ledger(path, sheet).sheets[0]


def _csv_sheet(path: Path) -> Sheet:
    table = csvfile.read_csv(path, path.read_bytes())
    found = find_header(table.rows, path.name)
    errors, refused = csvfile.width_errors(table, found.header_row)
    found.problems.extend(errors)
    found.refused.update(refused)
    return found


# ---------------------------------------------------------------------------------------------------------------
# Workbooks


def _workbook(path: Path, chosen: str | None) -> Ledger:
    entries = xlsx.inspect(path)
    if not entries:
        raise ValidationError(f"{path.name} 中没有工作表")
    if chosen is not None:
        entry = _chosen(path, entries, chosen)
        wanted = {entry.name}
        skipped = [SkippedSheet(other.name, "未选择") for other in entries if other is not entry]
    else:
        wanted = {entry.name for entry in entries if entry.worksheet and entry.state == "visible"}
        skipped = [SkippedSheet(entry.name, _why_not(entry)) for entry in entries if entry.name not in wanted]
    workbook = xlsx.read_workbook(path, entries, wanted)
    read = [sheet for sheet in workbook.sheets if sheet.rows is not None]
    sheets: list[Sheet] = []
    for found in read:
        assert found.rows is not None
        header = _header_at(found.rows)
        if header is None and (chosen is not None or len(entries) == 1):
            header = _first_row(found.rows)
        if header is None:
            reason = "空白" if not found.rows else "没有台账表头"
            skipped.append(SkippedSheet(found.entry.name, reason))
            continue
        name = found.entry.name if len(entries) > 1 else ""  # a workbook of one sheet reads like a CSV file
        sheets.append(_sheet(found.rows, header, name, workbook.epoch))
    order = {entry.name: index for index, entry in enumerate(entries)}
    skipped.sort(key=lambda skip: order[skip.name])
    if not sheets:
        raise _nothing_to_read(path, skipped)
    return Ledger(sheets, skipped)


def _why_not(entry: xlsx.SheetEntry) -> str:
    if not entry.worksheet:
        return "不是数据工作表（如图表工作表）"
    return "隐藏" if entry.state == "hidden" else "深度隐藏"


def _chosen(path: Path, entries: list[xlsx.SheetEntry], chosen: str) -> xlsx.SheetEntry:
    wanted = chosen.strip()
    found = [entry for entry in entries if entry.name == wanted] or [
        entry for entry in entries if entry.name.strip().casefold() == wanted.casefold()
    ]
    if not found:
        names = "、".join(f"“{entry.name}”" for entry in entries)
        raise ValidationError(f"{path.name} 中没有名为“{chosen}”的工作表；工作表有：{names}")
    if not found[0].worksheet:
        raise ValidationError(f"{path.name} 的“{found[0].name}”不是数据工作表（如图表工作表），无法导入")
    return found[0]


def _nothing_to_read(path: Path, skipped: list[SkippedSheet]) -> ValidationError:
    if all(skip.reason == "空白" for skip in skipped):
        return ValidationError(f"{path.name} 是空的工作簿：没有表头，也没有案件")
    names = "、".join(str(skip) for skip in skipped)
    hidden = any(skip.reason in ("隐藏", "深度隐藏") for skip in skipped)
    advice = "；如要导入隐藏的工作表，请用 --sheet 指定" if hidden else ""
    return ValidationError(f"{path.name} 中没有可导入的台账工作表（{names}）{advice}")


# ---------------------------------------------------------------------------------------------------------------
# The header


def _non_blank(raw: list[NumberedRow]) -> list[NumberedRow]:
    return [(number, cells) for number, cells in raw if not all(blank(value) for value in cells)]


def _header_at(raw: list[NumberedRow]) -> int | None:
    """The index of the first row naming at least two known columns among the first ten non-blank rows."""
    for index, (_number, cells) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        known = sum(1 for value in cells if isinstance(value, str) and match_header(value))
        if known >= 2:
            return index
    return None


def _first_row(raw: list[NumberedRow]) -> int | None:
    return 0 if raw else None


def _sheet(rows: list[NumberedRow], at: int, name: str, epoch: datetime | None) -> Sheet:
    header_row, header_cells = rows[at]
    headers = ["" if blank(value) else text(value) for value in header_cells]
    found = Sheet(header_row, headers, rows[at + 1 :], name, epoch)
    for index, value in enumerate(header_cells):
        if isinstance(value, Unreadable):
            found.problems.append(LedgerError(header_row, f"第 {index + 1} 列", value.reason, name))
    return found


def find_header(raw: list[NumberedRow], name: str) -> Sheet:
    """The header is the first row naming at least two known columns among the first ten non-blank rows (so a
    title row above it is allowed); without one, the first non-blank row."""
    rows = _non_blank(raw)
    if not rows:
        raise ValidationError(f"{name} 是空文件：没有表头，也没有案件")
    at = _header_at(rows)
    return _sheet(rows, 0 if at is None else at, "", None)
