"""The cases behind a figure of the statistics: the same conditions as ``store.queries.stats`` (scope, period by
basis, and the per-case condition of each indicator), as a list of cases instead of a sum.

``Behind`` names the figure: an indicator of ``domain.statistics.Counts`` and, optionally, one group of a grouping
(a category, a sub-type, a source, a month). The cases come back in intake order, capped; their count is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseSource, OutcomeKind, Performance, RiskFlag
from mediation_desk.store.models import DisputeCase, JudicialConfirmation, Outcome
from mediation_desk.store.queries.stats import (
    MEDIATED,
    OPEN,
    SUCCESSFUL,
    Scope,
    dialect_of,
    month_label,
    period_date,
    scoped,
)


@dataclass(frozen=True, slots=True)
class Behind:
    """Which figure: ``indicator`` (a ``Counts`` field, or ``mediated``, ``success_rate``, ``amount_wan_yuan``...)
    within the group given by any of ``category``, ``subtype``, ``source``, ``month`` (``YYYY-MM``)."""

    indicator: str = "cases"
    category: str | None = None
    subtype: str | None = None
    source: str | None = None
    month: str | None = None


def _at_risk() -> sa.ColumnElement[bool]:
    return sa.cast(DisputeCase.risk_flags, sa.Text).like(f'%"{RiskFlag.CRIMINAL.value}"%')


def _judicial(granted: bool) -> sa.ColumnElement[bool]:
    condition = JudicialConfirmation.case_id == DisputeCase.id
    if granted:
        condition = condition & JudicialConfirmation.granted.is_(True)
    return sa.exists(sa.select(JudicialConfirmation.id).where(condition))


def _conditions() -> dict[str, sa.ColumnElement[bool] | None]:
    """Per indicator, the condition a counted case meets to be behind it (``None``: every counted case)."""
    kind = Outcome.kind
    successful = kind.in_(SUCCESSFUL)
    group = DisputeCase.group_dispute.is_(True)
    at_risk = successful & _at_risk()
    return {
        "cases": None,
        "persons": None,
        "mediated": kind.in_(MEDIATED),
        "success_rate": kind.in_(MEDIATED),  # the rate is over the mediated cases
        "successful": successful,
        "failed": kind == OutcomeKind.FAILED,
        "terminated": kind == OutcomeKind.TERMINATED,
        "refused": kind == OutcomeKind.REFUSED,
        "pending": DisputeCase.status.in_(OPEN),
        "written_agreements": kind == OutcomeKind.WRITTEN_AGREEMENT,
        "oral_agreements": kind == OutcomeKind.ORAL_AGREEMENT,
        "amount_fen": successful & (DisputeCase.amount_fen != 0),
        "amount_yuan": successful & (DisputeCase.amount_fen != 0),
        "amount_wan_yuan": successful & (DisputeCase.amount_fen != 0),
        "group_cases": group,
        "group_persons": group,
        "performed": successful & (Outcome.performance == Performance.PERFORMED),
        "partly_performed": successful & (Outcome.performance == Performance.PARTLY),
        "not_performed": successful & (Outcome.performance == Performance.NOT_PERFORMED),
        "escalation_risk_cases": at_risk,
        "escalation_risk_persons": at_risk,
        "judicial_applied": _judicial(granted=False),
        "judicial_granted": _judicial(granted=True),
    }


INDICATORS = frozenset(_conditions())


def _selection(session: Session, scope: Scope, behind: Behind) -> sa.Select[Any]:
    if behind.indicator not in INDICATORS:
        raise ValueError(f"no cases behind the indicator {behind.indicator!r}")
    select = sa.select(DisputeCase).outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
    select = scoped(select, scope, dialect_of(session))
    day = period_date(scope.basis)
    condition = _conditions()[behind.indicator]
    if condition is not None:
        select = select.where(condition)
    if behind.category is not None:
        select = select.where(DisputeCase.category == behind.category)
    if behind.subtype is not None:
        select = select.where(DisputeCase.subtype == behind.subtype)
    if behind.source is not None:
        select = select.where(DisputeCase.source == CaseSource(behind.source))
    if behind.month is not None:
        select = select.where(month_label(day, dialect_of(session)) == behind.month)
    return select


def cases_behind(session: Session, scope: Scope, behind: Behind, limit: int) -> tuple[list[DisputeCase], int]:
    """Up to ``limit`` of the cases behind the figure, in intake order, and how many there are in all."""
    select = _selection(session, scope, behind)
    total = session.scalar(sa.select(sa.func.count()).select_from(select.subquery())) or 0
    ordered = select.order_by(DisputeCase.intake_date, DisputeCase.number, DisputeCase.id).limit(limit)
    return list(session.scalars(ordered)), int(total)
