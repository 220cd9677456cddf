"""Ledger (台账) import: a township's or village's Excel/CSV case list becomes cases, all or nothing, and a
re-imported ledger corrects the cases it already brought, field by field, only when asked to.

The file (``reading``, ``csvfile``, ``xlsx``, ``filetype``, ``limits``, ``columns``)
    ``.xlsx`` (every visible sheet with a ledger header, or the sheet chosen; hidden sheets and sheets without a
    header are named in the report) or a UTF-8 ``.csv`` (BOM optional; comma- or tab-separated; quotes must
    close and every row be as wide as the header). The header row is the first row that names at least two
    known columns among the first ten (so a title row above the header, as many ledgers have, is allowed); row
    numbers in messages are the spreadsheet's own, 1-based, with the sheet's name in a workbook. Headers are the
    Chinese names of DESIGN.md or their English names, in any order, with surrounding whitespace and a trailing
    unit in brackets ("协议金额（元）", "受理日期 (intake_date)") ignored. A column named 序号 is ignored; any other
    unknown column is an error naming it, and so is a filled cell under no header. Blank rows are skipped. The
    file's size, rows, columns, cells and (for a workbook) its archive are checked against ``limits`` before
    anything is loaded; a file that is not what its extension says is refused as what it is.

Checking (``checking``)
    Every row is checked before anything is written and every problem is reported (row, column, reason): the
    cells by the ledger (dates from 1990 to today, numbers within their columns, formulas saved without a result
    and Excel error values refused), the case by ``clean_case``, once. When any row is bad, :class:`LedgerInvalid`
    is raised and nothing is written. The import runs in one transaction.

Re-import (``matching``, ``changes``)
    Each row gets a ledger key: the SHA-256 of its identifying content, normalised (organisation, intake date,
    category, source, applicants and respondents (sorted), facts, and the case number if the row gives one).
    A row is the case on the desk with its case number, or (without one) with its ledger key or its intake date,
    parties and category (``matching`` has the rules); the same case listed twice in one file is an error naming
    both rows. A matched row that agrees with its case is "already present", so importing the same ledger twice
    adds nothing; one that differs is a change, reported field by field (``LedgerReport.changed``). Without
    ``update`` a ledger with changes imports nothing (:class:`LedgerChanged`, with the report); with it, the
    changes are made through the case services in the same transaction, unless one of them cannot be
    (``CaseChange.blocked``), and then nothing is.

What a new row becomes (``writing``)
    A case registered and accepted (numbered in intake order when the ledger gives no number), its parties, its
    mediators (found by name in the case's organisation, or added to its roster), and, following the case
    lifecycle: no outcome → accepted (mediating when mediators are named); 成功 + 书面/口头 → agreement reached
    (closed when a closing date is given); 不成功 → failed; 终止 → terminated (each closed with a closing date).
    The outcome's date is the closing date, or the intake date when the ledger gives none.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.services.desk import Changes, Desk, Result, UnitOfWork
from mediation_desk.services.ledger.cells import CellValue
from mediation_desk.services.ledger.changes import Planned, compare
from mediation_desk.services.ledger.checking import KEY_VERSION, LedgerRow, RowChecker, ledger_key
from mediation_desk.services.ledger.columns import COLUMNS, Column, HeaderMap, map_headers, match_header
from mediation_desk.services.ledger.matching import load_details, load_on_desk, match_rows
from mediation_desk.services.ledger.reading import Ledger, Sheet, read_ledger, read_sheet
from mediation_desk.services.ledger.report import (
    WHOLE_ROW,
    CaseChange,
    FieldChange,
    LedgerChanged,
    LedgerError,
    LedgerInvalid,
    LedgerReport,
    SkippedSheet,
)
from mediation_desk.services.ledger.writing import (
    Existing,
    ProgressCallback,
    allocate_numbers,
    apply_changes,
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
    "CaseChange",
    "CellValue",
    "Column",
    "FieldChange",
    "Ledger",
    "LedgerChanged",
    "LedgerError",
    "LedgerInvalid",
    "LedgerReport",
    "ProgressCallback",
    "Sheet",
    "SkippedSheet",
    "import_ledger",
    "ledger_key",
    "match_header",
    "read_ledger",
    "read_sheet",
]


def import_ledger(
    desk: Desk,
    path: Path,
    *,
    dry_run: bool = False,
    update: bool = False,
    sheet: str | None = None,
    progress: ProgressCallback | None = None,
) -> Result[LedgerReport]:
    """Import a ledger file in one transaction (nothing at all when any row is bad; see the module docstring).

    ``sheet`` names the workbook's sheet to read (every visible ledger sheet by default). ``update`` makes the
    changes a re-imported ledger gives to cases on the desk; without it such changes raise ``LedgerChanged``
    and nothing is imported. With ``dry_run`` the same import runs and is rolled back
    (``Desk.write(dry_run=True)``), so the report is exactly what a real import would do, and nothing is reported
    changed. ``progress(done, total)`` is called now and then with counts of data rows.
    """
    ledger = read_ledger(path, sheet)
    if update:
        check(desk.actor.role, Permission.EDIT_CASE)
    with desk.write("ledger.import", Permission.IMPORT_LEDGER, dry_run=dry_run) as work:
        report = _import(work, desk, ledger, progress, dry_run=dry_run, update=update)
    return Result(report, Changes() if dry_run else work.changes())


def _import(
    work: UnitOfWork,
    desk: Desk,
    ledger: Ledger,
    progress: ProgressCallback | None,
    *,
    dry_run: bool,
    update: bool,
) -> LedgerReport:
    session = work.session
    own = desk.own_org(session)
    allowed = subtree_ids(session, own.id)
    headers = _headers(ledger)
    total = sum(len(found.rows) for found in ledger.sheets)
    if total == 0:
        raise ValidationError("台账中没有案件行（表头下面是空的）")
    if progress:
        progress(0, total)
    orgs = {org.code: org for org in session.scalars(sa.select(OrgUnit))}
    rows = _checked_rows(ledger, headers, orgs, allowed, own)

    on_desk = load_on_desk(session, allowed)
    matching = match_rows(rows, on_desk, headers)
    if matching.errors:
        raise LedgerInvalid(matching.errors, [found.name for found in ledger.sheets])
    load_details(session, [case for _row, case in matching.matched])
    planned = [compare(row, case, headers[row.sheet], on_desk) for row, case in matching.matched]
    changed = [plan for plan in planned if plan.change.fields]
    existing = load_existing(session, allowed, on_desk.seqs)
    fresh = matching.fresh
    report = _report(ledger, total, fresh, planned, changed, existing, dry_run=dry_run, update=update)
    if changed and (not update or any(plan.change.blocked for plan in changed)):
        raise LedgerChanged(report)
    allocate_numbers(fresh, existing)
    done = total - len(fresh)
    written = write_cases(session, fresh, existing, progress=progress, done=done, total=total)
    apply_changes(session, changed, existing, written, date.today())
    if fresh or changed:
        work.changed("dispute_case", "party", "outcome", "case_mediator")
        if written.mediators_created:
            work.changed("mediator")
        work.case_ids.update(written.case_ids)
    if progress:
        progress(total, total)
    return report


def _headers(ledger: Ledger) -> dict[str, HeaderMap]:
    """Each sheet's header mapped; ``LedgerInvalid`` with every header's problems (and the reading problems)."""
    headers = {found.name: map_headers(found.header_row, found.headers, found.name) for found in ledger.sheets}
    errors = [error for header in headers.values() for error in header.errors]
    if errors:
        reading = [problem for found in ledger.sheets for problem in found.problems]
        raise LedgerInvalid(errors + reading, [found.name for found in ledger.sheets])
    return headers


def _checked_rows(
    ledger: Ledger, headers: dict[str, HeaderMap], orgs: dict[str, OrgUnit], allowed: set[uuid.UUID], own: OrgUnit
) -> list[LedgerRow]:
    """Every row of every sheet checked, then the file for cases listed twice; ``LedgerInvalid`` with every
    problem found. The sheets' rows of cells are let go as they are checked (``found.rows`` is empty after), so
    that the cells and the checked rows are never held both at once."""
    today = date.today()
    rows: list[LedgerRow] = []
    errors: list[LedgerError] = []
    for found in ledger.sheets:
        checker = RowChecker(headers[found.name], orgs, allowed, own, today, sheet=found.name, epoch=found.epoch)
        pending = found.rows
        pending.reverse()
        while pending:
            number, cells = pending.pop()
            if number not in found.refused:
                checked = checker.check(number, cells)
                if checked is not None:
                    rows.append(checked)
        errors.extend(found.problems)
        errors.extend(checker.errors)
    errors.extend(check_duplicates(rows, headers))
    if errors:
        raise LedgerInvalid(errors, [found.name for found in ledger.sheets])
    return rows


def _report(
    ledger: Ledger,
    total: int,
    fresh: list[LedgerRow],
    planned: list[Planned],
    changed: list[Planned],
    existing: Existing,
    *,
    dry_run: bool,
    update: bool,
) -> LedgerReport:
    """What the import does (or, refused for its changes, would do)."""
    named = {(row.org.id, name) for row in fresh for name in row.mediators}
    named |= {(plan.row.org.id, name) for plan in changed for name in plan.mediators or ()}
    return LedgerReport(
        rows=total,
        created=len(fresh),
        already_present=len(planned) - len(changed),
        mediators_created=len(named - existing.mediators.keys()),
        dry_run=dry_run,
        changed=tuple(plan.change for plan in changed),
        updated=len(changed) if update and not any(plan.change.blocked for plan in changed) else 0,
        sheets=tuple(found.name for found in ledger.sheets if found.name),
        skipped=tuple(ledger.skipped),
    )
