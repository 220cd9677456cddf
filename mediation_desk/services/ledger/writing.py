"""Writing checked rows: the same case listed twice, case numbers for rows without one, the status each new case
reaches, the inserts through the store's bulk writer, and the changes to cases already on the desk through the
case services (``cases.editing``, ORM writes that the revision log records)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseMediatorRole, OutcomeKind
from mediation_desk.domain.lifecycle import (
    OUTCOME_ACTIONS,
    CaseAction,
    CaseStatus,
    allowed_actions,
    status_after_outcome,
    transition,
)
from mediation_desk.domain.numbering import DEFAULT_PREFIX, CaseNumber
from mediation_desk.services.cases import apply_edit, case_values
from mediation_desk.services.ledger.changes import Planned
from mediation_desk.services.ledger.checking import LedgerRow
from mediation_desk.services.ledger.columns import HeaderMap
from mediation_desk.services.ledger.report import WHOLE_ROW, LedgerError, where
from mediation_desk.services.mediators import MediatorInput, clean_mediator, new_mediator
from mediation_desk.store.bulk import BulkWriter, page_cache
from mediation_desk.store.models import CaseMediator, DisputeCase, Mediator, Outcome, Party

ProgressCallback = Callable[[int, int], None]

FLUSH_EVERY = 500
PROGRESS_EVERY = 200


# ---------------------------------------------------------------------------------------------------------------
# What the desk already holds


@dataclass(slots=True)
class Existing:
    """The highest sequence number per organisation and year, and mediators by name, per organisation."""

    seqs: dict[tuple[uuid.UUID, int], int] = field(default_factory=dict)
    mediators: dict[tuple[uuid.UUID, str], uuid.UUID] = field(default_factory=dict)


def load_existing(session: Session, org_ids: set[uuid.UUID], seqs: dict[tuple[uuid.UUID, int], int]) -> Existing:
    """The organisations' mediators (one query), with the numbering state already read with their cases."""
    existing = Existing(dict(seqs))
    mediators = session.execute(
        sa.select(Mediator.org_id, Mediator.name, Mediator.id)
        .where(Mediator.org_id.in_(list(org_ids)))
        .order_by(Mediator.created_at, Mediator.id)
    )
    for org_id, name, mediator_id in mediators:
        existing.mediators.setdefault((org_id, name), mediator_id)
    return existing


# ---------------------------------------------------------------------------------------------------------------
# The same case twice in one file, and numbering


def check_duplicates(rows: list[LedgerRow], headers: HeaderMap | Mapping[str, HeaderMap]) -> list[LedgerError]:
    """A case listed twice (same ledger key, or same case number in the same organisation), naming both rows."""
    errors: list[LedgerError] = []
    by_key: dict[tuple[uuid.UUID, str], LedgerRow] = {}
    by_number: dict[tuple[uuid.UUID, str], LedgerRow] = {}
    for row in rows:
        first = by_key.setdefault((row.org.id, row.key), row)
        if first is not row:
            errors.append(
                LedgerError(
                    row.row,
                    WHOLE_ROW,
                    f"与{_place(first, row)}是同一案件（受理日期、组织、类型、来源、当事人和案情都相同）；"
                    "同一案件不应在台账中登记两次，如确是两件纠纷，请在纠纷简要情况或案件编号中区分",
                    row.sheet,
                )
            )
            continue
        if row.number:
            first = by_number.setdefault((row.org.id, row.number), row)
            if first is not row:
                header = headers if isinstance(headers, HeaderMap) else headers[row.sheet]
                errors.append(
                    LedgerError(
                        row.row,
                        header.column("case_number"),
                        f"案件编号“{row.number}”与{_place(first, row)}重复",
                        row.sheet,
                    )
                )
    return errors


def _place(first: LedgerRow, row: LedgerRow) -> str:
    return where(first.row, first.sheet if first.sheet != row.sheet else "")


def allocate_numbers(rows: list[LedgerRow], existing: Existing) -> None:
    """Give rows without a case number the next numbers of their organisation and year, in intake order."""
    seqs = dict(existing.seqs)
    for row in rows:
        if row.number and row.parsed_number is not None:
            slot = (row.org.id, row.parsed_number.year)
            seqs[slot] = max(seqs.get(slot, 0), row.parsed_number.seq)
    for row in sorted((r for r in rows if not r.number), key=lambda r: (r.data.intake_date, r.row)):
        year = row.data.intake_date.year
        slot = (row.org.id, year)
        seqs[slot] = seqs.get(slot, 0) + 1
        row.parsed_number = CaseNumber(year, row.org.case_prefix or DEFAULT_PREFIX, seqs[slot])
        row.data.number = str(row.parsed_number)


