"""Checking one ledger row: its cells become a validated case, or problems naming the row and column.

The work is split once, between two owners:
- the cells: each column's cell is read as what it holds (a date, a category, names, an amount ...), required
  cells must be filled, and the rules only a ledger has (the organisation within this desk's subtree, outcome and
  agreement form agreeing, a closing date after the intake and only with an outcome, performance only after
  success) are checked here;
- the case: the rules every case meets, however it is entered (intake not in the future, counts not negative,
  party names within bounds ...), are ``clean_case``'s, called exactly once per row.

The row's case number is parsed here, once, and carried with the row to the numbering.

The ledger's own bounds are checked here too (``limits``): dates from ``EARLIEST_DATE`` (an Excel serial number
counted in the workbook's date system, 1900 or 1904), persons, amounts and a case number's year, sequence and
length within their columns' types and business sense, so that no value reaches the database that it cannot
hold. A row with a cell the file holds no value for (``cells.Unreadable``) is refused at that cell alone.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mediation_desk.domain.codes import CaseSource, Category, OutcomeKind, PartyRole, Performance, find_category
from mediation_desk.domain.dates import check_not_future, check_order
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.money import fen_to_yuan_text, yuan_to_fen
from mediation_desk.domain.numbering import CaseNumber, parse_case_number
from mediation_desk.domain.text import clean_line, first_refused
from mediation_desk.services.ledger import cells
from mediation_desk.services.ledger.cells import CellValue, Unreadable
from mediation_desk.services.ledger.columns import HeaderMap
from mediation_desk.services.ledger.limits import (
    EARLIEST_DATE,
    MAX_AMOUNT_FEN,
    MAX_NUMBER_CHARS,
    MAX_NUMBER_SEQ,
    MAX_PERSONS,
)
from mediation_desk.services.ledger.report import WHOLE_ROW, LedgerError
from mediation_desk.store.models import OrgUnit

KEY_VERSION = "ledger-v1"
MAX_MEDIATOR_NAME = 50
MAX_PARTY_NAME = 100  # the limit ``clean_party`` enforces, named in the ledger's fuller message


@dataclass(slots=True)
class LedgerRow:
    """A checked row: the case as ``clean_case`` left it, and what the ledger says happened to it."""

    row: int
    org: OrgUnit
    data: CaseInput
    key: str
    number: str | None  # as the ledger gives it; ``None`` when the import allocates one
    parsed_number: CaseNumber | None  # the number in its usual form (given or allocated), parsed once
    outcome: OutcomeKind | None
    performance: Performance | None
    closing_date: date | None
    mediators: list[str] = field(default_factory=list)
    sheet: str = ""  # the workbook's sheet the row is on ("" for a CSV file)
    filled: frozenset[str] = frozenset()  # the columns whose cells the row fills (blank ones say nothing)


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
        "、".join(sorted(normalised(name) for name in applicants)),
        "、".join(sorted(normalised(name) for name in respondents)),
        normalised(facts),
        normalised(number or ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


_SPACES = re.compile(r"\s+")


def normalised(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


# A row's problems are listed in this order of their columns, whichever of the two owners found them.
_ORDER = {
    key: rank
    for rank, key in enumerate(
        (
            "intake_date",
            "org_code",
            "category",
            "source",
            "applicants",
            "respondents",
            "mediators",
            "outcome",
            "agreement",
            "amount",
            "persons",
            "group",
            "closing_date",
            "performance",
        ),
        start=1,
    )
}
_FIELD_COLUMNS = {
    "intake_date": "intake_date",
    "category": "category",
    "amount": "amount",
    "persons": "persons",
    "parties": "applicants",
    "facts": "facts",
    "notes": "notes",
    "number": "case_number",
}


class _Cells:
    """One row's cells by column key, and the problems found in them."""

    __slots__ = (
        "cells",
        "epoch",
        "header",
        "number",
        "parsed",
        "positions",
        "problems",
        "sheet",
        "today",
        "unreadable",
    )

    def __init__(
        self, header: HeaderMap, number: int, values: list[CellValue], sheet: str, epoch: datetime | None, today: date
    ) -> None:
        self.header = header
        self.positions = header.positions
        self.number = number
        self.cells = values
        self.sheet = sheet
        self.epoch = epoch
        self.today = today
        self.parsed: CaseNumber | None = None
        self.problems: list[tuple[int, str, str]] = []
        self.unreadable = False
        unlabelled = set(header.unlabelled(values))
        for index, value in enumerate(values):
            if isinstance(value, Unreadable):  # reported alone: its value is not known, and neither is its header's
                self.unreadable = True
                label = header.headers[index] if index < len(header.headers) and header.headers[index] else ""
                self.problems.append((index + 1, label or f"第 {index + 1} 列", value.reason))
            elif index in unlabelled:
                self.problems.append((0, f"第 {index + 1} 列", "该单元格有内容，但所在列没有表头"))

    def __getitem__(self, key: str) -> CellValue:
        index = self.positions.get(key)
        return None if index is None or index >= len(self.cells) else self.cells[index]

    def text(self, key: str) -> str:
        return cells.text(self[key])

    def filled(self) -> frozenset[str]:
        return frozenset(key for key in self.positions if not cells.blank(self[key]))

    def date(self, key: str, what: str) -> date:
        return cells.cell_date(self[key], epoch=self.epoch, today=self.today, what=what)

    def fail(self, key: str, reason: str) -> None:
        label = WHOLE_ROW if key == WHOLE_ROW else self.header.column(key)
        self.problems.append((_ORDER.get(key, len(_ORDER) + 1), label, reason))

    def errors(self) -> list[LedgerError]:
        ordered = sorted(self.problems, key=lambda problem: problem[0])
        return [LedgerError(self.number, column, reason, self.sheet) for _rank, column, reason in ordered]


