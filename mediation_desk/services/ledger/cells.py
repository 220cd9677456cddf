"""Cell values of a ledger: text, dates and name lists as a spreadsheet gives them, and the ledger's vocabularies
(sources, outcomes, agreement forms, performance, yes/no) in the words clerks write."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from mediation_desk.domain.codes import CaseSource, PartyKind, Performance
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.errors import ValidationError

CellValue = str | int | float | bool | date | datetime | time | None


def blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell(value: object) -> CellValue:
    """A spreadsheet value as one of the kinds the checks know (decimals and durations become text)."""
    if value is None or isinstance(value, str | int | float | bool | date | datetime | time):
        return value
    return str(value)


def text(value: CellValue) -> str:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if value is None:
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


def cell_date(value: CellValue) -> date:
    """A date from a cell: text in any form ``parse_date`` accepts, an Excel date cell or a date serial number."""
    if isinstance(value, datetime | date):
        return parse_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 99991231:
            return parse_date(str(int(value)))
        if 1 <= value < 2958466:  # an Excel serial number in a cell not formatted as a date
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            if isinstance(converted, datetime | date):
                return parse_date(converted)
    if isinstance(value, time):
        raise ValidationError(f"“{value.isoformat()}”是时间而不是日期")
    return parse_date(text(value))


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
