"""County statistics over a large case table: the service against one hand-written SQL aggregate, same run, same
data (DESIGN.md: at most 2× that aggregate and under 1 s at 1,000,000 cases).

``stats`` runs at the mode's size (100,000 cases in full mode); ``stats_large`` at ten times it (1,000,000). The
desk is built once per size and run (demo roster of 261 villages, then ``bench.stats_data``), and reused by
the schema prototypes of ``bench.stats_schema``. Each report is checked against the aggregate, case for case.
The service reads the summary of ``store.stats_summary`` (migration 0006), settled for every inserted case in the
insert's own transaction; the aggregate still scans the cases.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bench import BenchResult, measure, sized_name
from bench.stats_data import stats_cases
from mediation_desk.demo import DEFAULT_VILLAGES, create_demo
from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.statistics import Basis, Grouping
from mediation_desk.services.cases import CaseFilter, get_case, list_cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.store import models, stats_summary
from mediation_desk.store.datadir import DataDir

if TYPE_CHECKING:
    from bench.benchmarks import Sizes

ACTOR = Actor("bench", UserRole.ADMIN)

BASELINE_TOTALS = """
SELECT
    count(*),
    sum(CASE WHEN o.kind IN ('written', 'oral') THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind = 'failed' THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind = 'terminated' THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind = 'refused' THEN 1 ELSE 0 END),
    sum(CASE WHEN c.status IN ('registered', 'accepted', 'mediating') THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind = 'written' THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind = 'oral' THEN 1 ELSE 0 END),
    sum(CASE WHEN o.kind IN ('written', 'oral') THEN c.amount_fen ELSE 0 END),
    sum(c.persons),
    sum(CASE WHEN c.group_dispute THEN 1 ELSE 0 END),
    sum(CASE WHEN c.group_dispute THEN c.persons ELSE 0 END)
