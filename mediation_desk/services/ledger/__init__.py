"""Ledger (台账) import: a township's or village's Excel/CSV case list becomes cases, all or nothing.

The file (``reading``, ``columns``)
    ``.xlsx`` (the first worksheet) or a UTF-8 ``.csv`` (BOM optional; comma- or tab-separated). The header row is
    the first row that names at least two known columns among the first ten (so a title row above the header, as
    many ledgers have, is allowed); row numbers in messages are the spreadsheet's own, 1-based. Headers are the
    Chinese names of DESIGN.md or their English names, in any order, with surrounding whitespace and a trailing
    unit in brackets ("协议金额（元）", "受理日期 (intake_date)") ignored. A column named 序号 is ignored; any other
    unknown column is an error naming it, and so is a filled cell under no header. Blank rows are skipped.

Checking (``checking``)
    Every row is checked before anything is written and every problem is reported (row, column, reason): the
    cells by the ledger, the case by ``clean_case``, once. When any row is bad, :class:`LedgerInvalid` is raised
    and nothing is written. The import runs in one transaction.

Idempotence (``writing``)
    Each row gets a ledger key: the SHA-256 of its identifying content, normalised (organisation, intake date,
    category, source, applicants and respondents (sorted), facts, and the case number if the row gives one).
    A row whose key, or whose case number, is already on file for its organisation is counted as already present
    and left alone, so importing the same ledger twice adds nothing the second time. The same case listed twice in
    one file (same key, or same case number in the same organisation) is an error naming both rows: a ledger
    should not list one case twice, and guessing which of the two is right would be worse.

What a row becomes (``writing``)
    A case registered and accepted (numbered in intake order when the ledger gives no number), its parties, its
    mediators (found by name in the case's organisation, or added to its roster), and, following the case
    lifecycle: no outcome → accepted (mediating when mediators are named); 成功 + 书面/口头 → agreement reached
    (closed when a closing date is given); 不成功 → failed; 终止 → terminated (each closed with a closing date).
    The outcome's date is the closing date, or the intake date when the ledger gives none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Changes, Desk, Result, UnitOfWork
from mediation_desk.services.ledger.cells import CellValue
from mediation_desk.services.ledger.checking import KEY_VERSION, LedgerRow, RowChecker, ledger_key
from mediation_desk.services.ledger.columns import COLUMNS, Column, map_headers, match_header
from mediation_desk.services.ledger.reading import Sheet, read_sheet
from mediation_desk.services.ledger.report import WHOLE_ROW, LedgerError, LedgerInvalid, LedgerReport
from mediation_desk.services.ledger.writing import (
    ProgressCallback,
    allocate_numbers,
    check_duplicates,
    load_existing,
    write_cases,
)
from mediation_desk.services.orgs import subtree_ids
from mediation_desk.store.models import OrgUnit

__all__ = [
    "COLUMNS",
    "KEY_VERSION",
    "WHOLE_ROW",
    "CellValue",
    "Column",
    "LedgerError",
    "LedgerInvalid",
    "LedgerReport",
    "ProgressCallback",
    "Sheet",
    "import_ledger",
    "ledger_key",
    "match_header",
    "read_sheet",
]


def import_ledger(
    desk: Desk, path: Path, *, dry_run: bool = False, progress: ProgressCallback | None = None
) -> Result[LedgerReport]:
    """Import a ledger file in one transaction (nothing at all when any row is bad; see the module docstring).

    With ``dry_run`` the same import runs and is rolled back (``Desk.write(dry_run=True)``), so the report is
    exactly what a real import would do, and nothing is reported changed. ``progress(done, total)`` is called now
    and then with counts of data rows.
    """
    sheet = read_sheet(path)
    with desk.write("ledger.import", Permission.IMPORT_LEDGER, dry_run=dry_run) as work:
        report = _import(work, desk, sheet, progress, dry_run=dry_run)
    return Result(report, Changes() if dry_run else work.changes())


def _import(
    work: UnitOfWork, desk: Desk, sheet: Sheet, progress: ProgressCallback | None, *, dry_run: bool
) -> LedgerReport:
    session = work.session
    own = desk.own_org(session)
    allowed = subtree_ids(session, own.id)
    header = map_headers(sheet.header_row, sheet.headers)
    if header.errors:
        raise LedgerInvalid(header.errors)
    total = len(sheet.rows)
    if total == 0:
        raise ValidationError("台账中没有案件行（表头下面是空的）")
    if progress:
        progress(0, total)
    orgs = {org.code: org for org in session.scalars(sa.select(OrgUnit))}
    rows = _checked_rows(sheet, RowChecker(header, orgs, allowed, own, date.today()))

    existing = load_existing(session, allowed)
    fresh = [row for row in rows if not existing.holds(row)]
    allocate_numbers(fresh, existing)
    written = write_cases(session, fresh, existing, progress=progress, done=total - len(fresh), total=total)
    if fresh:
        work.changed("dispute_case", "party", "outcome", "case_mediator")
        if written.mediators_created:
            work.changed("mediator")
        work.case_ids.update(written.case_ids)
    if progress:
        progress(total, total)
    return LedgerReport(total, len(fresh), total - len(fresh), written.mediators_created, dry_run)


def _checked_rows(sheet: Sheet, checker: RowChecker) -> list[LedgerRow]:
    """Every row checked, then the file for cases listed twice; ``LedgerInvalid`` with every problem found."""
    rows = [row for row in (checker.check(number, cells) for number, cells in sheet.rows) if row is not None]
    errors = checker.errors + check_duplicates(rows, checker.header)
    if errors:
        raise LedgerInvalid(errors)
    return rows