# ---------------------------------------------------------------------------------------------------------------
# The cells, column by column


def _intake(row: _Cells) -> date | None:
    if cells.blank(row["intake_date"]):
        row.fail("intake_date", "受理日期不能为空")
        return None
    try:
        return row.date("intake_date", "受理日期")
    except ValidationError as error:
        row.fail("intake_date", error.message)
        return None


def _category(row: _Cells) -> Category | None:
    if cells.blank(row["category"]):
        row.fail("category", "纠纷类型不能为空")
        return None
    written = row.text("category")
    category = find_category(written)
    if category is None:
        row.fail("category", f"未知的纠纷类型“{written}”；应为 15 类之一的名称或代码，如“邻里纠纷”或 02")
    return category


def _source(row: _Cells) -> CaseSource | None:
    written = row.text("source")
    if not written:
        row.fail("source", "案件来源不能为空")
        return None
    source = cells.SOURCES.get(written) or cells.SOURCES.get(written.lower())
    if source is None:
        row.fail("source", f"未知的案件来源“{written}”；应为 当事人申请、主动调解 或 委托移送")
    return source


def _parties(row: _Cells) -> list[PartyInput]:
    applicants, respondents = cells.names(row["applicants"]), cells.names(row["respondents"])
    if not applicants and not respondents:
        row.fail("applicants", "申请人和被申请人不能都为空")
    return [PartyInput(name, PartyRole.APPLICANT, cells.party_kind(name)) for name in applicants] + [
        PartyInput(name, PartyRole.RESPONDENT, cells.party_kind(name)) for name in respondents
    ]


def _mediators(row: _Cells) -> list[str]:
    mediators = cells.names(row["mediators"], unique=True)
    for name in mediators:
        if len(name) > MAX_MEDIATOR_NAME:
            row.fail("mediators", f"调解员姓名过长（最多 {MAX_MEDIATOR_NAME} 字）：“{name[:20]}…”")
            continue
        try:
            clean_line(name, label="调解员姓名", field="mediators")
        except ValidationError as error:
            row.fail("mediators", error.message)
    return mediators


def _outcome(row: _Cells) -> tuple[str | None, OutcomeKind | None]:
    """The outcome (``success``, ``failed``, ``terminated`` or ``None``) and its kind, given the agreement form."""
    written = row.text("outcome")
    outcome = cells.lookup(cells.OUTCOMES, written) if written else None
    if written and outcome is None:
        row.fail("outcome", f"未知的调解结果“{written}”；应为 成功、不成功 或 终止（尚未结束的留空）")
    form_written = row.text("agreement")
    form = cells.lookup(cells.AGREEMENTS, form_written)
    if form is None:
        row.fail("agreement", f"未知的协议形式“{form_written}”；应为 书面、口头 或 无")
    if outcome == "success":
        if form == "none":
            row.fail("agreement", "调解成功的案件须注明协议形式：书面 或 口头")
        kinds = {"written": OutcomeKind.WRITTEN_AGREEMENT, "oral": OutcomeKind.ORAL_AGREEMENT}
        return outcome, kinds.get(form or "")
    if outcome in ("failed", "terminated"):
        if form in ("written", "oral"):
            row.fail("agreement", f"调解结果为“{written}”的案件不能有{form_written}协议")
        return outcome, OutcomeKind.FAILED if outcome == "failed" else OutcomeKind.TERMINATED
    if not written and form in ("written", "oral"):
        row.fail("agreement", "填写了协议形式，但没有调解结果")
    return outcome, None


