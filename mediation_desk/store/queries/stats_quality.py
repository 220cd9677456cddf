"""The statements behind the check before publishing (``domain.statistics.QualityRule``).

One aggregate counts the cases that break each rule; one listing returns the cases that break any (capped, oldest
first); one more finds the organisations that have cases in the period. A case is checked when its intake date or
the end of its mediation falls in the period, so a case that a closing-date report would miss is checked too.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import OutcomeKind, categories
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.statistics import Basis, QualityRule
from mediation_desk.store.models import DisputeCase, Outcome, SessionRecord
from mediation_desk.store.queries.stats import OPEN, SCAN_ABOVE_ORGS, AnySelect, Scope, _unindexed, dialect_of, scoped

CASE_RULES = (
    QualityRule.MISSING_CATEGORY,
    QualityRule.OUTCOME_WITHOUT_DATE,
    QualityRule.CLOSING_BEFORE_INTAKE,
    QualityRule.AMOUNT_WITHOUT_AGREEMENT,
    QualityRule.OPEN_WITHOUT_SESSION,
)
UNSUCCESSFUL = (OutcomeKind.FAILED, OutcomeKind.TERMINATED, OutcomeKind.REFUSED)


def conditions(overdue_before: date) -> dict[QualityRule, sa.ColumnElement[bool]]:
    """Each case rule as a condition over ``DisputeCase`` left-joined with its ``Outcome``; ``overdue_before``:
    an open case taken in before this day is over a month old."""
    codes = [category.code for category in categories()]
    category = DisputeCase.category
    session_held = sa.exists().where(SessionRecord.case_id == DisputeCase.id)
    return {
        QualityRule.MISSING_CATEGORY: sa.or_(category.is_(None), category.not_in(codes)),
        QualityRule.OUTCOME_WITHOUT_DATE: sa.or_(
            sa.and_(DisputeCase.status.not_in(OPEN), Outcome.id.is_(None)),
            sa.and_(DisputeCase.status == CaseStatus.CLOSED, DisputeCase.closing_date.is_(None)),
        ),
        QualityRule.CLOSING_BEFORE_INTAKE: sa.or_(
            DisputeCase.closing_date < DisputeCase.intake_date, Outcome.decided_on < DisputeCase.intake_date
        ),
        QualityRule.AMOUNT_WITHOUT_AGREEMENT: sa.and_(DisputeCase.amount_fen > 0, Outcome.kind.in_(UNSUCCESSFUL)),
        QualityRule.OPEN_WITHOUT_SESSION: sa.and_(
            DisputeCase.status.in_(OPEN), DisputeCase.intake_date < overdue_before, ~session_held
        ),
    }


def _checked(select: AnySelect, scope: Scope, dialect: str) -> AnySelect:
    """The cases of the organisations whose intake date or end of mediation lies in the period."""
    if scope.org_ids is not None:
        ids = list(scope.org_ids)
        org_column = _unindexed(DisputeCase.org_id, dialect) if len(ids) > SCAN_ABOVE_ORGS else DisputeCase.org_id
        select = select.where(org_column.in_(ids))
    if not (scope.date_from or scope.date_to):
        return select
    ended = sa.func.coalesce(DisputeCase.closing_date, Outcome.decided_on, type_=sa.Date)
    return select.where(sa.or_(*(sa.and_(*_bounds(day, scope)) for day in (DisputeCase.intake_date.expression, ended))))


def _bounds(day: sa.ColumnElement[date], scope: Scope) -> list[sa.ColumnElement[bool]]:
    bounds: list[sa.ColumnElement[bool]] = [day.is_not(None)]
    if scope.date_from:
        bounds.append(day >= scope.date_from)
    if scope.date_to:
        bounds.append(day <= scope.date_to)
    return bounds


def rule_counts(session: Session, scope: Scope, overdue_before: date) -> dict[QualityRule, int]:
    """How many cases in scope break each case rule."""
    rules = conditions(overdue_before)
    columns = [sa.func.coalesce(sa.func.sum(sa.case((rules[rule], 1), else_=0)), 0) for rule in CASE_RULES]
    select = sa.select(*columns).select_from(DisputeCase).outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
    row = session.execute(_checked(select, scope, dialect_of(session))).one()
    return {rule: int(value or 0) for rule, value in zip(CASE_RULES, row, strict=True)}


def flagged_cases(session: Session, scope: Scope, overdue_before: date, limit: int) -> list[sa.Row[Any]]:
    """The cases in scope that break any case rule, oldest first, at most ``limit``: the case's fields the report
    shows and one boolean column per rule (labelled by the rule's value)."""
    rules = conditions(overdue_before)
    select: AnySelect = (
        sa.select(
            DisputeCase.id,
            DisputeCase.org_id,
            DisputeCase.number,
            DisputeCase.intake_date,
            DisputeCase.closing_date,
            DisputeCase.category,
            DisputeCase.status,
            DisputeCase.amount_fen,
            Outcome.kind,
            Outcome.decided_on,
            *(sa.case((rules[rule], True), else_=False).label(rule.value) for rule in CASE_RULES),
        )
        .select_from(DisputeCase)
        .outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
        .where(sa.or_(*(rules[rule] for rule in CASE_RULES)))
        .order_by(DisputeCase.intake_date, DisputeCase.number, DisputeCase.id)
        .limit(limit)
    )
    return list(session.execute(_checked(select, scope, dialect_of(session))))


def orgs_with_cases(session: Session, scope: Scope) -> set[uuid.UUID]:
    """The organisations with at least one case counted in the period (by the report's basis)."""
    select = sa.select(DisputeCase.org_id).distinct()
    if scope.basis is Basis.CLOSING:
        select = select.outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
    return set(session.scalars(scoped(select, scope, dialect_of(session))))
