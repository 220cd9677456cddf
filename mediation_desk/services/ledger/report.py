"""What an import tells its caller: the report of a ledger that was imported (or would be), the changes a
re-imported ledger makes to cases already on the desk, or every problem of a ledger that was not imported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mediation_desk.domain.errors import DomainError

WHOLE_ROW = "整行"


def where(row: int, sheet: str = "") -> str:
    """A row as a message names it: "第 3 行", or "工作表“二月”第 3 行" in a workbook read sheet by sheet."""
    return f"工作表“{sheet}”第 {row} 行" if sheet else f"第 {row} 行"


@dataclass(frozen=True, slots=True)
class LedgerError:
    """One problem: 1-based spreadsheet row (the header is row 1 unless a title row is above it), the column's
    header as written in the file (or its canonical Chinese name), the reason in Chinese, and the sheet's name
    for a workbook (``""`` for a CSV file)."""

    row: int
    column: str
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        return f"{where(self.row, self.sheet)}“{self.column}”：{self.reason}"


@dataclass(frozen=True, slots=True)
class SkippedSheet:
    """A sheet of the workbook that was not read, and why (hidden, no ledger header, not the one chosen)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}（{self.reason}）"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One column of a case that the ledger gives differently: its header, the desk's value and the ledger's."""

    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.column}：{self.old or '（空）'} → {self.new or '（空）'}"


@dataclass(frozen=True, slots=True)
class CaseChange:
    """A ledger row that matches a case on the desk and differs from it, field by field.

    ``blocked`` says why the import cannot apply the change (the case's outcome has documents on file, its status
    does not allow it ...); ``""`` when ``update`` applies it.
    """

    row: int
    sheet: str
    number: str
    fields: tuple[FieldChange, ...]
    blocked: str = ""

    def lines(self) -> list[str]:
        """The change as lines of text: the row and the case, then one line per field."""
        head = f"{where(self.row, self.sheet)}：案件 {self.number}"
        if self.blocked:
            head += f"（不能通过台账修改：{self.blocked}）"
        return [head, *(f"  {change}" for change in self.fields)]


@dataclass(frozen=True, slots=True)
class LedgerReport:
    rows: int  # data rows read (blank rows not counted)
    created: int
    already_present: int  # rows that match a case on the desk and agree with it
    mediators_created: int
    dry_run: bool
    changed: tuple[CaseChange, ...] = ()  # rows that match a case on the desk and differ from it
    updated: int = 0  # of ``changed``, the cases the import changed (``update``)
    sheets: tuple[str, ...] = ()  # the workbook's sheets that were read (none for a CSV file)
    skipped: tuple[SkippedSheet, ...] = ()  # the workbook's sheets that were not


class LedgerInvalid(DomainError):
    """The ledger has bad rows (or a bad header); nothing was imported. ``errors`` lists every problem, in the
    order of the sheets (``sheets``, or as they first occur) and of the rows within each."""

    def __init__(self, errors: Sequence[LedgerError], sheets: Sequence[str] = ()) -> None:
        order = {name: index for index, name in enumerate(sheets)}
        for error in errors:
            order.setdefault(error.sheet, len(order))
        self.errors: list[LedgerError] = sorted(errors, key=lambda error: (order[error.sheet], error.row))
        super().__init__(f"台账有 {len(self.errors)} 处错误，未导入任何案件")


class LedgerChanged(DomainError):
    """The ledger matches cases on the desk that it gives differently, and the import was not asked to change
    them (``update``): nothing was imported. ``report`` is what the import would have done, changes included."""

    def __init__(self, report: LedgerReport) -> None:
        self.report = report
        self.blocked = sum(1 for change in report.changed if change.blocked)
        message = f"台账中有 {len(report.changed)} 件案件与工作台上的记录不同，未导入任何内容"
        if self.blocked:
            message += f"；其中 {self.blocked} 件不能通过台账修改"
        super().__init__(message)
