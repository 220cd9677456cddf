"""Ledger (台账) import: a township's or village's Excel/CSV case list becomes cases, all or nothing.

The file
    ``.xlsx`` (the first worksheet) or a UTF-8 ``.csv`` (BOM optional; comma- or tab-separated). The header row is
    the first row that names at least two known columns among the first ten (so a title row above the header, as
    many ledgers have, is allowed); row numbers in messages are the spreadsheet's own, 1-based. Headers are the
    Chinese names of DESIGN.md or their English names, in any order, with surrounding whitespace and a trailing
    unit in brackets ("协议金额（元）", "受理日期 (intake_date)") ignored. A column named 序号 is ignored; any other
    unknown column is an error naming it, and so is a filled cell under no header. Blank rows are skipped.

Checking
    Every row is checked before anything is written and every problem is reported (row, column, reason). When any
    row is bad, :class:`LedgerInvalid` is raised and nothing is written. The import runs in one transaction.

Idempotence
    Each row gets a ledger key: the SHA-256 of its identifying content, normalised (organisation, intake date,
    category, source, applicants and respondents (sorted), facts, and the case number if the row gives one).
    A row whose key, or whose case number, is already on file for its organisation is counted as already present
    and left alone, so importing the same ledger twice adds nothing the second time. The same case listed twice in
    one file (same key, or same case number in the same organisation) is an error naming both rows: a ledger
    should not list one case twice, and guessing which of the two is right would be worse.

What a row becomes
    A case registered and accepted (numbered in intake order when the ledger gives no number), its parties, its
    mediators (found by name in the case's organisation, or added to its roster), and, following the case
    lifecycle: no outcome → accepted (mediating when mediators are named); 成功 + 书面/口头 → agreement reached
    (closed when a closing date is given); 不成功 → failed; 终止 → terminated (each closed with a closing date).
    The outcome's date is the closing date, or the intake date when the ledger gives none.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import (
    CaseMediatorRole,
    CaseSource,
    OutcomeKind,
    PartyKind,
    PartyRole,
    Performance,
    find_category,
)
from mediation_desk.domain.dates import check_not_future, parse_date
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, transition
from mediation_desk.domain.money import yuan_to_fen
from mediation_desk.domain.numbering import DEFAULT_PREFIX, format_case_number, parse_case_number
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.cases import case_values
from mediation_desk.services.desk import Changes, Desk, Result, UnitOfWork
from mediation_desk.services.mediators import MediatorInput, clean_mediator
from mediation_desk.services.orgs import subtree_ids
from mediation_desk.store.bulk import BulkWriter
from mediation_desk.store.models import CaseMediator, DisputeCase, Mediator, OrgUnit, Outcome, Party

CellValue = str | int | float | bool | date | datetime | time | None
ProgressCallback = Callable[[int, int], None]

KEY_VERSION = "ledger-v1"
WHOLE_ROW = "整行"
FLUSH_EVERY = 500
PROGRESS_EVERY = 200
HEADER_SEARCH_ROWS = 10
MAX_MEDIATOR_NAME = 50
MAX_PARTY_NAME = 100


# ---------------------------------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True, slots=True)
class LedgerError:
    """One problem: 1-based spreadsheet row (the header is row 1 unless a title row is above it), the column's
    header as written in the file (or its canonical Chinese name), and the reason in Chinese."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行“{self.column}”：{self.reason}"


@dataclass(frozen=True, slots=True)
class LedgerReport:
    rows: int  # data rows read (blank rows not counted)
    created: int
    already_present: int
    mediators_created: int
    dry_run: bool


class LedgerInvalid(DomainError):
    """The ledger has bad rows (or a bad header); nothing was imported. ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[LedgerError]) -> None:
        self.errors: list[LedgerError] = sorted(errors, key=lambda error: error.row)
        super().__init__(f"台账有 {len(self.errors)} 处错误，未导入任何案件")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that it rolls back."""

    def __init__(self, report: LedgerReport) -> None:
        super().__init__("dry run")
        self.report = report


