"""The aggregate statements behind the statistics (``domain.statistics`` defines what they count).

Every figure is computed in the database; what comes back is a few hundred rows whatever the number of cases:

- ``case_counts``: one scan of the cases (with their outcome) grouped by (organisation, category, sub-type, source,
  month) with conditional sums, kept as a CTE and summed again by each key alone, so one statement answers the
  totals, every grouping and every organisation (the service folds organisations into the tree);
- ``judicial_counts``: the same groups over the cases with a judicial confirmation (a small share of them);
- ``mediator_counts``: per mediator, over the cases assigned to them;
- ``screening_by_org``, ``roster_by_org``, ``orgs_by_level``: per organisation, from their own small tables.

- ``summary_counts``: the same rolled-up rows (case and judicial counts together) read from the summary that
  ``store.stats_summary`` keeps per (basis, month, organisation) and dimension: a few hundred thousand small rows at
  a million cases instead of a scan of the cases; the service uses it whenever the summary is current and the
  period is whole months (``summary_answers``), the statements above otherwise;
- ``per_mediator_summary``: ``per_mediator`` over the summary's narrow per-case table beside a covering index of
  the assignments, both in case order.

A case belongs to a period by ``Basis``: its intake date, or the end of its mediation (closing date, else the
outcome's date). Both dialects run the same statements; only the month label and the day difference differ.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import Employment, OrgLevel, OutcomeKind, Performance, RiskFlag
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.statistics import Basis, Counts
from mediation_desk.store.models import (
    STATS_COUNTS,
    CaseMediator,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Mediator,
    OrgUnit,
    Outcome,
    ScreeningRound,
    stats_case,
    stats_summary,
)

AnySelect: TypeAlias = "sa.Select[*tuple[Any, ...]]"  # a statement of any columns

OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
SUCCESSFUL = (OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT)
MEDIATED = (*SUCCESSFUL, OutcomeKind.FAILED, OutcomeKind.TERMINATED)

# Above this many organisations in the subtree, SQLite scans the table instead of walking the organisation index:
# a walk reads rows in index order, which for most of the table costs about twice a plain scan.
SCAN_ABOVE_ORGS = 20

# The keys of the grouped rows, in the order of ``Grouped``'s key columns; ``rollup`` sums by each alone.
KEYS = ("org_id", "category", "subtype", "source", "month")
# The per-case counts of ``grouped_counts``: every field of ``Counts`` but the judicial ones (``judicial_counts``).
CASE_FIELDS = Counts.names()[:-2]
JUDICIAL_FIELDS = Counts.names()[-2:]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which cases: these organisations (``None``: every one on file) and this period by this basis."""

    org_ids: Sequence[uuid.UUID] | None = None
    date_from: date | None = None
    date_to: date | None = None
    basis: Basis = Basis.INTAKE


def _unindexed(column: sa.orm.InstrumentedAttribute[Any], dialect: str) -> sa.ColumnElement[Any]:
    """SQLite's unary-plus idiom: the same column, but the planner will not choose an index for it."""
    if dialect != "sqlite":
        return column.expression
    return sa.literal_column(f"+{DisputeCase.__tablename__}.{column.key}", type_=column.type)


def period_date(basis: Basis) -> sa.ColumnElement[date]:
    """The date by which a case belongs to a period (the closing basis needs the outcome joined)."""
    if basis is Basis.INTAKE:
        return DisputeCase.intake_date.expression
    return sa.func.coalesce(DisputeCase.closing_date, Outcome.decided_on, type_=sa.Date)


def month_label(day: sa.ColumnElement[date], dialect: str) -> sa.ColumnElement[str]:
    """``YYYY-MM`` of a date: SQLite keeps dates as ISO text, PostgreSQL formats them."""
    # literal arguments: the same text in the select list and the GROUP BY, so both name one expression
    if dialect == "postgresql":
        return sa.func.to_char(day, sa.literal_column("'YYYY-MM'"), type_=sa.String)
    return sa.func.substr(day, sa.literal_column("1"), sa.literal_column("7"), type_=sa.String)


