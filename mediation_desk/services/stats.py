"""Statistics for a period and an organisation subtree: one aggregate query, grouped in Python.

The query groups by (organisation, category, source) with conditional sums, so its result has at most a few
thousand rows whatever the number of cases; totals, categories, sources and organisations are sums of it.
A case belongs to a period by its intake date (受理日期).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseSource, Employment, OutcomeKind, categories
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.statistics import Counts
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store.models import DisputeCase, Mediator, OrgUnit, Outcome, ScreeningRound

OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


@dataclass(slots=True)
class StatsQuery:
    date_from: date | None = None
    date_to: date | None = None
    org_code: str | None = None


@dataclass(slots=True)
class Group:
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, **self.counts.as_json()}


@dataclass(slots=True)
class Statistics:
    org_code: str
    org_name: str
    date_from: date | None
    date_to: date | None
    totals: Counts
    by_category: list[Group]
    by_source: list[Group]
    by_org: list[Group]
    screening_rounds: int = 0
    disputes_found: int = 0
    disputes_prevented: int = 0
    escalations_prevented: int = 0
    mediators: int = 0
    full_time_mediators: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": {
                "org": self.org_code,
                "org_name": self.org_name,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "period_basis": "intake_date",
            },
            "totals": self.totals.as_json(),
            "by_category": [group.as_json() for group in self.by_category],
            "by_source": [group.as_json() for group in self.by_source],
            "by_org": [group.as_json() for group in self.by_org],
            "screening": {
                "rounds": self.screening_rounds,
                "disputes_found": self.disputes_found,
                "disputes_prevented": self.disputes_prevented,
                "escalations_prevented": self.escalations_prevented,
            },
            "mediators": {"total": self.mediators, "full_time": self.full_time_mediators},
        }


# Above this many organisations in the subtree, SQLite scans the table instead of walking the organisation index:
# a walk reads rows in index order, which for most of the table costs about twice a plain scan.
SCAN_ABOVE_ORGS = 20


def _unindexed(column: sa.orm.InstrumentedAttribute[Any], dialect: str) -> sa.ColumnElement[Any]:
    """SQLite's unary-plus idiom: the same column, but the planner will not choose an index for it."""
    if dialect != "sqlite":
        return column.expression
    return sa.literal_column(f"+{DisputeCase.__tablename__}.{column.key}", type_=column.type)


def _aggregate_query(org_ids: list[uuid.UUID] | None, query: StatsQuery, dialect: str) -> sa.Select[Any]:
    """Counts per (organisation, category, source); ``org_ids`` None means every organisation on file."""
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
    if query.date_from:
        select = select.where(DisputeCase.intake_date >= query.date_from)
    if query.date_to:
        select = select.where(DisputeCase.intake_date <= query.date_to)
    return select


def _rollup(grouped: sa.Select[Any]) -> sa.CompoundSelect[Any]:
    """Sum the (organisation, category, source) groups again by each key alone, in the database.

    The grouped query is a CTE read three times (SQLite materialises it once), so a few hundred rows come back
    instead of one per group: folding ~12,000 groups in Python cost as much as the scan itself.
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


def compute(session: Session, root: OrgUnit, query: StatsQuery) -> Statistics:
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationError("统计截止日期不能早于开始日期")
    orgs = {org.id: org for org in session.scalars(sa.select(OrgUnit))}
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for org in orgs.values():
        children.setdefault(org.parent_id, []).append(org.id)
    # every organisation in the subtree, mapped to its bucket: the root itself or one of its direct children
    bucket: dict[uuid.UUID, uuid.UUID] = {root.id: root.id}
    for child in children.get(root.id, []):
        stack = [child]
        while stack:
            current = stack.pop()
            if current in bucket:
                continue
            bucket[current] = child
            stack.extend(children.get(current, []))

    # per-category, per-source and per-organisation vectors of counts; organisations fold into their bucket
    sums: dict[str, dict[Any, list[int]]] = {"category": {}, "source": {}, "org": {}}
    by_raw_id = {str(org_id): target for org_id, target in bucket.items()}
    by_raw_id.update({org_id.hex: target for org_id, target in bucket.items()})  # SQLite keeps UUIDs as hex
    # the whole tree (a county or province database): no organisation filter, and no bind-parameter limit to meet
    scope = None if len(bucket) == len(orgs) else list(bucket)
    grouped = _aggregate_query(scope, query, session.get_bind().dialect.name)
    for kind, raw_key, *values in session.execute(_rollup(grouped)):
        key = by_raw_id[str(raw_key)] if kind == "org" else raw_key
        table = sums[kind]
        previous = table.get(key)
        vector = [int(value or 0) for value in values]
        table[key] = vector if previous is None else [a + b for a, b in zip(previous, vector, strict=True)]
    sum_category, sum_source, sum_org = sums["category"], sums["source"], sums["org"]

    def group(code: str, name: str, vector: list[int] | None) -> Group:
        return Group(code, name, Counts(*(int(value) for value in vector)) if vector else Counts())

    by_category = [group(c.code, c.name, sum_category.pop(c.code, None)) for c in categories()]
    by_category += [group(code, code, vector) for code, vector in sorted(sum_category.items())]
    by_source = [group(s.value, s.label, sum_source.get(s.value)) for s in CaseSource]
    by_org = {target: group(orgs[target].code, orgs[target].name, vector) for target, vector in sum_org.items()}
    totals = Counts()
    for item in by_source:
        totals.add(item.counts)

    statistics = Statistics(
        root.code,
        root.name,
        query.date_from,
        query.date_to,
        totals,
        by_category,
        by_source,
        sorted(by_org.values(), key=lambda group: group.code),
    )
    _screening(session, list(bucket), query, statistics)
    mediators = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((Mediator.employment == Employment.FULL_TIME, 1), else_=0)), 0),
        ).where(Mediator.org_id.in_(list(bucket)))
    ).one()
    statistics.mediators, statistics.full_time_mediators = int(mediators[0]), int(mediators[1])
    return statistics


def _screening(session: Session, org_ids: list[uuid.UUID], query: StatsQuery, statistics: Statistics) -> None:
    select = sa.select(
        sa.func.coalesce(sa.func.sum(ScreeningRound.rounds), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.disputes_found), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.disputes_prevented), 0),
        sa.func.coalesce(sa.func.sum(ScreeningRound.escalations_prevented), 0),
    ).where(ScreeningRound.org_id.in_(org_ids))
    if query.date_from:
        select = select.where(ScreeningRound.period_end >= query.date_from)
    if query.date_to:
        select = select.where(ScreeningRound.period_start <= query.date_to)
    row = session.execute(select).one()
    statistics.screening_rounds, statistics.disputes_found = int(row[0]), int(row[1])
    statistics.disputes_prevented, statistics.escalations_prevented = int(row[2]), int(row[3])


def statistics(desk: Desk, query: StatsQuery | None = None) -> Statistics:
    """Indicators for the period over the organisation's subtree (default: this desk's organisation)."""
    query = query or StatsQuery()
    with desk.read() as session:
        root = find_org(session, query.org_code) if query.org_code else desk.own_org(session)
        return compute(session, root, query)
