"""The statistics summary: every count per (basis, month, organisation) and dimension, kept in the same
transaction as every change of the cases it counts.

Tables (migration 0006): ``stats_summary`` holds the sums; ``stats_case`` each case's contribution as last summed
in (and its dates and follow-up visits, for the mediators' figures); ``stats_dirty`` the cases changed since.
Triggers on ``dispute_case``, ``outcome``, ``judicial_confirmation`` and ``follow_up`` put every changed case into
``stats_dirty``, whatever wrote it: an ORM flush, the bulk writer, a sync merge, a raw connection. No write path
can bypass them.

At every commit of a connection that wrote (``store.settling``: an engine's ``commit`` event, before the database
commits), ``settle`` takes the dirty cases in a few set-based statements: their stored contributions are
subtracted from the summary, their contributions are computed afresh from the cases (the rules of
``store.queries.stats.case_terms``, the same expressions the exact query sums) and added, and ``stats_dirty`` is
emptied. A reader uses the summary only when ``stats_dirty`` is empty (``usable``), so a change written some way
that never commits through an engine of ours still gives exact figures (the exact query), until the next commit
settles it.

A summary row whose cases fell to 0 stays (all of its counts are 0 then) and is never read: the report's sums keep
only groups with cases, as the exact query returns only groups that have some.
"""

from __future__ import annotations

import functools
import uuid
import weakref
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.statistics import Basis
from mediation_desk.store import settling
from mediation_desk.store.models import (
    STATS_COUNTS,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Outcome,
    stats_case,
    stats_dirty,
    stats_summary,
)
from mediation_desk.store.queries import stats as stats_queries

SUMMARY_KEY = ("basis", "month", "org_id", "dim", "key")
CASE_KEYS = ("org_id", "category", "subtype", "source", "intake_month", "closing_month")
DIMENSIONS = ("total", "category", "subtype", "source")

DEFER = settling.DEFER  # connection.info: do not settle at commit (migrations: the schema is not at head)
_READY: weakref.WeakSet[sa.Engine] = weakref.WeakSet()  # engines whose database has the summary tables

Connectable = sa.Connection | Session


def _connection(target: Connectable) -> sa.Connection:
    return target.connection() if isinstance(target, Session) else target


def has_summary(connection: sa.Connection) -> bool:
    """Whether the database has the summary (migration 0006); remembered per engine once it has."""
    engine = connection.engine
    if engine in _READY:
        return True
    if sa.inspect(connection).has_table(stats_dirty.name):
        _READY.add(engine)
        return True
    return False


# ---------------------------------------------------------------------------------------------------------------
# settling


def _dirty_ids() -> sa.Select[tuple[uuid.UUID]]:
    return sa.select(stats_dirty.c.case_id)


def contributions(dialect: str, case_ids: Any) -> sa.Select[Any]:
    """Each case's keys and counts (``stats_case``'s columns) from the cases themselves, for ``case_ids`` (a
    subquery or a list)."""
    closing = stats_queries.period_date(Basis.CLOSING)
    applied = sa.exists().where(JudicialConfirmation.case_id == DisputeCase.id)
    granted = applied.where(JudicialConfirmation.granted.is_(True))
    one, zero = stats_queries.ONE, stats_queries.ZERO
    columns: list[sa.ColumnElement[Any]] = [
        DisputeCase.id.expression,
        DisputeCase.org_id.expression,
        sa.type_coerce(DisputeCase.category, sa.String),
        DisputeCase.subtype.expression,
        sa.type_coerce(DisputeCase.source, sa.String),
        stats_queries.month_label(DisputeCase.intake_date.expression, dialect),
        stats_queries.month_label(closing, dialect),
        *stats_queries.case_terms(),
        sa.case((applied, one), else_=zero),
        sa.case((granted, one), else_=zero),
        DisputeCase.intake_date.expression,
        closing,
        sa.select(sa.func.count()).where(FollowUp.case_id == DisputeCase.id).scalar_subquery(),
    ]
    names = [column.name for column in stats_case.columns]
    return (
        sa.select(*(column.label(name) for column, name in zip(columns, names, strict=True)))
        .select_from(DisputeCase)
        .outerjoin(Outcome, Outcome.case_id == DisputeCase.id)
        .where(DisputeCase.id.in_(case_ids))
    )


def _summary_rows(source: Any, name: str) -> sa.Subquery:
    """Contributions (any selectable with ``stats_case``'s key and count columns) as summary rows, unsummed: one per
    basis and dimension."""
    parts = []
    for basis, month in (("intake", source.c.intake_month), ("closing", source.c.closing_month)):
        for dim in DIMENSIONS:
            key = sa.literal_column("''", sa.String) if dim == "total" else source.c[dim]
            part = sa.select(
                sa.literal_column(f"'{basis}'", sa.String).label("basis"),
                month.label("month"),
                source.c.org_id.label("org_id"),
                sa.literal_column(f"'{dim}'", sa.String).label("dim"),
                sa.type_coerce(key, sa.String).label("key"),
                *(source.c[count] for count in STATS_COUNTS),
            ).where(sa.true())
            if basis == "closing":
                part = part.where(month.is_not(None))
            if dim == "subtype":
                part = part.where(source.c.subtype.is_not(None))  # a case without one counts under its category
            parts.append(part)
    return sa.union_all(*parts).subquery(name)


def _expanded(where: sa.ColumnElement[bool] | None) -> sa.Subquery:
    """The stored contributions (of the cases ``where`` selects) as summary rows, grouped by their six keys first
    (a million cases fall into far fewer groups)."""
    keys = [stats_case.c[key] for key in CASE_KEYS]
    grouped = sa.select(*keys, *(sa.func.sum(stats_case.c[count]).label(count) for count in STATS_COUNTS))
    if where is not None:
        grouped = grouped.where(where)
    return _summary_rows(grouped.group_by(*keys).cte("stats_groups"), "stats_rows")