def days_between(later: sa.ColumnElement[date], earlier: sa.ColumnElement[date], dialect: str) -> sa.ColumnElement[int]:
    """Whole days from ``earlier`` to ``later``."""
    if dialect == "postgresql":
        return sa.type_coerce(later - earlier, sa.Integer)
    return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)


def within(
    select: AnySelect, scope: Scope, org_column: sa.ColumnElement[Any] | Any, day: sa.ColumnElement[date]
) -> AnySelect:
    """``scope``'s organisations (``org_column``) and period (``day``, the basis's date) on a statement."""
    if scope.org_ids is not None:
        select = select.where(org_column.in_(list(scope.org_ids)))
    if scope.basis is Basis.CLOSING:
        select = select.where(day.is_not(None))
    if scope.date_from:
        select = select.where(day >= scope.date_from)
    if scope.date_to:
        select = select.where(day <= scope.date_to)
    return select


def scoped(select: AnySelect, scope: Scope, dialect: str) -> AnySelect:
    """The organisation and period conditions on a statement over ``DisputeCase`` (and ``Outcome`` if closing)."""
    many = scope.org_ids is not None and len(scope.org_ids) > SCAN_ABOVE_ORGS
    org_column = _unindexed(DisputeCase.org_id, dialect) if many else DisputeCase.org_id
    return within(select, scope, org_column, period_date(scope.basis))


ONE, ZERO = sa.literal_column("1", sa.Integer), sa.literal_column("0", sa.Integer)


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """Within a group (never empty), so the sum is never NULL."""
    return sa.func.sum(sa.case((condition, ONE), else_=ZERO))


def _sum_if(condition: sa.ColumnElement[bool], value: sa.ColumnExpressionArgument[int]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, value), else_=ZERO))


def _key_columns(scope: Scope, dialect: str) -> list[sa.ColumnElement[Any]]:
    # raw keys: converting thousands of group keys to UUIDs and enums costs more than the folding itself
    return [
        sa.type_coerce(DisputeCase.org_id, sa.String).label("org_id"),
        sa.type_coerce(DisputeCase.category, sa.String).label("category"),
        DisputeCase.subtype.label("subtype"),
        sa.type_coerce(DisputeCase.source, sa.String).label("source"),
        month_label(period_date(scope.basis), dialect).label("month"),
    ]


SETS_FLAG = "org_month_set"  # PostgreSQL's grouping sets: 0 on the (organisation, month) rows, 1 on the others


def _group_by(select: AnySelect, scope: Scope, dialect: str) -> AnySelect:
    """GROUP BY the five keys: on SQLite one sort of the cases into their (organisation, category, sub-type,
    source, month) groups; on PostgreSQL GROUPING SETS ((organisation, month), (category, sub-type, source)), two
    small hash tables filled in one pass instead of a cross product of some 200,000 groups at a million cases."""
    month = month_label(period_date(scope.basis), dialect)
    if dialect == "postgresql":
        sets = sa.func.grouping_sets(
            sa.tuple_(DisputeCase.org_id, month),
            sa.tuple_(DisputeCase.category, DisputeCase.subtype, DisputeCase.source),
        )
        return select.add_columns(sa.func.grouping(DisputeCase.org_id).label(SETS_FLAG)).group_by(sets)
    org, category, source = (
        _unindexed(c, dialect) for c in (DisputeCase.org_id, DisputeCase.category, DisputeCase.source)
    )
    return select.group_by(org, category, DisputeCase.subtype, source, month)


