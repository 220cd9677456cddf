"""The benchmarks: ledger import (time and peak memory), county statistics, the demo county."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bench import BenchResult, Mode, Timing, Trial, measure, peak_mb, sized_name
from bench.caselist import case_list
from bench.data import TOWNSHIP_CODE, TOWNSHIP_NAME, LedgerFile, village_rows, write_ledger, write_village_csv
from bench.documents import agreement_pdf
from bench.gui_scale import gui_scale
from bench.search import case_search
from bench.startup import startup
from bench.stats import county_statistics, large_statistics
from bench.stats_schema import compact_keys, covering_index, group_summary, kind_on_case, summary_table
from bench.sync import county_year, province
from mediation_desk.demo import DEFAULT_CASES, DEFAULT_VILLAGES, create_demo
from mediation_desk.domain.codes import OrgLevel, UserRole
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.ledger.limits import MAX_ROWS
from mediation_desk.services.orgs import import_orgs
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.store.bulk import CACHE_KIB
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import DisputeCase, Party

ACTOR = Actor("bench", UserRole.ADMIN)
BENCH_PASSWORD = "bench-password"  # synthetic desks made and deleted by the benchmarks


@dataclass(frozen=True, slots=True)
class Sizes:
    ledger_rows: int
    ledger_repeat: int
    ledger_peak_rows: int | None  # the ledger whose import's peak memory is measured in a child process
    stats_cases: int
    stats_repeat: int
    demo: tuple[int, int] | None  # (villages, cases), None: not run


SIZES: dict[Mode, Sizes] = {
    Mode.SMOKE: Sizes(
        ledger_rows=40, ledger_repeat=1, ledger_peak_rows=200, stats_cases=300, stats_repeat=1, demo=(4, 40)
    ),
    Mode.QUICK: Sizes(
        ledger_rows=1_000, ledger_repeat=3, ledger_peak_rows=None, stats_cases=10_000, stats_repeat=5, demo=None
    ),
    Mode.FULL: Sizes(
        ledger_rows=10_000,
        ledger_repeat=3,
        ledger_peak_rows=MAX_ROWS - 1,  # with its header row, the largest sheet a ledger may have
        stats_cases=100_000,
        stats_repeat=7,
        demo=(DEFAULT_VILLAGES, DEFAULT_CASES),
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# ledger import


def _template_desk(root: Path, villages: list[tuple[str, str]]) -> None:
    """A township desk (五云街道) with its village committees, as init and orgs import leave it."""
    setup = SetupInput(TOWNSHIP_CODE, TOWNSHIP_NAME, OrgLevel.TOWNSHIP, "331122", "bench", BENCH_PASSWORD, "缙五人调")
    desk = initialise(root, setup, ACTOR)
    try:
        orgs_csv = root.parent / "villages.csv"
        write_village_csv(orgs_csv, villages)
        import_orgs(desk, orgs_csv)
    finally:
        desk.close()


_BASELINE_SCHEMA = """
CREATE TABLE ledger_case (
    id TEXT PRIMARY KEY, org_code TEXT NOT NULL, number TEXT, intake_date TEXT NOT NULL, category TEXT NOT NULL,
    source TEXT NOT NULL, facts TEXT, mediators TEXT, outcome TEXT, agreement TEXT, amount_fen INTEGER,
    persons INTEGER, closing_date TEXT, performance TEXT, group_dispute INTEGER, notes TEXT,
    UNIQUE (org_code, number)
);
CREATE TABLE ledger_party (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES ledger_case (id), position INTEGER, role TEXT, name TEXT
);
CREATE INDEX ix_ledger_party_case ON ledger_party (case_id);
"""


def _baseline_import(database: Path, ledger: Path) -> tuple[int, int]:
    """The old baseline (kept for comparison): read the same CSV and insert its cases and parties with bare sqlite3
    executemany into a two-table schema of its own, in one transaction."""
    cases: list[tuple[object, ...]] = []
    parties: list[tuple[object, ...]] = []
    with ledger.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            case_id = uuid.uuid4().hex
            amount = int(Decimal(row["协议金额"]) * 100) if row["协议金额"] else 0
            cases.append(
                (
                    case_id,
                    row["调委会"],
                    row["案件编号"],
                    row["受理日期"],
                    row["纠纷类型"],
                    row["案件来源"],
                    row["纠纷简要情况"],
                    row["调解员"],
                    row["调解结果"],
                    row["协议形式"],
                    amount,
                    int(row["涉及人数"] or 0),
                    row["结案日期"],
                    row["履行情况"],
                    1 if row["群体性"] == "是" else 0,
                    row["备注"],
                )
            )
            names = [("applicant", name) for name in row["申请人"].split("、") if name]
            names += [("respondent", name) for name in row["被申请人"].split("、") if name]
            parties.extend(
                (uuid.uuid4().hex, case_id, position, role, name) for position, (role, name) in enumerate(names)
            )
    connection = _bare(database)
    try:
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO ledger_case VALUES ({', '.join('?' * 16)})", cases)
        connection.executemany("INSERT INTO ledger_party VALUES (?, ?, ?, ?, ?)", parties)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return len(cases), len(parties)


def _bare(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


# The tables an import writes, parents first; ``stats_dirty`` is filled by the tables' own triggers.
_WRITTEN = ("audit_event", "mediator", "dispute_case", "party", "case_mediator", "outcome", "revision")


@dataclass(frozen=True, slots=True)
class WrittenRows:
    """Every row an import wrote, as the database stores them (bound values), per table, parents first."""

    statements: list[tuple[str, list[tuple[object, ...]]]]

    @property
    def counts(self) -> tuple[int, int]:
        found = {statement.split()[2]: len(rows) for statement, rows in self.statements}
        return found.get("dispute_case", 0), found.get("party", 0)

    @property
    def total(self) -> int:
        return sum(len(rows) for _statement, rows in self.statements)


def written_rows(database: Path, template: Path) -> WrittenRows:
    """The rows in ``database`` that the template desk's database does not hold: what one import wrote."""
    statements = []
    with closing(sqlite3.connect(database)) as after, closing(sqlite3.connect(template)) as before:
        for table in _WRITTEN:
            columns = [row[1] for row in after.execute(f"PRAGMA table_info({table})")]
            known = {row[0] for row in before.execute(f"SELECT id FROM {table}")}
            rows = [row for row in after.execute(f"SELECT {', '.join(columns)} FROM {table}") if row[0] not in known]
            marks = ", ".join("?" * len(columns))
            statements.append((f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows))
    return WrittenRows(statements)