def _upsert(dialect: str, where: sa.ColumnElement[bool] | None, sign: int) -> sa.Insert:
    """Add (``sign`` 1) or subtract (-1) the stored contributions of the cases ``where`` selects."""
    rows = _expanded(where)
    factor = sa.literal_column(str(sign), sa.Integer)
    summed = (
        sa.select(*(rows.c[key] for key in SUMMARY_KEY), *(factor * sa.func.sum(rows.c[n]) for n in STATS_COUNTS))
        .where(sa.true())  # SQLite: an INSERT … SELECT before ON CONFLICT needs a WHERE
        .group_by(*(rows.c[key] for key in SUMMARY_KEY))
    )
    statement: Any  # either dialect's INSERT, with the same ON CONFLICT clause
    if dialect == "postgresql":  # the PostgreSQL dialect (and its drivers' modules) loaded only on PostgreSQL
        from sqlalchemy.dialects import postgresql

        statement = postgresql.insert(stats_summary)
    else:
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(stats_summary)
    statement = statement.from_select([*SUMMARY_KEY, *STATS_COUNTS], summed)
    upsert: sa.Insert = statement.on_conflict_do_update(
        index_elements=list(SUMMARY_KEY),
        set_={name: stats_summary.c[name] + statement.excluded[name] for name in STATS_COUNTS},
    )
    return upsert


@functools.cache
def _settling(dialect: str) -> tuple[sa.Executable, ...]:
    """The statements of ``settle``, in order, built once per dialect (building them costs more than running them
    for the one case a commit usually changed)."""
    dirty = stats_case.c.case_id.in_(_dirty_ids())
    fresh = contributions(dialect, _dirty_ids())
    return (
        _upsert(dialect, dirty, -1),
        sa.delete(stats_case).where(dirty),
        sa.insert(stats_case).from_select([c.name for c in stats_case.columns], fresh),
        _upsert(dialect, dirty, 1),
        sa.delete(stats_dirty),
    )


def settle(target: Connectable) -> int:
    """Bring the summary up to date with the dirty cases, in the caller's transaction; how many there were: their
    stored contributions out, their fresh ones in, ``stats_dirty`` emptied."""
    connection = _connection(target)
    pending = int(connection.scalar(sa.select(sa.func.count()).select_from(stats_dirty)) or 0)
    if not pending:
        return 0
    for statement in _settling(connection.dialect.name):
        connection.execute(statement)
    return pending


def refresh_cases(target: Connectable, case_ids: Collection[uuid.UUID]) -> None:
    """Mark these cases changed and settle now (the triggers mark every change already; this is for a caller that
    wants the summary current before its commit)."""
    connection = _connection(target)
    ids = sorted(set(case_ids), key=str)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known = set(connection.scalars(sa.select(stats_dirty.c.case_id).where(stats_dirty.c.case_id.in_(chunk))))
        fresh = [{"case_id": case_id} for case_id in chunk if case_id not in known]
        if fresh:
            connection.execute(sa.insert(stats_dirty), fresh)
    settle(connection)


def rebuild(target: Connectable) -> None:
    """Recompute the whole summary from the cases, set-based (a repair: the triggers and ``settle`` keep it)."""
    connection = _connection(target)
    connection.execute(sa.delete(stats_summary))
    connection.execute(sa.delete(stats_case))
    connection.execute(sa.delete(stats_dirty))
    fresh = contributions(connection.dialect.name, sa.select(DisputeCase.id))
    connection.execute(sa.insert(stats_case).from_select([c.name for c in stats_case.columns], fresh))
    connection.execute(_upsert(connection.dialect.name, None, 1))


# ---------------------------------------------------------------------------------------------------------------
# at every commit


def settle_if_ready(connection: sa.Connection) -> None:
    """What ``store.settling`` runs at every commit that wrote: ``settle`` once the tables exist."""
    if has_summary(connection):
        settle(connection)


# ---------------------------------------------------------------------------------------------------------------
# reading


def usable(session: Session) -> bool:
    """Whether the summary is current: the tables exist and no change waits to be settled."""
    connection = session.connection()
    if not has_summary(connection):
        return False
    return connection.scalar(sa.select(sa.literal(1)).select_from(stats_dirty).limit(1)) is None


def recomputed(target: Connectable) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The summary a full recompute from the cases gives, without writing: ``summary key → counts`` (rows with
    cases only). For the no-drift tests and ``stats check``-style audits."""
    connection = _connection(target)
    fresh = contributions(connection.dialect.name, sa.select(DisputeCase.id)).subquery("fresh")
    rows = _summary_rows(fresh, "fresh_rows")
    summed = sa.select(*(rows.c[key] for key in SUMMARY_KEY), *(sa.func.sum(rows.c[n]) for n in STATS_COUNTS)).group_by(
        *(rows.c[key] for key in SUMMARY_KEY)
    )
    return _keyed(connection.execute(summed))


def stored(target: Connectable) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The summary as stored: ``summary key → counts`` (rows with cases only)."""
    connection = _connection(target)
    select = sa.select(*(stats_summary.c[key] for key in SUMMARY_KEY), *(stats_summary.c[n] for n in STATS_COUNTS))
    return _keyed(connection.execute(select.where(stats_summary.c.cases != 0)))


def _keyed(rows: Any) -> dict[tuple[Any, ...], tuple[int, ...]]:
    width = len(SUMMARY_KEY)
    return {tuple(row[:width]): tuple(int(value or 0) for value in row[width:]) for row in rows}
