"""Cell values of a ledger: text, dates and name lists as a spreadsheet gives them, the cells a file holds no value
for, and the ledger's vocabularies (sources, outcomes, agreement forms, performance, yes/no) in the words clerks
write."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from mediation_desk.domain.codes import CaseSource, PartyKind, Performance
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger.limits import EARLIEST_DATE


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell whose value the file does not hold: a formula saved without its result, or an Excel error value.

    It is not blank (the row is not skipped) and it is never read as a value: the row is refused at its column.
    """

    reason: str


CellValue = str | int | float | bool | date | datetime | time | Unreadable | None

# What Excel writes into a cell (and into a CSV export) when a formula fails, and what openpyxl gives for a date
# cell whose number is out of range.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"}
)


def blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell(value: object) -> CellValue:
    """A spreadsheet value as one of the kinds the checks know (decimals and durations become text)."""
    if isinstance(value, str):
        return error_value(value)
    if value is None or isinstance(value, int | float | bool | date | datetime | time | Unreadable):
        return value
    return str(value)


def error_value(value: str) -> CellValue:
    """An Excel error value (``#DIV/0!``, ``#REF!`` ...) as ``Unreadable``; any other text as it is."""
    if value.startswith("#") and value.strip().upper() in EXCEL_ERRORS:
        return Unreadable(f"单元格的值是 Excel 的错误值 {value.strip()}（公式出错或引用已失效），不是台账的内容")
    return value


def text(value: CellValue) -> str:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def cell_date(
    value: CellValue, *, epoch: datetime | None = None, today: date | None = None, what: str = "日期"
) -> date:
    """A date from a cell: text in any form ``parse_date`` accepts, an Excel date cell, or a number: ``20210305``
    or an Excel serial number, counted from the workbook's ``epoch`` (1900 or 1904 system; 1900 when not given).

    Every date is at least ``EARLIEST_DATE``; a serial number must also not be after ``today`` (text and date
    cells in the future are the case rules' to refuse, with their own message). A number that is not a plausible
    date (2021, a count typed into a date column) is refused as a number, with the date it would stand for.
    """
    if isinstance(value, datetime | date):
        return _not_before(parse_date(value), text(value), what)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_date(value, epoch, today or date.today())
    if isinstance(value, time):
        raise ValidationError(f"“{value.isoformat()}”是时间而不是日期")
    written = text(value)
    return _not_before(parse_date(written), written, what)


def _not_before(day: date, written: str, what: str) -> date:
    if day < EARLIEST_DATE:
        raise ValidationError(
            f"{what}“{written}”早于 {EARLIEST_DATE.isoformat()}，不是可能的日期（请检查年份）", field="date"
        )
    return day


def _number_date(value: int | float, epoch: datetime | None, today: date) -> date:
    written = text(value)
    if not math.isfinite(value):
        raise ValidationError(f"“{written}”不是日期，应写作 2021-03-05", field="date")
    if float(value).is_integer() and 19000101 <= value <= 99991231:
        day = parse_date(str(int(value)))
        if EARLIEST_DATE <= day <= today:
            return day
        raise ValidationError(f"“{written}”不是可能的日期（{day.isoformat()}）；请写作 2021-03-05", field="date")
    converted = _serial(value, epoch)
    if converted is not None and EARLIEST_DATE <= converted <= today:
        return converted
    meaning = f"（作为 Excel 日期序号是 {converted.isoformat()}）" if converted is not None else ""
    raise ValidationError(
        f"“{written}”是一个数字而不是日期{meaning}；请把单元格设为日期格式，或写作 2021-03-05", field="date"
    )


def _serial(value: int | float, epoch: datetime | None) -> date | None:
    """The date an Excel serial number stands for in the workbook's date system; ``None`` outside Excel's range."""
    if not 1 <= value < 2958466:
        return None
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    converted = from_excel(value, epoch or CALENDAR_WINDOWS_1900)
    if isinstance(converted, datetime):
        return converted.date()
    return converted if isinstance(converted, date) else None


_SPLIT = re.compile(r"[、，,；;\n/]+")


def names(value: CellValue, *, unique: bool = False) -> list[str]:
    """Names separated by 、 (or ，,；;/ and line breaks), in order; two parties may share a name, mediators not."""
    found: list[str] = []
    for part in _SPLIT.split(text(value)):
        name = part.strip()
        if name and not (unique and name in found):
            found.append(name)
    return found


_ORG_SUFFIXES = ("公司", "厂", "店", "社", "委员会", "医院", "学校", "中心", "局", "所", "银行", "集团")


def party_kind(name: str) -> PartyKind:
    return PartyKind.ORGANISATION if len(name) > 3 and name.endswith(_ORG_SUFFIXES) else PartyKind.PERSON


SOURCES: dict[str, CaseSource] = {
    **{member.value: member for member in CaseSource},
    **{member.label: member for member in CaseSource},
    "申请": CaseSource.APPLICATION,
    "排查发现": CaseSource.INITIATIVE,
    "排查": CaseSource.INITIATIVE,
    "主动": CaseSource.INITIATIVE,
    "移送": CaseSource.REFERRAL,
    "委托": CaseSource.REFERRAL,
}
OUTCOMES: dict[str, str] = {
    "成功": "success",
    "调解成功": "success",
    "success": "success",
    "successful": "success",
    "不成功": "failed",
    "调解不成功": "failed",
    "调解不成": "failed",
    "失败": "failed",
    "failed": "failed",
    "failure": "failed",
    "终止": "terminated",
    "终止调解": "terminated",
    "terminated": "terminated",
}
AGREEMENTS: dict[str, str] = {
    "书面": "written",
    "书面协议": "written",
    "written": "written",
    "口头": "oral",
    "口头协议": "oral",
    "oral": "oral",
    "无": "none",
    "没有": "none",
    "none": "none",
    "": "none",
}
PERFORMANCE: dict[str, Performance] = {
    **{member.value: member for member in Performance},
    **{member.label: member for member in Performance},
    "部分": Performance.PARTLY,
    "全部履行": Performance.PERFORMED,
    "未": Performance.NOT_PERFORMED,
}
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", ""})


def lookup(table: dict[str, str], value: str) -> str | None:
    """A word of the ledger's vocabulary: English case-insensitively, Chinese as written."""
    return table.get(value.lower()) if value.isascii() else table.get(value)
