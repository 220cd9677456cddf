"""Statistics for a period and an organisation subtree: the indicators of ``domain.statistics``, from the
aggregate queries of ``store.queries.stats``.

The database returns the case counts summed by organisation, category, sub-type, source and month; here the
organisations are folded into the tree (every level: each organisation's figures are its own cases plus those of
everything below it), the groupings are put in report order, and the per-organisation records (screening,
roster) are summed the same way. Nothing here reads a case: a county's million cases arrive as a few hundred rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseSource, Employment, OrgLevel, all_categories, categories
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.statistics import Basis, Counts, Grouping, MediatorCounts, Roster, Screening
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store import stats_summary
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.queries import stats as stats_queries
from mediation_desk.store.queries.orgs import all_orgs

COMMITTEE_LEVELS = (OrgLevel.VILLAGE, OrgLevel.TOWNSHIP_COMMITTEE, OrgLevel.PROFESSIONAL, OrgLevel.STUDIO)


@dataclass(slots=True)
class StatsQuery:
    date_from: date | None = None
    date_to: date | None = None
    org_code: str | None = None
    basis: Basis = Basis.INTAKE
    by: Grouping | None = None  # the grouping a report leads with; MEDIATOR also computes the mediators' figures


@dataclass(slots=True)
class Group:
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)
    parent: str | None = None  # a sub-type's category

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, **self.counts.as_json()}

    def report_json(self) -> dict[str, Any]:
        extra = {"category": self.parent} if self.parent is not None else {}
        return {"code": self.code, "name": self.name, **extra, **self.counts.report_json()}


@dataclass(slots=True)
class OrgNode:
    """One organisation of the subtree with the figures of everything at and below it."""

    id: uuid.UUID
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None
    depth: int  # 0 for the report's organisation
    counts: Counts = field(default_factory=Counts)
    own: Counts = field(default_factory=Counts)  # the cases recorded by the organisation itself
    screening: Screening = field(default_factory=Screening)
    roster: Roster = field(default_factory=Roster)
    children: list[OrgNode] = field(default_factory=list)

    def report_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level.value,
            "level_name": self.level.label,
            "parent": self.parent_code,
            "depth": self.depth,
            "own_cases": self.own.cases,
            **self.counts.report_json(),
            "screening": self.screening.as_json(),
            "mediators": _roster_json(self.roster),
        }


@dataclass(slots=True)
class MediatorRow:
    id: uuid.UUID
    name: str
    org_code: str
    org_name: str
    full_time: bool
    legal_instructor: bool
    counts: MediatorCounts = field(default_factory=MediatorCounts)

    def report_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "org": self.org_code,
            "org_name": self.org_name,
            "full_time": self.full_time,
            "legal_instructor": self.legal_instructor,
            **self.counts.as_json(),
        }


def _roster_json(roster: Roster) -> dict[str, int]:
    return {"total": roster.mediators, "full_time": roster.full_time, "legal_instructors": roster.legal_instructors}


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
    basis: Basis = Basis.INTAKE
    by: Grouping | None = None
    by_subtype: list[Group] = field(default_factory=list)
    by_month: list[Group] = field(default_factory=list)
    org_tree: list[OrgNode] = field(default_factory=list)  # the subtree, depth first, the report's organisation first
    screening: Screening = field(default_factory=Screening)
    roster: Roster = field(default_factory=Roster)
    committees: dict[OrgLevel, int] = field(default_factory=dict)
    by_mediator: list[MediatorRow] | None = None  # computed when the report is by mediator

    # the figures under the names they have always had
    @property
    def screening_rounds(self) -> int:
        return self.screening.rounds

    @property
    def disputes_found(self) -> int:
        return self.screening.disputes_found

    @property
    def disputes_prevented(self) -> int:
        return self.screening.disputes_prevented

    @property
    def escalations_prevented(self) -> int:
        return self.screening.escalations_prevented

    @property
    def mediators(self) -> int:
        return self.roster.mediators

    @property
    def full_time_mediators(self) -> int:
        return self.roster.full_time

    def groups(self, grouping: Grouping) -> list[Group]:
        """The groups of a grouping (organisations one level down; not for ``MEDIATOR``)."""
        table = {
            Grouping.ORG: self.by_org,
            Grouping.CATEGORY: self.by_category,
            Grouping.SUBTYPE: self.by_subtype,
            Grouping.SOURCE: self.by_source,
            Grouping.MONTH: self.by_month,
        }
        return table[grouping]

    def _scope(self) -> dict[str, Any]:
        return {
            "org": self.org_code,
            "org_name": self.org_name,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "period_basis": self.basis.column,
        }

    def as_json(self) -> dict[str, Any]:
        """The figures DESIGN.md's contract names, in the shape they have always had (saved snapshots compare
        them); ``report_json`` is the whole report."""
        return {
            "scope": self._scope(),
            "totals": self.totals.as_json(),
            "by_category": [group.as_json() for group in self.by_category],
            "by_source": [group.as_json() for group in self.by_source],
            "by_org": [group.as_json() for group in self.by_org],
            "screening": {
                "rounds": self.screening.rounds,
                "disputes_found": self.screening.disputes_found,
                "disputes_prevented": self.screening.disputes_prevented,
                "escalations_prevented": self.screening.escalations_prevented,
            },
            "mediators": {"total": self.roster.mediators, "full_time": self.roster.full_time},
        }

    def report_json(self) -> dict[str, Any]:
        """Everything ``stats --json`` prints: every key of ``as_json`` and every other indicator and grouping."""
        scope = {
            **self._scope(),
            "basis": self.basis.value,
            "basis_name": self.basis.label,
            "by": self.by.value if self.by else None,
        }
        report: dict[str, Any] = {
            "scope": scope,
            "totals": self.totals.report_json(),
            "by_category": [group.report_json() for group in self.by_category],
            "by_subtype": [group.report_json() for group in self.by_subtype],
            "by_source": [group.report_json() for group in self.by_source],
            "by_month": [group.report_json() for group in self.by_month],
            "by_org": [group.report_json() for group in self.by_org],
            "org_tree": [node.report_json() for node in self.org_tree],
            "screening": self.screening.as_json(),
            "mediators": _roster_json(self.roster),
            "committees": {
                "total": sum(self.committees.get(level, 0) for level in COMMITTEE_LEVELS),
                "by_level": [
                    {"level": level.value, "name": level.label, "count": self.committees.get(level, 0)}
                    for level in OrgLevel
                ],
            },
        }
        if self.by_mediator is not None:
            report["by_mediator"] = [row.report_json() for row in self.by_mediator]
        return report


# ---------------------------------------------------------------------------------------------------------------
# the organisation tree


def _tree(orgs: list[OrgUnit], root: OrgUnit) -> list[OrgNode]:
    """The subtree below ``root``, depth first in code order, linked to its children."""
    by_id = {org.id: org for org in orgs}
    children: dict[uuid.UUID | None, list[OrgUnit]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)

    def node(org: OrgUnit, depth: int) -> OrgNode:
        parent = by_id.get(org.parent_id) if org.parent_id else None
        return OrgNode(org.id, org.code, org.name, org.level, parent.code if parent else None, depth)

    top = node(root, 0)
    ordered = [top]
    stack = [(top, sorted(children.get(root.id, []), key=lambda org: org.code, reverse=True))]
    seen = {root.id}
    while stack:
        parent_node, pending = stack[-1]
        if not pending:
            stack.pop()
            continue
        org = pending.pop()
        if org.id in seen:  # a cycle in bad reference data: count each organisation once
            continue
        seen.add(org.id)
        child = node(org, parent_node.depth + 1)
        parent_node.children.append(child)
        ordered.append(child)
        stack.append((child, sorted(children.get(org.id, []), key=lambda org: org.code, reverse=True)))
    return ordered


def _sum_up(ordered: list[OrgNode]) -> None:
    """Add every node's figures into its parent's, deepest first (``ordered`` is depth first)."""
    parents = {child.id: node for node in ordered for child in node.children}
    for node in reversed(ordered):
        parent = parents.get(node.id)
        if parent is not None:
            parent.counts.add(node.counts)
            parent.screening.add(node.screening)
            parent.roster.add(node.roster)


# ---------------------------------------------------------------------------------------------------------------
# the groupings


Vectors = dict[str, dict[str | None, list[int]]]


def _vectors(session: Session, scope: stats_queries.Scope) -> Vectors:
    """``kind → key → the Counts vector``: from the summary when it is current and the period is whole months
    (``store.stats_summary``), else from the exact aggregates over the cases and the judicial confirmations."""
    width = len(Counts.names())
    found: Vectors = {kind: {} for kind in stats_queries.KEYS}
    offset = len(stats_queries.CASE_FIELDS)
    sources: list[tuple[list[tuple[Any, ...]], int]]
    if stats_queries.summary_answers(scope) and stats_summary.usable(session):
        sources = [(stats_queries.summary_counts(session, scope), 0)]  # whole months: the summary, every count
    else:
        sources = [
            (stats_queries.case_counts(session, scope), 0),
            (stats_queries.judicial_counts(session, scope), offset),
        ]
    for rows, start in sources:
        for kind, key, *values in rows:
            vector = found[kind].setdefault(None if key is None else str(key), [0] * width)
            for index, value in enumerate(values):
                vector[start + index] += int(value or 0)
    return found


def _counts(vector: list[int] | None) -> Counts:
    return Counts(*vector) if vector else Counts()


def _categories(table: dict[str | None, list[int]]) -> list[Group]:
    table = dict(table)
    groups = [Group(c.code, c.name, _counts(table.pop(c.code, None))) for c in categories()]
    groups += [Group(str(code), str(code), _counts(vector)) for code, vector in sorted(table.items(), key=_text_key)]
    return groups


def _text_key(item: tuple[str | None, list[int]]) -> str:
    return item[0] or ""


def _subtypes(table: dict[str | None, list[int]]) -> list[Group]:
    known = all_categories()
    groups = []
    for code, vector in sorted(table.items(), key=_text_key):
        if code is None:
            continue  # a case without a sub-type counts under its category only
        category = known.get(code)
        name = category.name if category else code
        groups.append(Group(code, name, _counts(vector), category.top if category else code[:2]))
    return groups


def _month_span(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return months


def _months(table: dict[str | None, list[int]], date_from: date | None, date_to: date | None) -> list[Group]:
    """Every month from the first to the last (the period's ends when given), empty months included."""
    present = sorted(code for code in table if code)
    ends = present + [f"{day:%Y-%m}" for day in (date_from, date_to) if day]
    if not ends:
        return []
    first = f"{date_from:%Y-%m}" if date_from else min(ends)
    last = f"{date_to:%Y-%m}" if date_to else max(ends)
    return [
        Group(month, f"{month[:4]}年{int(month[5:])}月", _counts(table.get(month)))
        for month in _month_span(first, last)
    ]


def _fill_tree(
    session: Session, ordered: list[OrgNode], vectors: Vectors, org_filter: list[uuid.UUID] | None, query: StatsQuery
) -> None:
    by_raw: dict[str, OrgNode] = {}
    for node in ordered:
        by_raw[str(node.id)] = node
        by_raw[node.id.hex] = node  # SQLite keeps UUIDs as hex
    for key, vector in vectors["org_id"].items():
        found = by_raw.get(str(key))
        if found is not None:
            found.own = _counts(vector)
            found.counts = _counts(vector)
    by_id = {node.id: node for node in ordered}
    for org_id, screening in stats_queries.screening_by_org(
        session, org_filter, query.date_from, query.date_to
    ).items():
        if org_id in by_id:
            by_id[org_id].screening = Screening(*screening)
    for org_id, roster in stats_queries.roster_by_org(session, org_filter, query.date_from, query.date_to).items():
        if org_id in by_id:
            by_id[org_id].roster = Roster(*roster)
    _sum_up(ordered)


def _by_org(top: OrgNode) -> list[Group]:
    """The report's organisation for its own cases, and each organisation one level down with its subtree's."""
    groups = [Group(top.code, top.name, top.own)] if top.own.cases else []
    groups += [Group(child.code, child.name, child.counts) for child in top.children if child.counts.cases]
    return sorted(groups, key=lambda group: group.code)


# ---------------------------------------------------------------------------------------------------------------


def _mediators(session: Session, scope: stats_queries.Scope, orgs: dict[uuid.UUID, OrgUnit]) -> list[MediatorRow]:
    current = stats_summary.usable(session)  # its per-case table then holds every case's dates and visits
    found = (stats_queries.per_mediator_summary if current else stats_queries.per_mediator)(session, scope)
    figures = {row[0]: MediatorCounts(*(int(value or 0) for value in row[1:])) for row in found}
    roster = stats_queries.mediators_of(session, scope.org_ids, list(figures))
    rows = []
    for mediator in roster:
        org = orgs.get(mediator.org_id)
        rows.append(
            MediatorRow(
                mediator.id,
                mediator.name,
                org.code if org else "",
                org.name if org else "",
                mediator.employment is Employment.FULL_TIME,
                mediator.legal_instructor,
                figures.get(mediator.id, MediatorCounts()),
            )
        )
    return sorted(rows, key=lambda row: (row.org_code, -row.counts.cases, row.name))


def compute(session: Session, root: OrgUnit, query: StatsQuery) -> Statistics:
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationError("统计截止日期不能早于开始日期")
    orgs = all_orgs(session)
    ordered = _tree(orgs, root)
    # the whole tree (a county or province database): no organisation filter, and no bind-parameter limit to meet
    org_filter = None if len(ordered) == len(orgs) else [node.id for node in ordered]
    scope = stats_queries.Scope(org_filter, query.date_from, query.date_to, query.basis)
    vectors = _vectors(session, scope)
    _fill_tree(session, ordered, vectors, org_filter, query)
    top = ordered[0]
    statistics = Statistics(
        root.code,
        root.name,
        query.date_from,
        query.date_to,
        top.counts,
        _categories(vectors["category"]),
        [Group(s.value, s.label, _counts(vectors["source"].get(s.value))) for s in CaseSource],
        _by_org(top),
        basis=query.basis,
        by=query.by,
        by_subtype=_subtypes(vectors["subtype"]),
        by_month=_months(vectors["month"], query.date_from, query.date_to),
        org_tree=ordered,
        screening=top.screening,
        roster=top.roster,
    )
    by_id = {org.id: org for org in orgs}
    for node in ordered:
        if by_id[node.id].active:
            statistics.committees[node.level] = statistics.committees.get(node.level, 0) + 1
    if query.by is Grouping.MEDIATOR:
        statistics.by_mediator = _mediators(session, scope, by_id)
    return statistics


def statistics(desk: Desk, query: StatsQuery | None = None) -> Statistics:
    """Indicators for the period over the organisation's subtree (default: this desk's organisation)."""
    query = query or StatsQuery()
    with desk.read() as session:
        root = find_org(session, query.org_code) if query.org_code else desk.own_org(session)
        return compute(session, root, query)