# ---------------------------------------------------------------------------------------------------------------
# Columns


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


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, *_column.aliases):
        _HEADER_LOOKUP[_header_key(_name)] = _column.key
del _column, _name


def match_header(text: str) -> str | None:
    """The column key for a header as written, or ``None``; ``""`` for a column that is deliberately ignored."""
    key = _header_key(text)
    for candidate in (key, re.sub(r"[(\[【].*?[)\]】]$", "", key)):
        if candidate in _HEADER_LOOKUP:
            return _HEADER_LOOKUP[candidate]
        if candidate in IGNORED_HEADERS:
            return ""
    return None


# ---------------------------------------------------------------------------------------------------------------
# Reading the file


@dataclass(slots=True)
class Sheet:
    """A ledger as read from the file: its header row and its non-blank data rows."""

    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[CellValue]]]


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(path: Path) -> Sheet:
    """Read ``.xlsx`` or UTF-8 ``.csv`` into rows; raise ``ValidationError`` when the file cannot be read."""
    if not path.exists():
        raise ValidationError(f"找不到文件 {path}")
    if not path.is_file():
        raise ValidationError(f"{path} 不是文件")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path)
    elif suffix == ".csv":
        raw = _read_csv(path)
    elif suffix in (".xls", ".et", ".ods"):
        raise ValidationError(
            f"无法读取 {path.name}：请在 Excel 或 WPS 中另存为 .xlsx 工作簿或“CSV UTF-8（逗号分隔）”文件后再导入"
        )
    else:
        raise ValidationError(f"{path.name} 不是台账文件：只能导入 .xlsx 或 .csv 文件")
    return _find_header(raw, path.name)


def _read_xlsx(path: Path) -> Iterable[tuple[int, list[CellValue]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ValidationError(f"{path.name} 不是有效的 Excel（.xlsx）文件，或文件已损坏") from None
    try:
        if not workbook.worksheets:
            raise ValidationError(f"{path.name} 中没有工作表")
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[CellValue]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(value) for value in values]))
        return rows
    finally:
        workbook.close()


def _cell(value: object) -> CellValue:
    """A spreadsheet value as one of the kinds the checks know (decimals and durations become text)."""
    if value is None or isinstance(value, str | int | float | bool | date | datetime | time):
        return value
    return str(value)


def _read_csv(path: Path) -> Iterable[tuple[int, list[CellValue]]]:
    data = path.read_bytes()
    advice = "请在 Excel 或 WPS 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(f"{path.name} 是 UTF-16 编码，台账 CSV 必须是 UTF-8 编码；{advice}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} 不是 UTF-8 编码（可能是 GBK/ANSI）；台账 CSV 必须是 UTF-8 编码，{advice}"
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[tuple[int, list[CellValue]]] = []
        for number, row in enumerate(reader, start=1):
            cells: list[CellValue] = list(row)
            rows.append((number, cells))
        return rows
    except csv.Error as error:
        raise ValidationError(f"{path.name} 不是有效的 CSV 文件：{error}") from None


def _find_header(raw: Iterable[tuple[int, list[CellValue]]], name: str) -> Sheet:
    rows = [(number, cells) for number, cells in raw if not all(_blank(cell) for cell in cells)]
    if not rows:
        raise ValidationError(f"{name} 是空文件：没有表头，也没有案件")
    header_at = 0
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = sum(1 for cell in cells if isinstance(cell, str) and match_header(cell))
        if known >= 2:
            header_at = index
            break
    header_row, header_cells = rows[header_at]
    headers = ["" if _blank(cell) else _text(cell) for cell in header_cells]
    return Sheet(header_row, headers, rows[header_at + 1 :])


# ---------------------------------------------------------------------------------------------------------------
# Cell values


def _text(value: CellValue) -> str:
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
    return unicodedata.normalize("NFC", str(value)).strip()