def _amount(row: _Cells) -> int:
    value = row["amount"]
    if cells.blank(value):
        return 0
    try:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError(f"金额“{cells.text(value)}”不是数字")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(f"金额“{cells.text(value)}”不是数字")
        if isinstance(value, str) and len(value) > _LONGEST_AMOUNT:
            raise ValidationError("金额过大")
        fen = yuan_to_fen(value)
    except (ValidationError, ArithmeticError) as error:
        row.fail("amount", error.message if isinstance(error, ValidationError) else "金额不是有效的数字")
        return 0
    if fen > MAX_AMOUNT_FEN:
        row.fail(
            "amount",
            f"金额 {fen_to_yuan_text(fen)} 元超过上限 {MAX_AMOUNT_FEN // 100 // 10**8} 亿元，可能填错了（单位或位数）",
        )
        return 0
    return fen


_LONGEST_AMOUNT = 40  # characters: "1,000,000,000,000.00 元" and then some
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_SIGNED_NUMBER = re.compile(r"-[0-9]+")


def _persons(row: _Cells) -> int:
    written = unicodedata.normalize("NFKC", row.text("persons")).removesuffix("人").strip()
    if not written:
        return 0
    if _SIGNED_NUMBER.fullmatch(written) and len(written) <= _LONGEST_COUNT:
        return int(written)  # negative: the case's rules refuse it with their message
    if not _WHOLE_NUMBER.fullmatch(written):
        row.fail("persons", f"涉及人数“{row.text('persons')}”应为整数")
        return 0
    if len(written) > _LONGEST_COUNT or int(written) > MAX_PERSONS:
        row.fail("persons", f"涉及人数 {written[:20]} 超过上限 {MAX_PERSONS} 人，可能填错了")
        return 0
    return int(written)


_LONGEST_COUNT = 12


def _group(row: _Cells) -> bool:
    written = row.text("group").lower()
    if written not in cells.YES and written not in cells.NO:
        row.fail("group", f"群体性应填“是”或“否”，不是“{row.text('group')}”")
    return written in cells.YES


def _closing(row: _Cells, today: date) -> date | None:
    if cells.blank(row["closing_date"]):
        return None
    try:
        return check_not_future(row.date("closing_date", "结案日期"), today=today, what="结案日期")
    except ValidationError as error:
        row.fail("closing_date", error.message)
        return None


def _performance(row: _Cells, outcome: str | None) -> Performance | None:
    written = row.text("performance")
    if not written:
        return None
    performance = cells.PERFORMANCE.get(written) or cells.PERFORMANCE.get(written.lower())
    if performance is None:
        row.fail("performance", f"未知的履行情况“{written}”；应为 已履行、部分履行 或 未履行")
    elif outcome != "success":
        row.fail("performance", "只有调解成功的案件才有履行情况")
    return performance


# ---------------------------------------------------------------------------------------------------------------
# The case


def _clean(row: _Cells, data: CaseInput, today: date) -> str | None:
    """``clean_case``, the one check of the case's own rules; the field it rejected, reported at its column."""
    try:
        clean_case(data, today=today)
    except ValidationError as error:
        row.fail(*_problem(error, data.parties))
        return error.field or ""
    return None


def _problem(error: ValidationError, parties: Sequence[PartyInput]) -> tuple[str, str]:
    """The column and the reason for a rule ``clean_case`` found broken; a party's name names its column."""
    if error.field == "name":
        for party in parties:
            key = "applicants" if party.role is PartyRole.APPLICANT else "respondents"
            if len(party.name) > MAX_PARTY_NAME:
                return key, f"当事人姓名（名称）过长（最多 {MAX_PARTY_NAME} 字）：“{party.name[:20]}…”"
            if first_refused(party.name) is not None:
                return key, error.message
    return _FIELD_COLUMNS.get(error.field or "", WHOLE_ROW), error.message