def case_terms() -> list[sa.ColumnElement[int]]:
    """Each case's value of ``CASE_FIELDS``, in that order, over ``DisputeCase`` outer-joined to ``Outcome``: the
    one statement of the per-case rules, summed by ``grouped_counts`` and stored per case by ``stats_summary``."""
    kind, persons = Outcome.kind, DisputeCase.persons
    successful = kind.in_(SUCCESSFUL)
    group = DisputeCase.group_dispute.is_(True)
    # risk_flags is a JSON list of codes; its text holds the code in quotes on both dialects
    at_risk = successful & sa.cast(DisputeCase.risk_flags, sa.Text).like(f'%"{RiskFlag.CRIMINAL.value}"%')

    def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.case((condition, ONE), else_=ZERO)

    def value_if(condition: sa.ColumnElement[bool], value: sa.ColumnExpressionArgument[int]) -> sa.ColumnElement[int]:
        return sa.case((condition, value), else_=ZERO)

    return [
        ONE,
        flag(successful),
        flag(kind == OutcomeKind.FAILED),
        flag(kind == OutcomeKind.TERMINATED),
        flag(kind == OutcomeKind.REFUSED),
        flag(DisputeCase.status.in_(OPEN)),
        flag(kind == OutcomeKind.WRITTEN_AGREEMENT),
        flag(kind == OutcomeKind.ORAL_AGREEMENT),
        value_if(successful, DisputeCase.amount_fen),
        sa.type_coerce(persons, sa.Integer),
        flag(group),
        value_if(group, persons),
        flag(successful & (Outcome.performance == Performance.PERFORMED)),
        flag(successful & (Outcome.performance == Performance.PARTLY)),
        flag(successful & (Outcome.performance == Performance.NOT_PERFORMED)),
        flag(at_risk),
        value_if(at_risk, persons),
    ]


def _case_sums() -> list[sa.ColumnElement[int]]:
    """The conditional sums of ``CASE_FIELDS``, in that order (a group is never empty: no sum is NULL but
    persons', as before)."""
    terms = case_terms()
    return [sa.func.count(), *(sa.func.sum(term) for term in terms[1:])]


def grouped_counts(scope: Scope, dialect: str) -> AnySelect:
    """Counts per (organisation, category, sub-type, source, month), labelled by ``CASE_FIELDS``."""
    sums = _case_sums()
    assert len(sums) == len(CASE_FIELDS)
    columns = [
        *_key_columns(scope, dialect),
        *(column.label(name) for column, name in zip(sums, CASE_FIELDS, strict=True)),
    ]
    select = sa.select(*columns).select_from(DisputeCase).outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
    return _group_by(scoped(select, scope, dialect), scope, dialect)


def grouped_judicial(scope: Scope, dialect: str) -> AnySelect:
    """Cases with a judicial confirmation applied for, and granted, per the same groups (``JUDICIAL_FIELDS``)."""
    granted = sa.case((JudicialConfirmation.granted.is_(True), JudicialConfirmation.case_id), else_=None)
    select = (
        sa.select(
            *_key_columns(scope, dialect),
            sa.func.count(sa.distinct(JudicialConfirmation.case_id)).label(JUDICIAL_FIELDS[0]),
            sa.func.count(sa.distinct(granted)).label(JUDICIAL_FIELDS[1]),
        )
        .select_from(JudicialConfirmation)
        .join(DisputeCase, DisputeCase.id == JudicialConfirmation.case_id)
    )
    if scope.basis is Basis.CLOSING:
        select = select.outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
    return _group_by(scoped(select, scope, dialect), scope, dialect)


