"""Large case tables for the statistics benchmark, written in chunks so that a million cases fit in memory.

The cases, parties and outcomes are ``bench.data``'s (the same distribution as the other benchmarks); on top of
them come what the other indicators read: sub-types, the 民转刑 risk flag, the presiding mediator of each case
(from the roster already on the desk), follow-up visits and judicial confirmations. Everything is synthetic.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench.data import (
    TOWNSHIP_NAME,
    _bulk_case,
    _BulkTables,
    _insert,
    _Stamps,
    bench_year,
)
from mediation_desk.demo import Place, Synth
from mediation_desk.domain.codes import CaseMediatorRole, OutcomeKind, Performance, RiskFlag, all_categories
from mediation_desk.store.models import (
    Base,
    CaseMediator,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Mediator,
    OrgUnit,
    Outcome,
    Party,
)

CHUNK = 50_000


def _subtypes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for category in all_categories().values():
        if category.parent is not None:
            found.setdefault(category.parent, []).append(category.code)
    return found


def _tables(connection: sa.Connection, synth: Synth) -> tuple[_BulkTables, dict[uuid.UUID, list[uuid.UUID]]]:
    orgs = [
        (org_id, prefix)
        for org_id, prefix in connection.execute(
            sa.select(OrgUnit.id, OrgUnit.case_prefix).where(OrgUnit.level.in_(("village", "township")))
        )
    ]
    if not orgs:
        raise RuntimeError("the benchmark desk has no organisations to hold cases")
    roster: dict[uuid.UUID, list[uuid.UUID]] = {}
    for mediator_id, org_id in connection.execute(sa.select(Mediator.id, Mediator.org_id)):
        roster.setdefault(org_id, []).append(mediator_id)
    names = [synth.name() for _ in range(3000)]
    codes = [c.code for c in all_categories().values() if c.parent is None]
    place = Place(TOWNSHIP_NAME, "示例村")
    facts = {code: [synth.dispute(code, "甲", "乙", place).facts for _ in range(8)] for code in codes}
    stamp = _Stamps(datetime.now(UTC), uuid.uuid4())
    return _BulkTables(synth, bench_year(), orgs, names, codes, facts, stamp), roster


def _extras(tables: _BulkTables, roster: dict[uuid.UUID, list[uuid.UUID]]) -> dict[str, list[dict[str, Any]]]:
    """Sub-types and risk flags on the chunk's cases; their mediators, follow-ups and judicial confirmations."""
    rng = tables.synth.rng
    subtypes = _subtypes()
    by_id: dict[uuid.UUID, dict[str, Any]] = {}
    mediators: list[dict[str, Any]] = []
    for case in tables.cases:
        by_id[case["id"]] = case
        if case["category"] in subtypes and rng.random() < 0.5:
            case["subtype"] = rng.choice(subtypes[case["category"]])
        if rng.random() < 0.02:
            case["risk_flags"] = [RiskFlag.CRIMINAL.value]
        staff = roster.get(case["org_id"])
        if staff:
            row = tables.stamp()
            row.update(
                case_id=case["id"],
                mediator_id=rng.choice(staff),
                role=CaseMediatorRole.PRESIDING,
                assigned_on=case["intake_date"],
            )
            mediators.append(row)
    follow_ups: list[dict[str, Any]] = []
    confirmations: list[dict[str, Any]] = []
    limit = date.today() - timedelta(days=1)
    for outcome in tables.outcomes:
        kind, decided = outcome["kind"], outcome["decided_on"]
        if outcome["performance"] is not None and rng.random() < 0.3:
            row = tables.stamp()
            visited = min(decided + timedelta(days=rng.randint(5, 40)), limit)
            performance = Performance.PERFORMED if rng.random() < 0.9 else Performance.PARTLY
            row.update(case_id=outcome["case_id"], visited_on=visited, visited_party="当事人", visitor="调解员")
            row.update(performance=performance)
            outcome["performance"] = performance
            follow_ups.append(row)
        if kind is OutcomeKind.WRITTEN_AGREEMENT and rng.random() < 0.03:
            row = tables.stamp()
            applied = min(decided + timedelta(days=rng.randint(1, 25)), limit)
            granted = rng.random() < 0.9
            row.update(case_id=outcome["case_id"], applied_on=applied, court="缙云县人民法院", granted=granted)
            row.update(ruled_on=min(applied + timedelta(days=3), limit))
            confirmations.append(row)
    return {"mediators": mediators, "follow_ups": follow_ups, "confirmations": confirmations}


def _chunks(dates: list[date], size: int) -> Iterator[list[date]]:
    for start in range(0, len(dates), size):
        yield dates[start : start + size]


def stats_cases(engine: sa.Engine, count: int, seed: int = 3) -> int:
    """Insert ``count`` cases with their parties, outcomes, mediators, follow-ups and judicial confirmations over
    the village committees and townships on the desk, ``CHUNK`` cases at a time. Returns the number inserted."""
    synth = Synth(seed)
    with engine.connect() as connection:
        tables, roster = _tables(connection, synth)
    year = tables.year
    intakes = sorted(date(year, 1, 1) + timedelta(days=synth.rng.randrange(365)) for _ in range(count))
    metadata = Base.metadata.tables
    inserted = 0
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size = -200000")  # random UUID keys touch many pages
        for chunk in _chunks(intakes, CHUNK):
            for intake in chunk:
                _bulk_case(tables, intake)
            extras = _extras(tables, roster)
            _insert(connection, metadata[DisputeCase.__tablename__], tables.cases)
            _insert(connection, metadata[Party.__tablename__], tables.parties)
            _insert(connection, metadata[Outcome.__tablename__], tables.outcomes)
            _insert(connection, metadata[CaseMediator.__tablename__], extras["mediators"])
            _insert(connection, metadata[FollowUp.__tablename__], extras["follow_ups"])
            _insert(connection, metadata[JudicialConfirmation.__tablename__], extras["confirmations"])
            inserted += len(tables.cases)
            tables.cases.clear()
            tables.parties.clear()
            tables.outcomes.clear()
    return inserted