def _number(row: _Cells) -> str | None:
    """The case number as the ledger gives it, within its column and, in the usual form, with a plausible year
    and sequence; ``None`` when the row gives none (or a number that cannot be stored)."""
    written = row.text("case_number")
    if not written:
        return None
    if len(written) > MAX_NUMBER_CHARS:
        row.fail("case_number", f"案件编号过长（最多 {MAX_NUMBER_CHARS} 个字符）")
        return None
    parsed = row.parsed = parse_case_number(written)
    if parsed is None:
        return written
    if not EARLIEST_DATE.year <= parsed.year <= row.today.year:
        row.fail(
            "case_number", f"案件编号“{written}”的年份 {parsed.year} 不在 {EARLIEST_DATE.year}–{row.today.year} 之间"
        )
    elif not 1 <= parsed.seq <= MAX_NUMBER_SEQ:
        row.fail("case_number", f"案件编号“{written}”的序号 {parsed.seq} 不在 1–{MAX_NUMBER_SEQ} 之间")
    return written


def _case_input(row: _Cells) -> CaseInput | None:
    """The case as the cells give it; ``None`` when they cannot make one (no date, category, source or party)."""
    intake, category, source, parties = _intake(row), _category(row), _source(row), _parties(row)
    amount, persons, group = _amount(row), _persons(row), _group(row)
    if intake is None or category is None or source is None or not parties:
        return None
    return CaseInput(
        intake_date=intake,
        source=source,
        category=category.code,
        parties=parties,
        facts=row.text("facts"),
        amount_fen=amount,
        persons=persons,
        group_dispute=group,
        notes=row.text("notes"),
        number=_number(row),
    )


def _closing_order(row: _Cells, data: CaseInput | None, rejected: str | None, closing: date | None) -> None:
    """A closing date after the intake (once the intake passed the case's rules), and only with an outcome."""
    if closing is None:
        return
    if data is not None and rejected != "intake_date":
        try:
            check_order(data.intake_date, closing)
        except ValidationError as error:
            row.fail("closing_date", error.message)
    if not row.text("outcome"):
        row.fail("closing_date", "填写了结案日期，但没有调解结果")


def _row_key(org: OrgUnit, data: CaseInput) -> str:
    applicants = [party.name for party in data.parties if party.role is PartyRole.APPLICANT]
    respondents = [party.name for party in data.parties if party.role is PartyRole.RESPONDENT]
    return ledger_key(
        org.code, data.intake_date, data.category, data.source, applicants, respondents, data.facts, data.number
    )


class RowChecker:
    """Turns rows of cells into checked ``LedgerRow`` values, collecting every problem in ``errors``.

    A row whose cells cannot make a case has its cell problems reported; the case's own rules are checked as soon
    as its cells make one. One checker reads one sheet: ``sheet`` names it in the problems, ``epoch`` is its
    workbook's date system (``None``: 1900, as for a CSV file).
    """

    def __init__(
        self,
        header: HeaderMap,
        orgs: dict[str, OrgUnit],
        allowed: set[uuid.UUID],
        own: OrgUnit,
        today: date,
        *,
        sheet: str = "",
        epoch: datetime | None = None,
    ) -> None:
        self.header = header
        self.orgs = orgs
        self.allowed = allowed
        self.own = own
        self.today = today
        self.sheet = sheet
        self.epoch = epoch
        self.errors: list[LedgerError] = []
        self._filled: dict[frozenset[str], frozenset[str]] = {}  # rows fill the same columns: one set for them all

    def check(self, number: int, values: list[CellValue]) -> LedgerRow | None:
        """The checked row, or ``None`` with its problems added to ``errors``."""
        row = _Cells(self.header, number, values, self.sheet, self.epoch, self.today)
        if row.unreadable:
            self.errors.extend(row.errors())
            return None
        org = self._org(row)
        data = _case_input(row)
        mediators = _mediators(row)
        outcome, kind = _outcome(row)
        closing = _closing(row, self.today)
        performance = _performance(row, outcome)
        rejected = _clean(row, data, self.today) if data is not None else None
        _closing_order(row, data, rejected, closing)
        if row.problems or data is None:
            self.errors.extend(row.errors())
            return None
        key = _row_key(org, data)
        filled = row.filled()
        return LedgerRow(
            number,
            org,
            data,
            key,
            data.number,
            row.parsed,
            kind,
            performance,
            closing,
            mediators,
            self.sheet,
            self._filled.setdefault(filled, filled),
        )

    def _org(self, row: _Cells) -> OrgUnit:
        code = row.text("org_code")
        if not code:
            return self.own
        found = self.orgs.get(code)
        if found is None:
            row.fail("org_code", f"未知的组织代码 {code}；请先用 orgs import 导入组织列表")
        elif found.id not in self.allowed:
            row.fail(
                "org_code",
                f"组织 {code}（{found.name}）不属于本工作台的组织 {self.own.code}（{self.own.name}）及其下级",
            )
        else:
            return found
        return self.own