def _same_rows_import(database: Path, ledger: Path, rows: WrittenRows) -> tuple[int, int]:
    """The baseline: read the same CSV (csv module), then insert every row the import writes, as stored, by bare
    sqlite3 executemany into a copy of the same desk database (its indexes, constraints and triggers), in one
    transaction, with the page cache the import's bulk writes have."""
    with ledger.open(encoding="utf-8-sig", newline="") as handle:
        read = sum(1 for _row in csv.reader(handle)) - 1
    connection = _bare(database)
    try:
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the page cache the import's bulk writes have
        connection.execute("BEGIN IMMEDIATE")
        for statement, values in rows.statements:
            connection.executemany(statement, values)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return read, rows.counts[1]


def _desk_database(root: Path) -> Path:
    return DataDir(root).database


def _import_once(root: Path, ledger: Path) -> int:
    desk = Desk.open(root, ACTOR)
    try:
        return import_ledger(desk, ledger).value.created
    finally:
        desk.close()


def _old_baseline(folder: Path, ledger: Path, counts: list[tuple[int, int]]) -> Trial:
    @contextmanager
    def trial() -> Iterator[Callable[[], object]]:
        database = folder / f"baseline-{uuid.uuid4().hex[:8]}.sqlite3"
        connection = sqlite3.connect(database)
        connection.executescript(_BASELINE_SCHEMA)
        connection.close()
        try:
            yield lambda: counts.append(_baseline_import(database, ledger))
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)

    return trial