def _date(value: CellValue) -> date:
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
    return parse_date(_text(value))


_SPLIT = re.compile(r"[、，,；;\n/]+")


def _names(value: CellValue, *, unique: bool = False) -> list[str]:
    """Names separated by 、 (or ，,；;/ and line breaks), in order; two parties may share a name, mediators not."""
    found: list[str] = []
    for part in _SPLIT.split(_text(value)):
        name = part.strip()
        if name and not (unique and name in found):
            found.append(name)
    return found


_ORG_SUFFIXES = ("公司", "厂", "店", "社", "委员会", "医院", "学校", "中心", "局", "所", "银行", "集团")


def _party_kind(name: str) -> PartyKind:
    return PartyKind.ORGANISATION if len(name) > 3 and name.endswith(_ORG_SUFFIXES) else PartyKind.PERSON


_SOURCES = {
    **{member.value: member for member in CaseSource},
    **{member.label: member for member in CaseSource},
    "申请": CaseSource.APPLICATION,
    "排查发现": CaseSource.INITIATIVE,
    "排查": CaseSource.INITIATIVE,
    "主动": CaseSource.INITIATIVE,
    "移送": CaseSource.REFERRAL,
    "委托": CaseSource.REFERRAL,
}
_OUTCOMES = {
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
_AGREEMENTS = {
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
_PERFORMANCE = {
    **{member.value: member for member in Performance},
    **{member.label: member for member in Performance},
    "部分": Performance.PARTLY,
    "全部履行": Performance.PERFORMED,
    "未": Performance.NOT_PERFORMED,
}
_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", ""})


def _lookup(table: dict[str, str], value: CellValue) -> str | None:
    return table.get(_text(value).lower()) if _text(value).isascii() else table.get(_text(value))


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def ledger_key(
    org_code: str,
    intake: date,
    category: str,
    source: CaseSource,
    applicants: Sequence[str],
    respondents: Sequence[str],
    facts: str,
    number: str | None,
) -> str:
    """The SHA-256 (hex) of a row's normalised identifying content."""
    parts = [
        KEY_VERSION,
        org_code,
        intake.isoformat(),
        category,
        source.value,
        "、".join(sorted(_normalised(name) for name in applicants)),
        "、".join(sorted(_normalised(name) for name in respondents)),
        _normalised(facts),
        _normalised(number or ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Checking rows


@dataclass(slots=True)
class _Row:
    row: int
    org: OrgUnit
    data: CaseInput
    key: str
    number: str | None
    outcome: OutcomeKind | None
    performance: Performance | None
    closing_date: date | None
    mediators: list[str] = field(default_factory=list)


class _Checker:
    """Turns raw rows into validated ``_Row`` values, collecting every problem."""

    def __init__(self, sheet: Sheet, orgs: dict[str, OrgUnit], allowed: set[uuid.UUID], own: OrgUnit) -> None:
        self.sheet = sheet
        self.orgs = orgs
        self.allowed = allowed
        self.own = own
        self.today = date.today()
        self.errors: list[LedgerError] = []
        self.positions: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self._check_header()

    # -- header -------------------------------------------------------------------------------------------------

    def _check_header(self) -> None:
        row = self.sheet.header_row
        for index, header in enumerate(self.sheet.headers):
            if not header:
                continue
            key = match_header(header)
            if key is None:
                known = "、".join(column.zh for column in COLUMNS)
                self.errors.append(LedgerError(row, header, f"无法识别的列“{header}”；台账可用的列为：{known}"))
            elif key == "":
                continue
            elif key in self.positions:
                first = self.names[key]
                self.errors.append(LedgerError(row, header, f"列“{header}”与列“{first}”重复"))
            else:
                self.positions[key] = index
                self.names[key] = header
        missing = [column.zh for column in COLUMNS if column.required and column.key not in self.positions]
        if missing:
            names = "、".join(missing)
            self.errors.append(LedgerError(row, names, f"缺少必填列：{names}"))

    def column(self, key: str) -> str:
        return self.names.get(key, BY_KEY[key].zh)

    # -- rows ---------------------------------------------------------------------------------------------------

    def check(self, number: int, cells: list[CellValue]) -> _Row | None:
        errors_before = len(self.errors)

        def fail(key: str, reason: str) -> None:
            self.errors.append(LedgerError(number, self.column(key), reason))

        width = len(self.sheet.headers)
        for index, value in enumerate(cells):
            if not _blank(value) and (index >= width or not self.sheet.headers[index]):
                self.errors.append(LedgerError(number, f"第 {index + 1} 列", "该单元格有内容，但所在列没有表头"))

        def cell(key: str) -> CellValue:
            index = self.positions.get(key)
            if index is None or index >= len(cells):
                return None
            return cells[index]

        # intake date
        intake: date | None = None
        if _blank(cell("intake_date")):
            fail("intake_date", "受理日期不能为空")
        else:
            try:
                intake = check_not_future(_date(cell("intake_date")), today=self.today, what="受理日期")
            except ValidationError as error:
                fail("intake_date", error.message)

        # organisation
        org = self.own
        code = _text(cell("org_code"))
        if code:
            found = self.orgs.get(code)
            if found is None:
                fail("org_code", f"未知的组织代码 {code}；请先用 orgs import 导入组织列表")
            elif found.id not in self.allowed:
                fail(
                    "org_code",
                    f"组织 {code}（{found.name}）不属于本工作台的组织 {self.own.code}（{self.own.name}）及其下级",
                )
            else:
                org = found

        # category, source
        category = None
        if _blank(cell("category")):
            fail("category", "纠纷类型不能为空")
        else:
            category = find_category(_text(cell("category")))
            if category is None:
                fail(
                    "category",
                    f"未知的纠纷类型“{_text(cell('category'))}”；应为 15 类之一的名称或代码，如“邻里纠纷”或 02",
                )
        source: CaseSource | None = None
        source_text = _text(cell("source"))
        if not source_text:
            fail("source", "案件来源不能为空")
        else:
            source = _SOURCES.get(source_text) or _SOURCES.get(source_text.lower())
            if source is None:
                fail("source", f"未知的案件来源“{source_text}”；应为 当事人申请、主动调解 或 委托移送")

        # parties
        applicants, respondents = _names(cell("applicants")), _names(cell("respondents"))
        if not applicants and not respondents:
            fail("applicants", "申请人和被申请人不能都为空")
        for key, names in (("applicants", applicants), ("respondents", respondents)):
            for name in names:
                if len(name) > MAX_PARTY_NAME:
                    fail(key, f"当事人姓名（名称）过长（最多 {MAX_PARTY_NAME} 字）：“{name[:20]}…”")

        # mediators
        mediators = _names(cell("mediators"), unique=True)
        for name in mediators:
            if len(name) > MAX_MEDIATOR_NAME:
                fail("mediators", f"调解员姓名过长（最多 {MAX_MEDIATOR_NAME} 字）：“{name[:20]}…”")

        # outcome and agreement
        outcome_text = _text(cell("outcome"))
        outcome = _lookup(_OUTCOMES, outcome_text) if outcome_text else None
        if outcome_text and outcome is None:
            fail("outcome", f"未知的调解结果“{outcome_text}”；应为 成功、不成功 或 终止（尚未结束的留空）")
        agreement_text = _text(cell("agreement"))
        agreement = _lookup(_AGREEMENTS, agreement_text)
        if agreement is None:
            fail("agreement", f"未知的协议形式“{agreement_text}”；应为 书面、口头 或 无")
        kind: OutcomeKind | None = None
        if outcome == "success":
            if agreement == "written":
                kind = OutcomeKind.WRITTEN_AGREEMENT
            elif agreement == "oral":
                kind = OutcomeKind.ORAL_AGREEMENT
            elif agreement == "none":
                fail("agreement", "调解成功的案件须注明协议形式：书面 或 口头")
        elif outcome in ("failed", "terminated"):
            kind = OutcomeKind.FAILED if outcome == "failed" else OutcomeKind.TERMINATED
            if agreement in ("written", "oral"):
                fail("agreement", f"调解结果为“{outcome_text}”的案件不能有{agreement_text}协议")
        elif outcome is None and not outcome_text and agreement in ("written", "oral"):
            fail("agreement", "填写了协议形式，但没有调解结果")

        # amount, persons, group
        amount = 0
        amount_cell = cell("amount")
        if not _blank(amount_cell):
            try:
                if isinstance(amount_cell, bool) or not isinstance(amount_cell, str | int | float):
                    raise ValidationError(f"金额“{_text(amount_cell)}”不是数字")
                amount = yuan_to_fen(amount_cell)
            except ValidationError as error:
                fail("amount", error.message)
        persons = 0
        persons_text = _text(cell("persons")).removesuffix("人").strip()
        if persons_text:
            try:
                persons = int(persons_text)
            except ValueError:
                fail("persons", f"涉及人数“{_text(cell('persons'))}”应为整数")
            else:
                if persons < 0:
                    fail("persons", "涉及人数不能为负数")
        group_text = _text(cell("group")).lower()
        group = group_text in _YES
        if not group and group_text not in _NO:
            fail("group", f"群体性应填“是”或“否”，不是“{_text(cell('group'))}”")

        # closing date
        closing: date | None = None
        if not _blank(cell("closing_date")):
            try:
                closing = check_not_future(_date(cell("closing_date")), today=self.today, what="结案日期")
            except ValidationError as error:
                fail("closing_date", error.message)
            else:
                if intake is not None and closing < intake:
                    fail("closing_date", "结案日期不能早于受理日期")
                if not outcome_text:
                    fail("closing_date", "填写了结案日期，但没有调解结果")

        # performance
        performance: Performance | None = None
        performance_text = _text(cell("performance"))
        if performance_text:
            performance = _PERFORMANCE.get(performance_text) or _PERFORMANCE.get(performance_text.lower())
            if performance is None:
                fail("performance", f"未知的履行情况“{performance_text}”；应为 已履行、部分履行 或 未履行")
            elif outcome != "success":
                fail("performance", "只有调解成功的案件才有履行情况")

        number_text = _text(cell("case_number")) or None

        if len(self.errors) > errors_before or intake is None or category is None or source is None:
            return None
        data = CaseInput(
            intake_date=intake,
            source=source,
            category=category.code,
            parties=[PartyInput(name, PartyRole.APPLICANT, _party_kind(name)) for name in applicants]
            + [PartyInput(name, PartyRole.RESPONDENT, _party_kind(name)) for name in respondents],
            facts=_text(cell("facts")),
            amount_fen=amount,
            persons=persons,
            group_dispute=group,
            notes=_text(cell("notes")),
            number=number_text,
        )
        try:
            clean_case(data, today=self.today)
        except ValidationError as error:
            fail(_FIELD_COLUMNS.get(error.field or "", "applicants"), error.message)
            return None
        key = ledger_key(org.code, intake, category.code, source, applicants, respondents, data.facts, number_text)
        return _Row(number, org, data, key, number_text, kind, performance, closing, mediators)


_FIELD_COLUMNS = {
    "intake_date": "intake_date",
    "category": "category",
    "amount": "amount",
    "persons": "persons",
    "parties": "applicants",
    "name": "applicants",
}


# ---------------------------------------------------------------------------------------------------------------
# Writing


@dataclass(slots=True)
class _Existing:
    keys: set[tuple[uuid.UUID, str]]
    numbers: set[tuple[uuid.UUID, str]]
    seqs: dict[tuple[uuid.UUID, int], int]
    mediators: dict[tuple[uuid.UUID, str], uuid.UUID]


def _existing(session: Session, org_ids: set[uuid.UUID]) -> _Existing:
    keys: set[tuple[uuid.UUID, str]] = set()
    numbers: set[tuple[uuid.UUID, str]] = set()
    seqs: dict[tuple[uuid.UUID, int], int] = {}
    ids = list(org_ids)
    query = sa.select(
        DisputeCase.org_id, DisputeCase.ledger_key, DisputeCase.number, DisputeCase.number_year, DisputeCase.number_seq
    ).where(DisputeCase.org_id.in_(ids))
    for org_id, key, number, year, seq in session.execute(query):
        if key:
            keys.add((org_id, key))
        if number:
            numbers.add((org_id, number))
        if year is not None and seq is not None:
            seqs[(org_id, year)] = max(seqs.get((org_id, year), 0), seq)
    mediators: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
    rows = session.execute(
        sa.select(Mediator.org_id, Mediator.name, Mediator.id)
        .where(Mediator.org_id.in_(ids))
        .order_by(Mediator.created_at, Mediator.id)
    )
    for org_id, name, mediator_id in rows:
        mediators.setdefault((org_id, name), mediator_id)
    return _Existing(keys, numbers, seqs, mediators)


def _check_duplicates(rows: list[_Row], errors: list[LedgerError], checker: _Checker) -> None:
    by_key: dict[tuple[uuid.UUID, str], int] = {}
    by_number: dict[tuple[uuid.UUID, str], int] = {}
    for row in rows:
        first = by_key.setdefault((row.org.id, row.key), row.row)
        if first != row.row:
            errors.append(
                LedgerError(
                    row.row,
                    WHOLE_ROW,
                    f"与第 {first} 行是同一案件（受理日期、组织、类型、来源、当事人和案情都相同）；"
                    "同一案件不应在台账中登记两次，如确是两件纠纷，请在纠纷简要情况或案件编号中区分",
                )
            )
            continue
        if row.number:
            first = by_number.setdefault((row.org.id, row.number), row.row)
            if first != row.row:
                errors.append(
                    LedgerError(row.row, checker.column("case_number"), f"案件编号“{row.number}”与第 {first} 行重复")
                )


def _allocate_numbers(rows: list[_Row], existing: _Existing) -> None:
    """Give rows without a case number the next numbers of their organisation and year, in intake order."""
    seqs = dict(existing.seqs)
    for row in rows:
        if row.number:
            parsed = parse_case_number(row.number)
            if parsed is not None:
                slot = (row.org.id, parsed.year)
                seqs[slot] = max(seqs.get(slot, 0), parsed.seq)
    for row in sorted((r for r in rows if not r.number), key=lambda r: (r.data.intake_date, r.row)):
        year = row.data.intake_date.year
        slot = (row.org.id, year)
        seqs[slot] = seqs.get(slot, 0) + 1
        row.data.number = format_case_number(year, row.org.case_prefix or DEFAULT_PREFIX, seqs[slot])


_ACTIONS = {
    OutcomeKind.WRITTEN_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.ORAL_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.FAILED: CaseAction.FAIL,
    OutcomeKind.TERMINATED: CaseAction.TERMINATE,
}


def _write_row(writer: BulkWriter, row: _Row, existing: _Existing) -> tuple[uuid.UUID, int]:
    """Queue one case with its parties, mediators and outcome; returns its id and the number of mediators created."""
    case, parties = case_values(writer.session, row.org, row.data, ledger_key=row.key, number_checked=True)
    case_id = writer.add(DisputeCase, case)
    for party in parties:
        writer.add(Party, party)
    created = 0
    status = case["status"]
    assert isinstance(status, CaseStatus)
    for position, name in enumerate(row.mediators):
        mediator_id = existing.mediators.get((row.org.id, name))
        if mediator_id is None:
            mediator = clean_mediator(MediatorInput(name=name))
            mediator_id = existing.mediators[(row.org.id, name)] = writer.add(
                Mediator,
                {"org_id": row.org.id, "name": mediator.name, "role": mediator.role, "employment": mediator.employment},
            )
            created += 1
        writer.add(
            CaseMediator,
            {
                "case_id": case_id,
                "mediator_id": mediator_id,
                "role": CaseMediatorRole.PRESIDING if position == 0 else CaseMediatorRole.ASSISTING,
                "assigned_on": row.data.intake_date,
            },
        )
    if row.mediators or row.outcome in (
        OutcomeKind.WRITTEN_AGREEMENT,
        OutcomeKind.ORAL_AGREEMENT,
        OutcomeKind.FAILED,
    ):
        status = transition(status, CaseAction.START)
    if row.outcome is not None:
        status = transition(status, _ACTIONS[row.outcome])
        writer.add(
            Outcome,
            {
                "case_id": case_id,
                "kind": row.outcome,
                "decided_on": row.closing_date or row.data.intake_date,
                "performance": row.performance,
            },
        )
        if row.closing_date is not None:
            status = transition(status, CaseAction.CLOSE)
    case["status"] = status
    case["closing_date"] = row.closing_date if row.outcome is not None else None
    return case_id, created


def _run(
    work: UnitOfWork, desk: Desk, sheet: Sheet, progress: ProgressCallback | None, *, dry_run: bool
) -> LedgerReport:
    session = work.session
    own = desk.own_org(session)
    allowed = subtree_ids(session, own.id)
    orgs = {org.code: org for org in session.scalars(sa.select(OrgUnit))}
    checker = _Checker(sheet, orgs, allowed, own)
    if checker.errors:
        raise LedgerInvalid(checker.errors)
    total = len(sheet.rows)
    if total == 0:
        raise ValidationError("台账中没有案件行（表头下面是空的）")
    if progress:
        progress(0, total)
    rows = [row for row in (checker.check(number, cells) for number, cells in sheet.rows) if row is not None]
    _check_duplicates(rows, checker.errors, checker)
    if checker.errors:
        raise LedgerInvalid(checker.errors)

    existing = _existing(session, allowed)
    fresh = [
        row
        for row in rows
        if (row.org.id, row.key) not in existing.keys
        and not (row.number and (row.org.id, row.number) in existing.numbers)
    ]
    _allocate_numbers(fresh, existing)
    mediators_created = 0
    done = total - len(fresh)
    case_ids: set[uuid.UUID] = set()
    writer = BulkWriter(session)
    for index, row in enumerate(sorted(fresh, key=lambda r: r.row), start=1):
        case_id, created = _write_row(writer, row, existing)
        mediators_created += created
        case_ids.add(case_id)
        if index % FLUSH_EVERY == 0:
            writer.flush()
        if progress and index % PROGRESS_EVERY == 0:
            progress(done + index, total)
    writer.flush()
    if fresh:
        work.changed("dispute_case", "party", "outcome", "case_mediator")
        if mediators_created:
            work.changed("mediator")
        work.case_ids.update(case_ids)
    if progress:
        progress(total, total)
    return LedgerReport(total, len(fresh), total - len(fresh), mediators_created, dry_run)


def import_ledger(
    desk: Desk, path: Path, *, dry_run: bool = False, progress: ProgressCallback | None = None
) -> Result[LedgerReport]:
    """Import a ledger file in one transaction (nothing at all when any row is bad; see the module docstring).

    With ``dry_run`` the same import runs and is rolled back, so the report is exactly what a real import would
    do. ``progress(done, total)`` is called now and then with counts of data rows.
    """
    sheet = read_sheet(path)
    try:
        with desk.write("ledger.import", Permission.IMPORT_LEDGER) as work:
            report = _run(work, desk, sheet, progress, dry_run=dry_run)
            if dry_run:
                raise _DryRun(report)
    except _DryRun as rolled_back:
        return Result(rolled_back.report, Changes())
    return Result(report, work.changes())