def rollup(grouped: AnySelect, counts: Sequence[str]) -> sa.CompoundSelect[Any]:
    """Sum the groups again by each key alone, in the database: ``(kind, key, *counts)`` rows, kind one of ``KEYS``.

    The grouped query is a CTE (materialised once), summed into two smaller ones, per (organisation, month) and
    per (category, sub-type, source) (on PostgreSQL its grouping sets are those two already), from which each key's
    sums come: two passes over the groups instead of five, and a few hundred rows back instead of one per group
    (folding the groups in Python cost as much as the scan).
    Keys come back as text (NULL for a case without a sub-type).
    """
    groups = grouped.cte("groups")

    def summed(name: str, keys: Sequence[str], source: Any) -> Any:
        columns = [source.c[key] for key in keys] + [sa.func.sum(source.c[count]).label(count) for count in counts]
        return sa.select(*columns).group_by(*(source.c[key] for key in keys)).cte(name)

    def picked(name: str, keys: Sequence[str], flag: int) -> Any:
        columns = [groups.c[key] for key in (*keys, *counts)]
        return sa.select(*columns).where(groups.c[SETS_FLAG] == flag).cte(name)

    if SETS_FLAG in groups.c:  # PostgreSQL grouped by the two sets already
        org_months = picked("org_months", ("org_id", "month"), 0)
        kinds = picked("kinds", ("category", "subtype", "source"), 1)
    else:
        org_months = summed("org_months", ("org_id", "month"), groups)
        kinds = summed("kinds", ("category", "subtype", "source"), groups)

    def by(kind: str) -> AnySelect:
        source = org_months if kind in ("org_id", "month") else kinds
        key = source.c[kind]
        text_key = sa.cast(key, sa.String)  # one column type for the union (PostgreSQL keeps UUIDs typed)
        columns: list[sa.ColumnElement[Any]] = [sa.literal(kind).label("kind"), text_key.label("key")]
        columns += [sa.func.sum(source.c[name]) for name in counts]
        return sa.select(*columns).group_by(key)

    return sa.union_all(*(by(kind) for kind in KEYS))


