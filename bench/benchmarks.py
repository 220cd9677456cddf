"""The benchmarks: ledger import, county statistics, the demo county."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bench import BenchResult, Mode, measure
from bench.data import TOWNSHIP_CODE, TOWNSHIP_NAME, village_rows, write_ledger, write_village_csv
from bench.documents import agreement_pdf
from bench.startup import startup
from bench.stats import county_statistics, large_statistics
from bench.stats_schema import compact_keys, covering_index, group_summary, kind_on_case, summary_table
from bench.sync import county_year, province
from mediation_desk.demo import DEFAULT_CASES, DEFAULT_VILLAGES, create_demo
from mediation_desk.domain.codes import OrgLevel, UserRole
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.orgs import import_orgs
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.store.models import DisputeCase, Party

ACTOR = Actor("bench", UserRole.ADMIN)
BENCH_PASSWORD = "bench-password"  # synthetic desks made and deleted by the benchmarks


@dataclass(frozen=True, slots=True)
class Sizes:
    ledger_rows: int
    ledger_repeat: int
    stats_cases: int
    stats_repeat: int
    demo: tuple[int, int] | None  # (villages, cases), None: not run


SIZES: dict[Mode, Sizes] = {
    Mode.SMOKE: Sizes(ledger_rows=40, ledger_repeat=1, stats_cases=300, stats_repeat=1, demo=(4, 40)),
    Mode.QUICK: Sizes(ledger_rows=1_000, ledger_repeat=3, stats_cases=10_000, stats_repeat=5, demo=None),
    Mode.FULL: Sizes(
        ledger_rows=10_000,
        ledger_repeat=3,
        stats_cases=100_000,
        stats_repeat=7,
        demo=(DEFAULT_VILLAGES, DEFAULT_CASES),
    ),
}


def _name(base: str, count: int) -> str:
    return f"{base}_{count // 1000}k" if count >= 1000 and count % 1000 == 0 else f"{base}_{count}"


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
    """Read the same CSV and insert its cases and parties with bare sqlite3 executemany, in one transaction."""
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
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO ledger_case VALUES ({', '.join('?' * 16)})", cases)
        connection.executemany("INSERT INTO ledger_party VALUES (?, ?, ?, ?, ?)", parties)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return len(cases), len(parties)


def ledger_import(work: Path, sizes: Sizes) -> BenchResult:
    rows = sizes.ledger_rows
    result = BenchResult(
        _name("ledger_import", rows),
        f"{rows:,} ledger rows (CSV) into a township desk with 20 villages",
        "none in DESIGN.md; for context, merging a county-year of sync files: at most 4× a bare executemany",
    )
    folder = work / "ledger"
    folder.mkdir()
    villages = village_rows(20)
    ledger = write_ledger(folder / "ledger.csv", rows, villages)
    template = folder / "template"
    _template_desk(template, villages)
    created: list[int] = []
    stored: list[tuple[int, int]] = []
    baseline_counts: list[tuple[int, int]] = []

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
        database = folder / f"baseline-{uuid.uuid4().hex[:8]}.sqlite3"
        connection = sqlite3.connect(database)
        connection.executescript(_BASELINE_SCHEMA)
        connection.close()
        try:
            yield lambda: baseline_counts.append(_baseline_import(database, ledger.path))
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)

    result.subject, result.baseline = measure(subject, baseline, sizes.ledger_repeat)
    result.check(
        "every row imported",
        all(count == rows for count in created),
        f"created {sorted(set(created))} of {rows} rows",
    )
    expected = (rows, ledger.parties)
    result.check(
        "same cases and parties as the baseline",
        all(counts == expected for counts in stored) and all(counts == expected for counts in baseline_counts),
        f"desk {sorted(set(stored))}, baseline {sorted(set(baseline_counts))}, file {expected} (cases, parties)",
    )
    return result


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
    "stats": county_statistics,
    "stats_large": large_statistics,
    "schema_kind": kind_on_case,
    "schema_compact": compact_keys,
    "schema_index": covering_index,
    "schema_summary_groups": group_summary,
    "schema_summary": summary_table,
    "demo": demo_county,
    "agreement": agreement_pdf,
    "startup": startup,
    "sync": county_year,
    "sync_scale": province,
}
