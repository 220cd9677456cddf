"""Start-page queries: cases awaiting a step, open too long, follow-ups due, agreements printed but not signed,
judicial-confirmation windows about to close. Each returns ``(case, date it is about)`` pairs, most urgent first,
and its total (the page shows the first few of each)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import AgreementState
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store.models import Agreement, DisputeCase, FollowUp, JudicialConfirmation, Outcome

Found = tuple[list[tuple[DisputeCase, date | None]], int]
Query = sa.Select[DisputeCase, Any]


def _in_orgs(query: Query, org_ids: Collection[uuid.UUID] | None) -> Query:
    return query if org_ids is None else query.where(DisputeCase.org_id.in_(org_ids))


def _run(session: Session, query: Query, limit: int) -> Found:
    total = int(session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0)
    rows = session.execute(query.limit(limit)).all()
    return [(case, when) for case, when in rows], total


def by_status(
    session: Session, org_ids: Collection[uuid.UUID] | None, statuses: Sequence[CaseStatus], limit: int
) -> Found:
    """Cases in these statuses, oldest intake first; the date is the intake date."""
    query: Query = sa.select(DisputeCase, DisputeCase.intake_date).where(DisputeCase.status.in_(statuses))
    query = _in_orgs(query, org_ids).order_by(DisputeCase.intake_date, DisputeCase.number_seq, DisputeCase.id)
    return _run(session, query, limit)


def concluded_not_closed(session: Session, org_ids: Collection[uuid.UUID] | None, limit: int) -> Found:
    """Cases with an outcome that are not filed yet, oldest outcome first; the date is the outcome's."""
    query: Query = (
        sa.select(DisputeCase, Outcome.decided_on)
        .join(Outcome, Outcome.case_id == DisputeCase.id)
        .where(
            DisputeCase.status.in_([CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.TERMINATED, CaseStatus.REFUSED])
        )
    )
    query = _in_orgs(query, org_ids).order_by(Outcome.decided_on, DisputeCase.id)
    return _run(session, query, limit)


def open_since(
    session: Session, org_ids: Collection[uuid.UUID] | None, before: date, statuses: Sequence[CaseStatus], limit: int
) -> Found:
    """Open cases taken in before ``before``, oldest first; the date is the intake date."""
    query: Query = sa.select(DisputeCase, DisputeCase.intake_date).where(
        DisputeCase.status.in_(statuses), DisputeCase.intake_date < before
    )
    query = _in_orgs(query, org_ids).order_by(DisputeCase.intake_date, DisputeCase.id)
    return _run(session, query, limit)


def follow_ups_due(session: Session, org_ids: Collection[uuid.UUID] | None, today: date, limit: int) -> Found:
    """Agreements whose performance deadline has passed with no follow-up visit on or after it; the date is the
    deadline, the longest overdue first."""
    visited = sa.exists().where(
        FollowUp.case_id == Agreement.case_id, FollowUp.visited_on >= Agreement.performance_deadline
    )
    query: Query = (
        sa.select(DisputeCase, Agreement.performance_deadline)
        .join(Agreement, Agreement.case_id == DisputeCase.id)
        .where(
            Agreement.state != AgreementState.VOID,
            Agreement.performance_deadline.is_not(None),
            Agreement.performance_deadline <= today,
            ~visited,
        )
    )
    query = _in_orgs(query, org_ids).order_by(Agreement.performance_deadline, DisputeCase.id)
    return _run(session, query, limit)


def printed_not_signed(session: Session, org_ids: Collection[uuid.UUID] | None, limit: int) -> Found:
    """Written agreements printed for signing and not marked signed; the date is when the agreement was last
    changed (printed)."""
    query: Query = (
        sa.select(DisputeCase, sa.func.date(Agreement.updated_at))
        .join(Agreement, Agreement.case_id == DisputeCase.id)
        .where(Agreement.state == AgreementState.PRINTED)
    )
    query = _in_orgs(query, org_ids).order_by(Agreement.updated_at, DisputeCase.id)
    found, total = _run(session, query, limit)
    return [(case, _as_date(when)) for case, when in found], total


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def confirmation_windows(
    session: Session, org_ids: Collection[uuid.UUID] | None, earliest: date, latest: date, limit: int
) -> Found:
    """Signed written agreements whose effective date lies in [earliest, latest] and whose case has no judicial
    confirmation on file; the date is the effective date (the window closes 30 days after it)."""
    applied = sa.exists().where(JudicialConfirmation.case_id == Agreement.case_id)
    query: Query = (
        sa.select(DisputeCase, Agreement.effective_date)
        .join(Agreement, Agreement.case_id == DisputeCase.id)
        .where(
            Agreement.oral.is_(False),
            Agreement.state == AgreementState.SIGNED,
            Agreement.effective_date >= earliest,
            Agreement.effective_date <= latest,
            ~applied,
        )
    )
    query = _in_orgs(query, org_ids).order_by(Agreement.effective_date, DisputeCase.id)
    return _run(session, query, limit)
