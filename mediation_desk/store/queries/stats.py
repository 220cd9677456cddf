"""The aggregate statements behind the statistics: case counts, screening rounds, the mediator roster.

The case counts are grouped by (organisation, category, source) with conditional sums, so the grouped result has
at most a few thousand rows whatever the number of cases; it is then summed again by each key alone in the
database. A case belongs to a period by its intake date (受理日期).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import Employment, OutcomeKind
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store.models import DisputeCase, Mediator, Outcome, ScreeningRound

OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)

# Above this many organisations in the subtree, SQLite scans the table instead of walking the organisation index:
# a walk reads rows in index order, which for most of the table costs about twice a plain scan.
SCAN_ABOVE_ORGS = 20


def _unindexed(column: sa.orm.InstrumentedAttribute[Any], dialect: str) -> sa.ColumnElement[Any]:
    """SQLite's unary-plus idiom: the same column, but the planner will not choose an index for it."""
    if dialect != "sqlite":
        return column.expression
    return sa.literal_column(f"+{DisputeCase.__tablename__}.{column.key}", type_=column.type)


def grouped_counts(
    org_ids: list[uuid.UUID] | None, date_from: date | None, date_to: date | None, dialect: str
) -> sa.Select[Any]:
    """Counts per (organisation, category, source); ``org_ids`` None means every organisation on file.

    The counts are labelled ``n0``, ``n1``, … in the order of ``domain.statistics.Counts``'s fields.
    """
    kind = Outcome.kind
    successful = kind.in_([OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT])

    def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    def sum_if(condition: sa.ColumnElement[bool], value: sa.ColumnExpressionArgument[int]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)

    columns: list[sa.ColumnElement[Any] | sa.orm.InstrumentedAttribute[Any]] = [
        # raw keys: converting ~10,000 group keys to UUIDs and enums costs more than the folding itself
        sa.type_coerce(DisputeCase.org_id, sa.String).label("org_id"),
        sa.type_coerce(DisputeCase.category, sa.String).label("category"),
        sa.type_coerce(DisputeCase.source, sa.String).label("source"),
        sa.func.count(),
        count_if(successful),
        count_if(kind == OutcomeKind.FAILED),
        count_if(kind == OutcomeKind.TERMINATED),
        count_if(kind == OutcomeKind.REFUSED),
        count_if(DisputeCase.status.in_(OPEN)),
        count_if(kind == OutcomeKind.WRITTEN_AGREEMENT),
        count_if(kind == OutcomeKind.ORAL_AGREEMENT),
        sum_if(successful, DisputeCase.amount_fen),
        sa.func.coalesce(sa.func.sum(DisputeCase.persons), 0),
        count_if(DisputeCase.group_dispute.is_(True)),
        sum_if(DisputeCase.group_dispute.is_(True), DisputeCase.persons),
    ]
    columns = [*columns[:3], *(column.label(f"n{index}") for index, column in enumerate(columns[3:]))]
    select: sa.Select[Any] = (
        sa.select(*columns)
        .select_from(DisputeCase)
        .outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
        .group_by(
            *(_unindexed(column, dialect) for column in (DisputeCase.org_id, DisputeCase.category, DisputeCase.source))
        )
    )
    if org_ids is not None:
        org_column = _unindexed(DisputeCase.org_id, dialect) if len(org_ids) > SCAN_ABOVE_ORGS else DisputeCase.org_id
        select = select.where(org_column.in_(org_ids))
    if date_from:
        select = select.where(DisputeCase.intake_date >= date_from)
    if date_to:
        select = select.where(DisputeCase.intake_date <= date_to)
    return select


def rollup(grouped: sa.Select[Any]) -> sa.CompoundSelect[Any]:
    """Sum the (organisation, category, source) groups again by each key alone, in the database.

    The grouped query is a CTE read three times (SQLite materialises it once), so a few hundred rows come back
    instead of one per group: folding ~12,000 groups in Python cost as much as the scan itself.
    Each row is ``(kind, key, n0, n1, …)`` with kind "category", "source" or "org" and the key as text.
    """
    groups = grouped.cte("groups")
    counts = [column for column in groups.c if column.name.startswith("n")]

    def by(kind: str, key: sa.ColumnElement[Any]) -> sa.Select[Any]:
        text_key = sa.cast(key, sa.String)  # one column type for the union (PostgreSQL keeps UUIDs typed)
        columns: list[sa.ColumnElement[Any]] = [sa.literal(kind).label("kind"), text_key.label("key")]
        columns += [sa.func.sum(column) for column in counts]
        select: sa.Select[Any] = sa.select(*columns).group_by(key)
        return select

    return sa.union_all(by("category", groups.c.category), by("source", groups.c.source), by("org", groups.c.org_id))


def case_counts(
    session: Session, org_ids: list[uuid.UUID] | None, date_from: date | None, date_to: date | None
) -> list[tuple[Any, ...]]:
    """The rolled-up case counts (``rollup``) for these organisations (None: all) and intake period."""
    grouped = grouped_counts(org_ids, date_from, date_to, session.get_bind().dialect.name)
    return [tuple(row) for row in session.execute(rollup(grouped))]


def screening_totals(
    session: Session, org_ids: Collection[uuid.UUID], date_from: date | None, date_to: date | None
) -> tuple[int, int, int, int]:
    """Rounds, disputes found, disputes prevented and escalations prevented in screenings overlapping the period."""
    select = sa.select(
        sa.func.coalesce(sa.func.sum(ScreeningRound.rounds), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.disputes_found), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.disputes_prevented), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.escalations_prevented), 0),
    ).where(ScreeningRound.org_id.in_(org_ids))
    if date_from:
        select = select.where(ScreeningRound.period_end >= date_from)
    if date_to:
        select = select.where(ScreeningRound.period_start <= date_to)
    row = session.execute(select).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def mediator_counts(session: Session, org_ids: Collection[uuid.UUID]) -> tuple[int, int]:
    """Mediators of these organisations, and how many of them are full-time."""
    row = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((Mediator.employment == Employment.FULL_TIME, 1), else_=0)), 0),
        ).where(Mediator.org_id.in_(org_ids))
    ).one()
    return int(row[0]), int(row[1])