def ledger_import(work: Path, sizes: Sizes) -> BenchResult:
    rows = sizes.ledger_rows
    result = BenchResult(
        sized_name("ledger_import", rows),
        f"{rows:,} ledger rows (CSV) into a township desk with 20 villages",
        "at most 4× a bare executemany of the same rows (the merge's target, DESIGN.md; issue 11)",
    )
    folder = work / "ledger"
    folder.mkdir()
    villages = village_rows(20)
    ledger = write_ledger(folder / "ledger.csv", rows, villages)
    template = folder / "template"
    _template_desk(template, villages)
    reference = folder / "reference"
    shutil.copytree(template, reference)
    _import_once(reference, ledger.path)
    same_rows = written_rows(_desk_database(reference), _desk_database(template))
    shutil.rmtree(reference, ignore_errors=True)
    created: list[int] = []
    stored: list[tuple[int, int]] = []
    baseline_counts: list[tuple[int, int]] = []
    old_counts: list[tuple[int, int]] = []

    @contextmanager
    def subject() -> Iterator[Callable[[], object]]:
        root = folder / f"desk-{uuid.uuid4().hex[:8]}"
        shutil.copytree(template, root)
        desk = Desk.open(root, ACTOR)
        try:
            yield lambda: created.append(import_ledger(desk, ledger.path).value.created)
            with desk.read() as session:
                stored.append(
                    (
                        int(session.scalar(select(func.count()).select_from(DisputeCase)) or 0),
                        int(session.scalar(select(func.count()).select_from(Party)) or 0),
                    )
                )
        finally:
            desk.close()
            shutil.rmtree(root, ignore_errors=True)

    @contextmanager
    def baseline() -> Iterator[Callable[[], object]]:
        root = folder / f"bare-{uuid.uuid4().hex[:8]}"
        shutil.copytree(template, root)
        try:
            yield lambda: baseline_counts.append(_same_rows_import(_desk_database(root), ledger.path, same_rows))
        finally:
            shutil.rmtree(root, ignore_errors=True)

    result.subject, result.baseline = measure(subject, baseline, sizes.ledger_repeat)
    # the old baseline alternates with the same-rows one: the subject's ratio to it goes through their ratio
    old, again = measure(_old_baseline(folder, ledger.path, old_counts), baseline, sizes.ledger_repeat)
    assert again is not None
    counts = {"desk": stored, "baseline": baseline_counts, "old baseline": old_counts}
    _ledger_findings(result, same_rows, (old, again), created, counts, ledger)
    return result


def _ledger_findings(
    result: BenchResult,
    same_rows: WrittenRows,
    old: tuple[Timing, Timing],
    created: list[int],
    counts: dict[str, list[tuple[int, int]]],
    ledger: LedgerFile,
) -> None:
    rows = ledger.rows
    (old_timing, again), ratio = old, result.ratio or 0.0
    result.notes.append(
        f"baseline: read the CSV, then executemany of the {same_rows.total:,} rows the import writes "
        f"({', '.join(f'{statement.split()[2]} {len(values):,}' for statement, values in same_rows.statements)}) "
        "as stored, into a copy of the same desk database"
    )
    result.notes.append(
        f"the old baseline (cases and parties only, into a two-table schema): median {old_timing.median:,.1f} ms "
        f"against {again.median:,.1f} ms for the same-rows baseline, timed alternately; the import's ratio to it "
        f"{ratio * again.median / old_timing.median:,.2f}×"
    )
    result.check(
        "every row imported",
        all(count == rows for count in created),
        f"created {sorted(set(created))} of {rows} rows",
    )
    expected = (rows, ledger.parties)
    result.check(
        "same cases and parties as the baselines",
        all(found == expected for runs in counts.values() for found in runs),
        ", ".join(f"{name} {sorted(set(runs))}" for name, runs in counts.items())
        + f", file {expected} (cases, parties)",
    )