def _rows(session: Session, statement: sa.CompoundSelect[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(statement)]


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def case_counts(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """The rolled-up case counts: ``(kind, key, *CASE_FIELDS)``."""
    return _rows(session, rollup(grouped_counts(scope, dialect_of(session)), CASE_FIELDS))


def judicial_counts(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """The rolled-up judicial confirmations: ``(kind, key, applied, granted)``."""
    return _rows(session, rollup(grouped_judicial(scope, dialect_of(session)), JUDICIAL_FIELDS))


def summary_answers(scope: Scope) -> bool:
    """Whether the summary (``store.stats_summary``, by whole months) can answer this scope: a period of whole
    months, or open at either end."""
    starts_month = scope.date_from is None or scope.date_from.day == 1
    ends_month = scope.date_to is None or (scope.date_to + timedelta(days=1)).day == 1
    return starts_month and ends_month


def summary_counts(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """Every count, case and judicial, rolled up from the summary: ``(kind, key, *Counts.names())`` rows as
    ``case_counts`` gives them (keys as text, only groups with cases). Only for a scope ``summary_answers``."""
    table = stats_summary
    conditions: list[sa.ColumnElement[bool]] = [table.c.basis == scope.basis.value]
    if scope.org_ids is not None:
        conditions.append(table.c.org_id.in_(list(scope.org_ids)))
    if scope.date_from:
        conditions.append(table.c.month >= f"{scope.date_from:%Y-%m}")
    if scope.date_to:
        conditions.append(table.c.month <= f"{scope.date_to:%Y-%m}")
    sums = [sa.func.sum(table.c[name]) for name in STATS_COUNTS]
    has_cases = sa.func.sum(table.c.cases) > 0

    def by(kind: str, key: sa.ColumnElement[Any], dims: sa.ColumnElement[bool]) -> AnySelect:
        label = sa.literal_column(f"'{kind}'", sa.String) if kind != "dim" else table.c.dim
        groups = (table.c.dim, key) if kind == "dim" else (key,)
        select = sa.select(label.label("kind"), sa.cast(key, sa.String).label("key"), *sums)
        return select.where(*conditions, dims).group_by(*groups).having(has_cases)

    total = table.c.dim == "total"
    statement = sa.union_all(
        by("org_id", table.c.org_id, total),
        by("month", table.c.month, total),
        by("dim", table.c.key, table.c.dim.in_(("category", "subtype", "source"))),
    )
    return _rows(session, statement)


def screening_by_org(
    session: Session, org_ids: Collection[uuid.UUID] | None, date_from: date | None, date_to: date | None
) -> dict[uuid.UUID, tuple[int, int, int, int, int]]:
    """Per organisation: rounds, disputes found, prevented, escalations prevented and their persons, summed over the
    screening records whose period overlaps the report's."""
    select = sa.select(
        ScreeningRound.org_id,
        sa.func.sum(ScreeningRound.rounds),
        sa.func.sum(ScreeningRound.disputes_found),
        sa.func.sum(ScreeningRound.disputes_prevented),
        sa.func.sum(ScreeningRound.escalations_prevented),
        sa.func.sum(ScreeningRound.escalation_persons),
    ).group_by(ScreeningRound.org_id)
    if org_ids is not None:
        select = select.where(ScreeningRound.org_id.in_(list(org_ids)))
    if date_from:
        select = select.where(ScreeningRound.period_end >= date_from)
    if date_to:
        select = select.where(ScreeningRound.period_start <= date_to)
    found: dict[uuid.UUID, tuple[int, int, int, int, int]] = {}
    for org_id, *values in session.execute(select):
        a, b, c, d, e = (int(value or 0) for value in values)
        found[org_id] = (a, b, c, d, e)
    return found


def screening_totals(
    session: Session, org_ids: Collection[uuid.UUID], date_from: date | None, date_to: date | None
) -> tuple[int, int, int, int]:
    """Rounds, disputes found, disputes prevented and escalations prevented over these organisations."""
    rows = screening_by_org(session, org_ids, date_from, date_to).values()
    return (
        sum(row[0] for row in rows),
        sum(row[1] for row in rows),
        sum(row[2] for row in rows),
        sum(row[3] for row in rows),
    )


def _active(date_from: date | None, date_to: date | None) -> list[sa.ColumnElement[bool]]:
    """A mediator active at some time in the period (no dates: active throughout)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if date_to:
        conditions.append(sa.or_(Mediator.active_from.is_(None), Mediator.active_from <= date_to))
    if date_from:
        conditions.append(sa.or_(Mediator.active_to.is_(None), Mediator.active_to >= date_from))
    return conditions


def roster_by_org(
    session: Session, org_ids: Collection[uuid.UUID] | None, date_from: date | None, date_to: date | None
) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Per organisation: mediators active in the period, of whom full-time, and legal instructors."""
    select = (
        sa.select(
            Mediator.org_id,
            sa.func.count(),
            _count_if(Mediator.employment == Employment.FULL_TIME),
            _count_if(Mediator.legal_instructor.is_(True)),
        )
        .where(*_active(date_from, date_to))
        .group_by(Mediator.org_id)
    )
    if org_ids is not None:
        select = select.where(Mediator.org_id.in_(list(org_ids)))
    return {org_id: (int(total), int(full), int(legal)) for org_id, total, full, legal in session.execute(select)}


def mediator_counts(session: Session, org_ids: Collection[uuid.UUID]) -> tuple[int, int]:
    """Mediators of these organisations, and how many of them are full-time."""
    rows = roster_by_org(session, org_ids, None, None).values()
    return sum(row[0] for row in rows), sum(row[1] for row in rows)


def orgs_by_level(session: Session, org_ids: Collection[uuid.UUID] | None) -> dict[OrgLevel, int]:
    """How many organisations of each level (committees by type)."""
    select = sa.select(OrgUnit.level, sa.func.count()).group_by(OrgUnit.level)
    if org_ids is not None:
        select = select.where(OrgUnit.id.in_(list(org_ids)))
    return {level: int(count) for level, count in session.execute(select)}


def per_mediator(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """Per mediator assigned (not recused) to the cases in scope: ``(mediator_id, cases, successful, failed,
    terminated, days_total, timed, follow_ups)``; days run from intake to the end of mediation."""
    dialect = dialect_of(session)
    kind = Outcome.kind
    mediated = kind.in_(MEDIATED)
    ended = sa.func.coalesce(DisputeCase.closing_date, Outcome.decided_on, type_=sa.Date)
    visits = sa.select(FollowUp.case_id, sa.func.count().label("visits")).group_by(FollowUp.case_id).subquery("visits")
    # SQLite would walk the mediator index for the grouping, reading the assignments in random order: scan them
    mediator_key: sa.ColumnElement[Any] = CaseMediator.mediator_id.expression
    if dialect == "sqlite":
        mediator_key = sa.literal_column(f"+{CaseMediator.__tablename__}.mediator_id", type_=sa.Uuid)
    select = (
        sa.select(
            CaseMediator.mediator_id,
            sa.func.count(),
            _count_if(kind.in_(SUCCESSFUL)),
            _count_if(kind == OutcomeKind.FAILED),
            _count_if(kind == OutcomeKind.TERMINATED),
            _sum_if(mediated & ended.is_not(None), days_between(ended, DisputeCase.intake_date.expression, dialect)),
            _count_if(mediated & ended.is_not(None)),
            sa.func.coalesce(sa.func.sum(visits.c.visits), ZERO),
        )
        .select_from(CaseMediator)
        .join(DisputeCase, DisputeCase.id == CaseMediator.case_id)
        .outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
        .outerjoin(visits, visits.c.case_id == DisputeCase.id)
        .where(CaseMediator.recused.is_(False))
        .group_by(mediator_key)
    )
    return [tuple(row) for row in session.execute(scoped(select, scope, dialect))]


def per_mediator_summary(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """``per_mediator``'s rows from the per-case table of the summary (``stats_case``, kept with it): a scan of that
    narrow table in case order beside the assignments' covering index in the same order, instead of a million
    random probes into the cases and their outcomes. Only when the summary is current (``stats_summary.usable``)."""
    dialect = dialect_of(session)
    case, assigned = stats_case, CaseMediator.__table__
    mediated = (case.c.successful + case.c.failed + case.c.terminated) > 0
    timed = mediated & case.c.ended_on.is_not(None)
    # SQLite: the unary plus keeps the planner from probing stats_case by key; it scans it in key order instead
    case_key = sa.literal_column("+stats_case.case_id", type_=sa.Uuid) if dialect == "sqlite" else case.c.case_id
    select = (
        sa.select(
            assigned.c.mediator_id,
            sa.func.count(),
            sa.func.sum(case.c.successful),
            sa.func.sum(case.c.failed),
            sa.func.sum(case.c.terminated),
            _sum_if(timed, days_between(case.c.ended_on, case.c.intake_date, dialect)),
            _count_if(timed),
            sa.func.sum(case.c.follow_ups),
        )
        .select_from(case)
        .join(assigned, (assigned.c.case_id == case_key) & assigned.c.recused.is_(False))
        .group_by(assigned.c.mediator_id)
    )
    day = case.c.intake_date if scope.basis is Basis.INTAKE else case.c.ended_on
    return [tuple(row) for row in session.execute(within(select, scope, case.c.org_id, day))]


def mediators_of(
    session: Session, org_ids: Collection[uuid.UUID] | None, mediator_ids: Collection[uuid.UUID]
) -> list[Mediator]:
    """The roster of these organisations, and the mediators named (who worked on cases in them from elsewhere)."""
    select = sa.select(Mediator).order_by(Mediator.org_id, Mediator.name)
    if org_ids is not None:
        select = select.where(sa.or_(Mediator.org_id.in_(list(org_ids)), Mediator.id.in_(list(mediator_ids))))
    return list(session.scalars(select))
