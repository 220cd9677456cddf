"""The ledger's columns: the header table (Chinese names of DESIGN.md, their English names, common variants) and
the mapping of a file's header row onto it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from mediation_desk.services.ledger.cells import CellValue, blank
from mediation_desk.services.ledger.report import LedgerError


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("intake_date", "受理日期", "intake_date", True, ("受理时间", "登记日期")),
    Column("case_number", "案件编号", "case_number", False, ("案号", "编号")),
    Column("org_code", "调委会", "org_code", False, ("组织代码", "调委会代码")),
    Column("category", "纠纷类型", "category", True, ("纠纷类别", "案件类型")),
    Column("source", "案件来源", "source", True, ("来源", "纠纷来源")),
    Column("applicants", "申请人", "applicants", True),
    Column("respondents", "被申请人", "respondents"),
    Column("facts", "纠纷简要情况", "facts", False, ("简要案情", "纠纷情况", "基本情况")),
    Column("mediators", "调解员", "mediators", False, ("调解人员",)),
    Column("outcome", "调解结果", "outcome"),
    Column("agreement", "协议形式", "agreement"),
    Column("amount", "协议金额", "amount", False, ("涉及金额", "金额")),
    Column("persons", "涉及人数", "persons", False, ("人数",)),
    Column("closing_date", "结案日期", "closing_date", False, ("结案时间",)),
    Column("performance", "履行情况", "performance"),
    Column("group", "群体性", "group", False, ("是否群体性", "群体性纠纷")),
    Column("notes", "备注", "notes"),
)
BY_KEY = {column.key: column for column in COLUMNS}
IGNORED_HEADERS = frozenset({"序号", "index", "no", "no."})


def _header_key(header: str) -> str:
    """A header without spaces, byte-order marks or zero-width characters, NFKC, lower case."""
    return re.sub(r"[\s\ufeff\u200b-\u200d\u2060]+", "", unicodedata.normalize("NFKC", header)).lower()


_HEADER_LOOKUP: dict[str, str] = {
    _header_key(name): column.key for column in COLUMNS for name in (column.zh, column.en, *column.aliases)
}
_TRAILING_UNIT = re.compile(r"[(\[【].*?[)\]】]$")


def match_header(header: str) -> str | None:
    """The column key for a header as written, or ``None``; ``""`` for a column that is deliberately ignored."""
    key = _header_key(header)
    for candidate in (key, _TRAILING_UNIT.sub("", key)):
        if candidate in _HEADER_LOOKUP:
            return _HEADER_LOOKUP[candidate]
        if candidate in IGNORED_HEADERS:
            return ""
    return None


@dataclass(slots=True)
class HeaderMap:
    """A file's header row mapped onto the columns: where each column is, and its header as written."""

    headers: list[str]
    positions: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    errors: list[LedgerError] = field(default_factory=list)

    def column(self, key: str) -> str:
        """The column's header as the file writes it (its Chinese name when the file has no such column)."""
        return self.names.get(key, BY_KEY[key].zh)

    def unlabelled(self, cells: Sequence[CellValue]) -> list[int]:
        """Indexes of the filled cells of a row that stand under no header."""
        width = len(self.headers)
        return [
            index
            for index, value in enumerate(cells)
            if (index >= width or not self.headers[index]) and not blank(value)
        ]


def map_headers(header_row: int, headers: Sequence[str], sheet: str = "") -> HeaderMap:
    """Map a header row; unknown and repeated columns and missing required ones are errors on that row."""
    mapped = HeaderMap(list(headers))
    for index, header in enumerate(headers):
        if not header:
            continue
        key = match_header(header)
        if key is None:
            known = "、".join(column.zh for column in COLUMNS)
            mapped.errors.append(
                LedgerError(header_row, header, f"无法识别的列“{header}”；台账可用的列为：{known}", sheet)
            )
        elif key in mapped.positions:
            first = mapped.names[key]
            mapped.errors.append(LedgerError(header_row, header, f"列“{header}”与列“{first}”重复", sheet))
        elif key:
            mapped.positions[key] = index
            mapped.names[key] = header
    missing = [column.zh for column in COLUMNS if column.required and column.key not in mapped.positions]
    if missing:
        names = "、".join(missing)
        mapped.errors.append(LedgerError(header_row, names, f"缺少必填列：{names}", sheet))
    return mapped