def ledger_memory(work: Path, sizes: Sizes) -> BenchResult:
    """The peak memory of one import of the largest ledger a sheet may hold, in a process of its own."""
    rows = sizes.ledger_peak_rows
    if rows is None:
        result = BenchResult("ledger_memory", "peak memory of a ledger import", "")
        result.skipped = "only in full mode (or a tiny one with --smoke)"
        return result
    result = BenchResult(
        sized_name("ledger_memory", rows + 1),
        f"peak RSS of importing {rows:,} ledger rows (CSV, with its header {rows + 1:,} rows), in a child process",
        "peak resident memory under 500 MB (issue 11)",
    )
    folder = work / "ledger-memory"
    folder.mkdir()
    villages = village_rows(20)
    ledger = write_ledger(folder / "ledger.csv", rows, villages)
    root = folder / "desk"
    _template_desk(root, villages)
    command = [sys.executable, "-m", "bench.benchmarks", "ledger-child", str(root), str(ledger.path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        result.check("the import ran", False, done.stderr.strip()[-500:])
        return result
    said = json.loads(done.stdout.strip().splitlines()[-1])
    result.subject = Timing([float(said["seconds"]) * 1000])
    peak = said["peak_mb"]
    result.notes.append(f"peak RSS {peak:,.0f} MB" if peak is not None else "peak RSS not measurable here")
    result.check("every row imported", said["created"] == rows, f"created {said['created']:,} of {rows:,} rows")
    if peak is not None:
        result.check("peak RSS under 500 MB", peak < 500, f"{peak:,.0f} MB")
    shutil.rmtree(folder, ignore_errors=True)
    return result


def ledger_child(root: Path, ledger: Path) -> None:
    """Import ``ledger`` into the desk at ``root``; print the time, the rows created and the peak RSS (JSON)."""
    started = time.perf_counter()
    created = _import_once(root, ledger)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "created": created, "peak_mb": peak_mb()}), flush=True)


# ---------------------------------------------------------------------------------------------------------------
# the demo county


def demo_county(work: Path, sizes: Sizes) -> BenchResult:
    if sizes.demo is None:
        result = BenchResult("demo_default", "the default demo county", "")
        result.skipped = "only in full mode (or a tiny one with --smoke)"
        return result
    villages, cases = sizes.demo
    default = (villages, cases) == (DEFAULT_VILLAGES, DEFAULT_CASES)
    result = BenchResult(
        "demo_default" if default else f"demo_{villages}v_{cases}c",
        f"create_demo with {villages} villages and {cases:,} cases, once",
        "none in DESIGN.md; well under 30 s on a 2-core machine (the demo's own goal)",
    )
    summaries = []

    @contextmanager
    def subject() -> Iterator[Callable[[], object]]:
        root = Path(tempfile.mkdtemp(dir=work, prefix="demo-"))
        try:
            yield lambda: summaries.append(create_demo(root, villages=villages, cases=cases))
        finally:
            shutil.rmtree(root, ignore_errors=True)

    result.subject, _ = measure(subject, None, 1)
    summary = summaries[0]
    result.check(
        "demo created as asked",
        (summary.villages, summary.cases) == (villages, cases),
        f"{summary.orgs} organisations, {summary.mediators} mediators, {summary.cases} cases",
    )
    return result


BENCHMARKS: dict[str, Callable[[Path, Sizes], BenchResult]] = {
    "ledger_import": ledger_import,
    "ledger_memory": ledger_memory,
    "stats": county_statistics,
    "stats_large": large_statistics,
    "schema_kind": kind_on_case,
    "schema_compact": compact_keys,
    "schema_index": covering_index,
    "schema_summary_groups": group_summary,
    "schema_summary": summary_table,
    "caselist": case_list,
    "search": case_search,
    "gui_scale": gui_scale,
    "demo": demo_county,
    "agreement": agreement_pdf,
    "startup": startup,
    "sync": county_year,
    "sync_scale": province,
}


if __name__ == "__main__":  # ``python -m bench.benchmarks ledger-child ROOT LEDGER``: ``ledger_memory``'s child
    if sys.argv[1:2] != ["ledger-child"] or len(sys.argv) != 4:
        sys.exit("usage: python -m bench.benchmarks ledger-child DATA_FOLDER LEDGER")
    ledger_child(Path(sys.argv[2]), Path(sys.argv[3]))
