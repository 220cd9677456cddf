"""Statistics for a period and an organisation subtree, from the aggregate queries of ``store.queries.stats``.

The case counts come back summed per category, per source and per organisation; organisations below the
subtree's root fold into the root's direct child they belong to, and the totals are the sum over the sources.
A case belongs to a period by its intake date (受理日期).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseSource, categories
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.statistics import Counts
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.queries import stats as stats_queries
from mediation_desk.store.queries.orgs import all_orgs


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


def _buckets(orgs: dict[uuid.UUID, OrgUnit], root: OrgUnit) -> dict[uuid.UUID, uuid.UUID]:
    """Every organisation in the subtree, mapped to its bucket: the root itself or one of its direct children."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for org in orgs.values():
        children.setdefault(org.parent_id, []).append(org.id)
    bucket: dict[uuid.UUID, uuid.UUID] = {root.id: root.id}
    for child in children.get(root.id, []):
        stack = [child]
        while stack:
            current = stack.pop()
            if current in bucket:
                continue
            bucket[current] = child
            stack.extend(children.get(current, []))
    return bucket


def _sums(
    session: Session, bucket: dict[uuid.UUID, uuid.UUID], whole_tree: bool, query: StatsQuery
) -> dict[str, dict[Any, list[int]]]:
    """Per-category, per-source and per-organisation vectors of counts; organisations fold into their bucket."""
    sums: dict[str, dict[Any, list[int]]] = {"category": {}, "source": {}, "org": {}}
    by_raw_id = {str(org_id): target for org_id, target in bucket.items()}
    by_raw_id.update({org_id.hex: target for org_id, target in bucket.items()})  # SQLite keeps UUIDs as hex
    # the whole tree (a county or province database): no organisation filter, and no bind-parameter limit to meet
    scope = None if whole_tree else list(bucket)
    for kind, raw_key, *values in stats_queries.case_counts(session, scope, query.date_from, query.date_to):
        key = by_raw_id[str(raw_key)] if kind == "org" else raw_key
        table = sums[kind]
        previous = table.get(key)
        vector = [int(value or 0) for value in values]
        table[key] = vector if previous is None else [a + b for a, b in zip(previous, vector, strict=True)]
    return sums


def _group(code: str, name: str, vector: list[int] | None) -> Group:
    return Group(code, name, Counts(*(int(value) for value in vector)) if vector else Counts())


def compute(session: Session, root: OrgUnit, query: StatsQuery) -> Statistics:
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationError("统计截止日期不能早于开始日期")
    orgs = {org.id: org for org in all_orgs(session)}
    bucket = _buckets(orgs, root)
    sums = _sums(session, bucket, len(bucket) == len(orgs), query)
    sum_category, sum_source, sum_org = sums["category"], sums["source"], sums["org"]

    by_category = [_group(c.code, c.name, sum_category.pop(c.code, None)) for c in categories()]
    by_category += [_group(code, code, vector) for code, vector in sorted(sum_category.items())]
    by_source = [_group(s.value, s.label, sum_source.get(s.value)) for s in CaseSource]
    by_org = {target: _group(orgs[target].code, orgs[target].name, vector) for target, vector in sum_org.items()}
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
    org_ids = list(bucket)
    screening = stats_queries.screening_totals(session, org_ids, query.date_from, query.date_to)
    statistics.screening_rounds, statistics.disputes_found = screening[0], screening[1]
    statistics.disputes_prevented, statistics.escalations_prevented = screening[2], screening[3]
    statistics.mediators, statistics.full_time_mediators = stats_queries.mediator_counts(session, org_ids)
    return statistics


def statistics(desk: Desk, query: StatsQuery | None = None) -> Statistics:
    """Indicators for the period over the organisation's subtree (default: this desk's organisation)."""
    query = query or StatsQuery()
    with desk.read() as session:
        root = find_org(session, query.org_code) if query.org_code else desk.own_org(session)
        return compute(session, root, query)
