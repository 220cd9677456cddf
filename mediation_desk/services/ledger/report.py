"""What an import tells its caller: the report of a ledger that was imported, or every problem of one that was not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mediation_desk.domain.errors import DomainError

WHOLE_ROW = "整行"


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