# ---------------------------------------------------------------------------------------------------------------
# The status a row leads to


def imported_status(status: CaseStatus, outcome: OutcomeKind | None, *, mediators: bool, closed: bool) -> CaseStatus:
    """The status a registered case reaches from the ledger: mediation starts when mediators are named or the
    outcome needs it (agreement and failure do, termination does not), then the outcome's rule
    (``status_after_outcome``), filed when the ledger gives a closing date."""
    if mediators or (outcome is not None and OUTCOME_ACTIONS[outcome] not in allowed_actions(status)):
        status = transition(status, CaseAction.START)
    if outcome is None:
        return status
    return status_after_outcome(status, outcome, closed=closed)


# ---------------------------------------------------------------------------------------------------------------
# Inserts


@dataclass(slots=True)
class Written:
    case_ids: set[uuid.UUID] = field(default_factory=set)
    mediators_created: int = 0


def write_cases(
    session: Session,
    rows: list[LedgerRow],
    existing: Existing,
    *,
    progress: ProgressCallback | None = None,
    done: int = 0,
    total: int = 0,
) -> Written:
    """Insert the rows' cases in file order, flushing every ``FLUSH_EVERY`` rows; ``progress(done + n, total)``."""
    written = Written()
    writer = BulkWriter(session)
    with page_cache(session):
        for index, row in enumerate(sorted(rows, key=lambda r: r.row), start=1):
            written.case_ids.add(_write_case(writer, row, existing, written))
            if index % FLUSH_EVERY == 0:
                writer.flush()
            if progress and index % PROGRESS_EVERY == 0:
                progress(done + index, total)
        writer.flush()
    return written


def _write_case(writer: BulkWriter, row: LedgerRow, existing: Existing, written: Written) -> uuid.UUID:
    """Queue one case with its parties, mediators and outcome; returns its id."""
    case, parties = case_values(writer.session, row.org, row.data, ledger_key=row.key, number_checked=True)
    case_id = writer.add(DisputeCase, case)
    for party in parties:
        writer.add(Party, party)
    for position, name in enumerate(row.mediators):
        writer.add(
            CaseMediator,
            {
                "case_id": case_id,
                "mediator_id": _mediator_id(writer, row, name, existing, written),
                "role": CaseMediatorRole.PRESIDING if position == 0 else CaseMediatorRole.ASSISTING,
                "assigned_on": row.data.intake_date,
            },
        )
    status = case["status"]
    assert isinstance(status, CaseStatus)
    closed = row.outcome is not None and row.closing_date is not None
    case["status"] = imported_status(status, row.outcome, mediators=bool(row.mediators), closed=closed)
    case["closing_date"] = row.closing_date if row.outcome is not None else None
    if row.outcome is not None:
        writer.add(
            Outcome,
            {
                "case_id": case_id,
                "kind": row.outcome,
                "decided_on": row.closing_date or row.data.intake_date,
                "performance": row.performance,
            },
        )
    return case_id


def _mediator_id(writer: BulkWriter, row: LedgerRow, name: str, existing: Existing, written: Written) -> uuid.UUID:
    """The mediator of this name in the case's organisation, added to its roster the first time it is named."""
    mediator_id = existing.mediators.get((row.org.id, name))
    if mediator_id is None:
        mediator = clean_mediator(MediatorInput(name=name))
        mediator_id = existing.mediators[(row.org.id, name)] = writer.add(
            Mediator,
            {"org_id": row.org.id, "name": mediator.name, "role": mediator.role, "employment": mediator.employment},
        )
        written.mediators_created += 1
    return mediator_id


# ---------------------------------------------------------------------------------------------------------------
# Changes to cases on the desk


def apply_changes(session: Session, planned: list[Planned], existing: Existing, written: Written, today: date) -> None:
    """Apply each planned change to its case, in the order of the file; mediators found or added by name."""
    for plan in planned:
        case = session.get(DisputeCase, plan.case_id)
        assert case is not None
        if plan.mediators is not None:
            plan.edit.mediator_ids = [_roster_id(session, plan.row, name, existing, written) for name in plan.mediators]
        apply_edit(session, case, plan.edit, today=today)
        written.case_ids.add(case.id)


def _roster_id(session: Session, row: LedgerRow, name: str, existing: Existing, written: Written) -> uuid.UUID:
    mediator_id = existing.mediators.get((row.org.id, name))
    if mediator_id is None:
        mediator = new_mediator(session, row.org, clean_mediator(MediatorInput(name=name)))
        mediator_id = existing.mediators[(row.org.id, name)] = mediator.id
        written.mediators_created += 1
    return mediator_id