FROM dispute_case c LEFT JOIN outcome o ON o.case_id = c.id
"""
TOTAL_FIELDS = (
    "cases",
    "successful",
    "failed",
    "terminated",
    "refused",
    "pending",
    "written_agreements",
    "oral_agreements",
    "amount_fen",
    "persons",
    "group_cases",
    "group_persons",
)
TARGET = "at most 2× one hand-written SQL aggregate; under 1 s (DESIGN.md, at 1,000,000 cases)"


@dataclass(frozen=True, slots=True)
class StatsDesk:
    root: Path
    villages: int
    inserted: int
    setup_s: float

    @property
    def database(self) -> Path:
        return DataDir(self.root).database


_DESKS: dict[int, StatsDesk] = {}  # by number of cases: built once per run, removed with the run's folder


def stats_desk(work: Path, count: int) -> StatsDesk:
    """A county desk with ``count`` synthetic cases (the 261 villages of the demo county from 10,000 cases up)."""
    if count in _DESKS and _DESKS[count].root.is_dir():
        return _DESKS[count]
    villages = DEFAULT_VILLAGES if count >= 10_000 else 12
    root = work / f"stats-desk-{count}"
    started = time.perf_counter()
    create_demo(root, villages=villages, cases=0)
    desk = Desk.open(root, ACTOR)
    try:
        inserted = stats_cases(desk.database.engine, count)
    finally:
        desk.close()
    _DESKS[count] = StatsDesk(root, villages, inserted, time.perf_counter() - started)
    return _DESKS[count]


def forget_desks() -> None:
    """Remove the desks this run built (the run's temporary folder goes too; this frees the disk sooner)."""
    for built in _DESKS.values():
        shutil.rmtree(built.root, ignore_errors=True)
    _DESKS.clear()


def baseline_totals(connection: sqlite3.Connection) -> dict[str, int]:
    row = connection.execute(BASELINE_TOTALS).fetchone()
    return {name: int(value or 0) for name, value in zip(TOTAL_FIELDS, row, strict=True)}


def cpu_note(subject: list[float], baseline: list[float]) -> str:
    """Processor time of this process (SQLite runs in it): steadier than the clock on a shared machine."""
    first, second = median(subject), median(baseline)
    return (
        f"processor time: subject {first * 1000:,.0f} ms, baseline {second * 1000:,.0f} ms, ratio {first / second:.2f}"
    )


def _once(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _note_summary(result: BenchResult, desk: Desk) -> None:
    """Whether the service read the summary (current: nothing waits to be settled), and its size."""
    with desk.read() as session:
        current = stats_summary.usable(session)
        rows = int(session.scalar(sa.select(sa.func.count()).select_from(models.stats_summary)) or 0)
    result.notes.append(
        f"read from the summary (store.stats_summary, kept at every commit): {rows:,} summary rows; "
        "the desk's setup included settling it for every inserted case"
    )
    result.check("the summary is current (nothing waits to be settled)", current, f"{rows:,} rows")


def _measured(result: BenchResult, built: StatsDesk, repeat: int) -> None:
    desk = Desk.open(built.root, ACTOR)
    connection = sqlite3.connect(built.database)
    service: list[dict[str, int]] = []
    baseline: list[dict[str, int]] = []
    cpu: tuple[list[float], list[float]] = ([], [])

    def run_service() -> None:
        started = time.process_time()
        totals = statistics(desk).totals
        cpu[0].append(time.process_time() - started)
        service.append({name: int(getattr(totals, name)) for name in TOTAL_FIELDS})

    def run_baseline() -> None:
        started = time.process_time()
        baseline.append(baseline_totals(connection))
        cpu[1].append(time.process_time() - started)

    @contextmanager
    def subject() -> Iterator[Callable[[], object]]:
        yield run_service

    @contextmanager
    def hand_written() -> Iterator[Callable[[], object]]:
        yield run_baseline

    try:
        result.subject, result.baseline = measure(subject, hand_written, repeat)
        final = statistics(desk)
        closing_ms = _once(lambda: statistics(desk, StatsQuery(basis=Basis.CLOSING)))
        mediator_ms = _once(lambda: statistics(desk, StatsQuery(by=Grouping.MEDIATOR)))
        _note_summary(result, desk)
        listed = list_cases(desk, CaseFilter(limit=50))
        details = [get_case(desk, row.id) for row in listed[:5]]
    finally:
        connection.close()
        desk.close()
    result.notes.append(cpu_note(*cpu))
    result.notes.append(f"by closing date once: {closing_ms:,.0f} ms; by mediator once: {mediator_ms:,.0f} ms")
    differences = [
        f"{name}: service {totals[name]} ≠ SQL {baseline[0][name]}"
        for totals in service
        for name in TOTAL_FIELDS
        if totals[name] != baseline[0][name]
    ]
    result.check(
        "service totals equal the hand-written aggregate",
        not differences and baseline[0]["cases"] == built.inserted,
        "; ".join(differences)
        or f"{baseline[0]['cases']:,} cases, {baseline[0]['successful']:,} successful, "
        f"amount {baseline[0]['amount_fen']:,} fen",
    )
    by_org = sum(group.counts.cases for group in final.by_org) == final.totals.cases
    by_month = sum(group.counts.cases for group in final.by_month) == final.totals.cases
    result.check("organisations and months add up to the total", by_org and by_month, "sum of by_org, by_month")
    readable = len(listed) == min(50, built.inserted) and all(len(detail.parties) >= 2 for detail in details)
    result.check("bulk-inserted cases read back through the services", readable, f"{len(listed)} listed, 5 shown")


def _run(work: Path, count: int, repeat: int) -> BenchResult:
    built = stats_desk(work, count)
    result = BenchResult(
        sized_name("stats", count),
        f"county statistics over {count:,} synthetic cases ({built.villages} villages, 18 townships)",
        TARGET,
    )
    result.notes.append(f"setup (demo roster + chunked insert of {built.inserted:,} cases) {built.setup_s:.1f} s")
    _measured(result, built, repeat)
    return result


def county_statistics(work: Path, sizes: Sizes) -> BenchResult:
    """The mode's size (100,000 cases in full mode); its desk is not kept."""
    result = _run(work, sizes.stats_cases, sizes.stats_repeat)
    built = _DESKS.pop(sizes.stats_cases)
    shutil.rmtree(built.root, ignore_errors=True)
    return result


def large_statistics(work: Path, sizes: Sizes) -> BenchResult:
    """Ten times the mode's size (1,000,000 cases in full mode); the desk stays for the schema prototypes."""
    return _run(work, 10 * sizes.stats_cases, max(3, sizes.stats_repeat // 2))
