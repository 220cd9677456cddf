"""Sync benchmarks (DESIGN.md, Performance targets): merging a county-year of sync files at the county, and the
per-revision cost and peak memory of a merge from 10,000 to 1,000,000 revisions, on SQLite and on PostgreSQL.

The data is synthetic and seeded: ``create_demo`` makes the county's villages, mediators and cases (parties,
sessions, agreements, follow-ups …) once; each record becomes a revision of the desk of the village (or township)
it belongs to, numbered per device, signed with one of 261 synthetic Ed25519 device keys. Each township signs a
certificate for each of its villages and writes one sync file to the county with the real writer
(``sync.fileformat``): the villages' revisions, relayed with their original signatures, encrypted to the county's
age key. The county is a real desk that pinned the townships' keys (``keys trust``) and holds the organisation
tree. The subject is ``import_files`` at the county over all the townships' files: decryption, ZIP and manifest
checks, every signature, the union into the log, the merge into the live tables.

The baseline, measured in the same run on the same data, is a bare ``sqlite3`` ``executemany`` of the same row
dictionaries (the rows the merge writes, one per record, values as SQLAlchemy binds them; sealed fields in
plain text) into the same tables (a copy of the same county database). The scale points import in a child process
of their own, so that its peak RSS (``resource.getrusage``) is the merge's alone; PostgreSQL is measured when
``MEDIATION_DESK_TEST_PG`` (or ``python -m bench.sync --pg URL``) names a server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.types import TypeDecorator

from bench import BenchResult, Mode, Timing, measure, peak_mb, report
from bench.sync_data import (
    ACTOR,
    SEED,
    Corpus,
    Keys,
    make_keys,
    open_county,
    pg_county,
    read_corpus,
    sqlite_county,
    stamps,
    synced_counts,
    write_files,
)
from mediation_desk.demo import create_demo
from mediation_desk.domain import hlc as clock
from mediation_desk.security.columns import EncryptedText
from mediation_desk.services import sync
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync.orgs import canonical_org_id
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import Base
from mediation_desk.store.queries.sync import org_columns, synced_tables
from mediation_desk.store.revisions import decode_row
from mediation_desk.sync import signatures, verifying
from mediation_desk.sync.keys import DeviceKey

PG_ENV = "MEDIATION_DESK_TEST_PG"
POINTS_ENV = "MEDIATION_DESK_BENCH_SYNC_POINTS"  # e.g. "10000,100000": the scale points of a full run
BUDGET_ENV = "MEDIATION_DESK_BENCH_SYNC_BUDGET"  # seconds: a scale point's merge is stopped after this long


@dataclass(frozen=True, slots=True)
class SyncSizes:
    villages: int
    cases: int
    repeat: int
    points: tuple[int, ...]  # revisions merged at the scale points (the first is the baseline)


SIZES: dict[Mode, SyncSizes] = {
    Mode.SMOKE: SyncSizes(villages=4, cases=30, repeat=1, points=(400, 1_200)),
    Mode.QUICK: SyncSizes(villages=40, cases=650, repeat=3, points=(5_000, 15_000)),
    Mode.FULL: SyncSizes(villages=261, cases=4252, repeat=5, points=(10_000, 100_000, 1_000_000)),
}


def _mode(sizes: object) -> Mode:
    from bench.benchmarks import SIZES as MODES

    return next((mode for mode, value in MODES.items() if value == sizes), Mode.FULL)


def _sync_sizes(sizes: object) -> SyncSizes:
    chosen = SIZES[_mode(sizes)]
    points = os.environ.get(POINTS_ENV, "").strip()
    if points and _mode(sizes) is Mode.FULL:
        chosen = SyncSizes(chosen.villages, chosen.cases, chosen.repeat, _points(points))
    return chosen


# ---------------------------------------------------------------------------------------------------------------
# The baseline: the rows the merge writes, by bare executemany


def _binder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """A value as SQLAlchemy binds it for SQLite (a sealed column's value in plain text)."""
    dialect = sqlite_dialect.dialect()
    kind: Any = column.type
    decorate = None
    if isinstance(kind, TypeDecorator):
        if not isinstance(kind, EncryptedText):
            decorate = kind.process_bind_param
        kind = kind.impl_instance
    process = kind.bind_processor(dialect)

    def bind(value: Any) -> Any:
        if value is None:
            return None
        if decorate is not None:
            value = decorate(value, dialect)
        return process(value) if process is not None else value

    return bind


@dataclass
class Baseline:
    statements: list[tuple[str, list[tuple[Any, ...]]]]  # per table, parents first: INSERT and its rows

    @property
    def counts(self) -> dict[str, int]:
        return {statement.split()[2]: len(rows) for statement, rows in self.statements}


def baseline_rows(corpus: Corpus, keys: Keys, database: Path) -> Baseline:
    """Each record's row as the merge writes it (the winner decoded, organisation ids this county's, the revision
    stamps), bound for SQLite, grouped per table."""
    with closing(sqlite3.connect(database)) as connection:
        units = connection.execute("SELECT id, code FROM org_unit").fetchall()
    local = {str(canonical_org_id(code)): uuid.UUID(str(org_id)) for org_id, code in units}
    rows: dict[str, list[dict[str, Any]]] = {}
    for _code, revisions in stamps(corpus, keys):
        for stamp in revisions:
            item = stamp.item
            values = decode_row(item.table, item.data)
            for column in org_columns().get(item.table, ()):
                if item.data.get(column):
                    values[column] = local[item.data[column]]
            values.update(id=item.record_id, rev_device=stamp.device, rev_seq=stamp.seq, rev_hlc=clock.text(stamp.hlc))
            rows.setdefault(item.table, []).append(values)
    statements = []
    for table in synced_tables():
        if table not in rows:
            continue
        columns = sorted(rows[table][0])
        binders = [_binder(Base.metadata.tables[table].c[name]) for name in columns]
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        bound = [tuple(bind(row.get(name)) for bind, name in zip(binders, columns, strict=True)) for row in rows[table]]
        statements.append((statement, bound))
    return Baseline(statements)


def run_baseline(connection: sqlite3.Connection, baseline: Baseline) -> None:
    connection.execute("BEGIN")
    connection.execute("PRAGMA defer_foreign_keys=ON")  # an agreement may name the one it replaces, listed later
    for statement, rows in baseline.statements:
        connection.executemany(statement, rows)
    connection.execute("COMMIT")


def _connect(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


# ---------------------------------------------------------------------------------------------------------------
# Merge a county-year


_CORPORA: dict[tuple[int, int], tuple[Corpus, float]] = {}  # made once a run: both benchmarks use the same


def _corpus(work: Path, sizes: SyncSizes) -> tuple[Corpus, float]:
    """The county-year of ``sizes`` and how long making it took (a demo county, read and then removed)."""
    key = (sizes.villages, sizes.cases)
    if key not in _CORPORA:
        started = time.perf_counter()
        source = work / "demo"
        create_demo(source, villages=sizes.villages, cases=sizes.cases, seed=SEED)
        corpus = read_corpus(source)
        shutil.rmtree(source, ignore_errors=True)
        _CORPORA[key] = (corpus, time.perf_counter() - started)
    return _CORPORA[key]


_COUNTIES: dict[tuple[int, int], tuple[Keys, Path, DeviceKey]] = {}


def _county(work: Path, sizes: SyncSizes) -> tuple[Keys, Path, DeviceKey]:
    """The devices of the county-year of ``sizes`` and a county desk that trusts its townships (made once a run,
    in the first benchmark's folder, which lives as long as the run)."""
    key = (sizes.villages, sizes.cases)
    if key not in _COUNTIES or not _COUNTIES[key][1].is_dir():
        corpus, _made = _corpus(work, sizes)
        keys = make_keys(corpus)
        template = work / "county"
        _COUNTIES[key] = (keys, template, sqlite_county(template, corpus, keys))
    return _COUNTIES[key]


def _fresh(template: Path, folder: Path) -> Path:
    root = folder / f"county-{uuid.uuid4().hex[:8]}"
    shutil.copytree(template, root, ignore=shutil.ignore_patterns("*.lock"))
    return root


def county_year(work: Path, sizes: object) -> BenchResult:
    """``import_files`` of every township's file at the county against the bare executemany of its rows."""
    chosen = _sync_sizes(sizes)
    corpus, made = _corpus(work, chosen)
    keys, template, county = _county(work, chosen)
    started = time.perf_counter()
    files = write_files(work / "files", corpus, keys, county)
    written = time.perf_counter() - started
    database = DataDir(template).database
    baseline = baseline_rows(corpus, keys, database)
    result = BenchResult(
        f"sync_merge_{chosen.villages}v_{chosen.cases}c",
        f"a county-year: {len(files)} township files, {len(corpus.items):,} revisions of {chosen.villages} villages "
        f"({chosen.cases:,} cases with parties, sessions, agreements, follow-ups), {len(keys.devices)} device keys",
        "at most 4× a bare sqlite3 executemany of the same rows (DESIGN.md)",
    )
    reports: list[sync.ImportReport] = []
    counts: list[dict[str, int]] = []
    cpu: list[tuple[float, float]] = []  # per run: this process's CPU seconds, the signature helpers'

    def merge(desk: Desk) -> None:
        started = _cpu()
        reports.append(sync.import_files(desk, files))
        ended = _cpu()
        cpu.append((ended[0] - started[0], ended[1] - started[1]))

    @contextmanager
    def subject() -> Iterator[Callable[[], object]]:
        root = _fresh(template, work)
        desk = Desk.open(root, ACTOR)
        try:
            yield lambda: merge(desk)
            counts.append(synced_counts(desk))
        finally:
            desk.close()
            shutil.rmtree(root, ignore_errors=True)

    @contextmanager
    def bare() -> Iterator[Callable[[], object]]:
        copy = work / f"baseline-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(database, copy)
        connection = _connect(copy)
        try:
            yield lambda: run_baseline(connection, baseline)
        finally:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

    result.subject, result.baseline = measure(subject, bare, chosen.repeat)
    size = sum(path.stat().st_size for path in files)
    result.notes.append(f"setup: demo county and corpus {made:.1f} s; signing and writing the files {written:.1f} s")
    result.notes.append(
        f"files: {size / 1024 / 1024:.1f} MB in all; {corpus.skipped} records of the county's own left out"
    )
    result.notes.append(_cpu_note(cpu))
    _check_county_year(result, reports, counts, corpus, baseline)
    return result


def _cpu() -> tuple[float, float]:
    """CPU seconds so far: this process's, and its finished children's (the signature helpers, reaped when an
    import ends)."""
    try:
        import resource
    except ImportError:  # Windows: this process's only
        return time.process_time(), 0.0
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _cpu_note(cpu: list[tuple[float, float]]) -> str:
    """The subject's CPU time (less sensitive than its wall time to a busy machine), medians of the runs."""
    if not cpu:
        return "CPU: not measured"
    own = statistics.median(value for value, _helpers in cpu)
    helpers = statistics.median(value for _own, value in cpu)
    return (
        f"CPU (medians): {own:.2f} s in the merging process, {helpers:.2f} s in the signature helpers "
        f"({verifying.default_workers()} at most; Ed25519 by {signatures.backend()})"
    )


def _check_county_year(
    result: BenchResult,
    reports: list[sync.ImportReport],
    counts: list[dict[str, int]],
    corpus: Corpus,
    baseline: Baseline,
) -> None:
    problems = [
        f"{item.path.name}: {item.status} {[message.text for message in item.messages][:2]}"
        for report in reports
        for item in report.files
        if item.status != "OK" or item.refused
    ]
    result.check("every file merged, nothing refused", not problems, "; ".join(problems[:3]) or f"{len(reports)} runs")
    expected: dict[str, int] = {}
    for item in corpus.items:
        expected[item.table] = expected.get(item.table, 0) + 1
    found = [{table: count for table, count in run.items() if count} for run in counts]
    result.check(
        "the county holds every record once, as the baseline does",
        all(run == expected for run in found) and baseline.counts == expected,
        f"{sum(expected.values()):,} rows in {len(expected)} tables"
        if all(run == expected for run in found)
        else f"expected {expected}, county {found[:1]}, baseline {baseline.counts}",
    )


# ---------------------------------------------------------------------------------------------------------------
# Scale: 10,000 to 1,000,000 revisions, per-revision cost and peak memory, SQLite and PostgreSQL


@dataclass(frozen=True, slots=True)
class Point:
    """One scale point: the files merged (revisions and seconds each), the peak RSS, whether all went in."""

    backend: str
    revisions: int
    files: tuple[tuple[int, float], ...]
    peak_mb: float | None
    ok: bool
    rows: int
    complete: bool
    detail: str

    @property
    def merged(self) -> int:
        return sum(count for count, _seconds in self.files)

    @property
    def seconds(self) -> float:
        return sum(seconds for _count, seconds in self.files)

    @property
    def per_revision_us(self) -> float:
        return self.seconds / max(1, self.merged) * 1e6

    @property
    def last_us(self) -> float:
        """The cost per revision of the last quarter of the files: what one more file costs at this size."""
        tail = self.files[-max(1, len(self.files) // 4) :]
        return sum(seconds for _count, seconds in tail) / max(1, sum(count for count, _seconds in tail)) * 1e6


def _child(target: str, files: list[Path], budget: float | None) -> list[dict[str, Any]]:
    """Run the merge in a process of its own (``child`` below), stopped once it has taken ``budget`` seconds;
    what it said after each file."""
    command = [sys.executable, "-m", "bench.sync", "child", target, *map(str, files)]
    said: list[dict[str, Any]] = []
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            said.append(json.loads(line))
            if budget is not None and time.perf_counter() - started > budget:
                process.terminate()
                said.append({"stopped": f"stopped after {budget:.0f} s (the budget of {BUDGET_ENV})"})
                break
        errors = process.stderr.read() if process.stderr is not None and process.wait() != 0 else ""
    if errors and not any("stopped" in item for item in said):
        said.append({"error": errors.strip()[-500:]})
    return said


def child(target: str, files: list[str]) -> None:
    """Open the county (a data folder or a URL) and import ``files`` one by one, printing after each how long it
    took and the peak RSS so far; last, the rows the county holds."""
    desk = open_county(target)
    try:
        for name in files:
            started = time.perf_counter()
            merged = sync.import_files(desk, [Path(name)])
            seconds = time.perf_counter() - started
            [item] = merged.files
            good = item.status == "OK" and not item.refused
            line = {"revisions": item.revisions, "seconds": seconds, "peak_mb": peak_mb(), "ok": good}
            print(json.dumps({**line, "detail": "" if good else f"{Path(name).name}: {item.status}"}), flush=True)
        print(json.dumps({"rows": sum(synced_counts(desk).values())}), flush=True)
    finally:
        desk.close()


def _point(backend: str, count: int, target: str, files: list[Path]) -> Point:
    budget = os.environ.get(BUDGET_ENV, "").strip()
    said = _child(target, files, float(budget) if budget else None)
    for path in files:
        path.unlink(missing_ok=True)
    merged = [item for item in said if "revisions" in item]
    peaks = [float(item["peak_mb"]) for item in merged if item.get("peak_mb") is not None]
    rows = next((int(item["rows"]) for item in said if "rows" in item), None)
    notes = [str(item.get("detail") or item.get("error") or item.get("stopped") or "") for item in said]
    return Point(
        backend,
        count,
        tuple((int(item["revisions"]), float(item["seconds"])) for item in merged),
        max(peaks) if peaks else None,
        all(item["ok"] for item in merged) and not any("error" in item for item in said),
        rows or 0,
        rows is not None,
        "; ".join(note for note in notes if note),
    )


def scale_points(work: Path, sizes: SyncSizes, server: str | None) -> list[Point]:
    """Each point: a fresh county, ``count`` revisions in the townships' files, merged in a child process."""
    found: list[Point] = []
    corpus, _made = _corpus(work, sizes)
    keys, template, county = _county(work, sizes)
    for count in sizes.points:
        root = work / f"county-{count}"
        shutil.copytree(template, root, ignore=shutil.ignore_patterns("*.lock"))
        files = write_files(work / f"files-{count}", corpus, keys, county, count)
        found.append(_point("SQLite", count, str(root), files))
        shutil.rmtree(root, ignore_errors=True)
    if server:
        for count in sizes.points:
            with pg_county(server, corpus, keys, work / f"pg-keys-{count}") as (url, key):
                found.append(
                    _point("PostgreSQL", count, url, write_files(work / f"pg-{count}", corpus, keys, key, count))
                )
    return found


def province(work: Path, sizes: object, server: str | None = None) -> BenchResult:
    """The merge's cost per revision at each scale point against the first (10,000), and its peak memory."""
    chosen = _sync_sizes(sizes)
    server = server or os.environ.get(PG_ENV, "").strip() or None
    corpus, _made = _corpus(work, chosen)
    points = scale_points(work, chosen, server)
    largest, smallest = chosen.points[-1], chosen.points[0]
    result = BenchResult(
        f"sync_scale_{largest // 1000}k",
        f"{', '.join(f'{count:,}' for count in chosen.points)} revisions (copies of a {len(corpus.items):,}-revision "
        f"county-year) merged at a county, SQLite{' and PostgreSQL' if server else ''}; one child process each",
        "per-revision cost at most 1.5× that at 10,000 (linear); peak memory under 500 MB (DESIGN.md)",
    )
    sqlite_points = {point.revisions: point for point in points if point.backend == "SQLite"}
    result.subject = Timing([sqlite_points[largest].per_revision_us / 1000])
    result.baseline = Timing([sqlite_points[smallest].per_revision_us / 1000])
    result.notes.append("subject and baseline: milliseconds per revision (SQLite), at the largest and the first point")
    result.notes.extend(_point_notes(points, smallest))
    if not server:
        result.notes.append(f"PostgreSQL not measured: set {PG_ENV} (or python -m bench.sync --pg URL)")
    bad = [
        f"{p.backend} {p.revisions:,}: {p.detail or f'{p.rows:,} rows'}"
        for p in points
        if not p.ok or (p.complete and p.rows != p.revisions)
    ]
    result.check("every file merged, every revision held", not bad, "; ".join(bad) or f"{len(points)} points")
    return result


def _point_notes(points: list[Point], smallest: int) -> list[str]:
    notes = []
    for point in points:
        base = next(p for p in points if p.backend == point.backend and p.revisions == smallest)
        peak = f"{point.peak_mb:,.0f} MB" if point.peak_mb is not None else "n/a"
        done = "" if point.complete else f" (stopped: {point.merged:,} merged in {len(point.files)} files)"
        notes.append(
            f"{point.backend} {point.revisions:>9,}{done}: {point.seconds:7.1f} s, {point.per_revision_us:6.0f} µs a "
            f"revision ({point.per_revision_us / base.per_revision_us:.2f}× the first point), the last files "
            f"{point.last_us:6.0f} µs a revision ({point.last_us / base.per_revision_us:.2f}×), peak RSS {peak}"
        )
    return notes


# ---------------------------------------------------------------------------------------------------------------
# python -m bench.sync


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.sync [--smoke | --quick] [--only county|scale] [--pg URL] [--points N,N,…]``: these
    benchmarks alone, printed as ``python -m bench`` prints them (``child`` is the scale points' own process)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "child":
        child(args[1], args[2:])
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=main.__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true")
    size.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", choices=("county", "scale"))
    parser.add_argument("--pg", help="a PostgreSQL server URL (postgresql+psycopg://…) for the scale points")
    parser.add_argument("--points", help="the scale points, e.g. 10000,100000,1000000")
    options = parser.parse_args(args)
    mode = Mode.SMOKE if options.smoke else Mode.QUICK if options.quick else Mode.FULL
    from bench.benchmarks import SIZES as MODES

    if options.points:
        SIZES[mode] = SyncSizes(SIZES[mode].villages, SIZES[mode].cases, SIZES[mode].repeat, _points(options.points))
    import tempfile

    results = []
    with tempfile.TemporaryDirectory(prefix="mediation-desk-bench-sync-") as temporary:
        for name in ("county", "scale"):
            if options.only in (None, name):
                work = Path(temporary) / name
                work.mkdir()
                run = county_year(work, MODES[mode]) if name == "county" else province(work, MODES[mode], options.pg)
                report(run)
                sys.stdout.flush()
                results.append(run)
    return 0 if all(run.ok for run in results) else 1


def _points(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


if __name__ == "__main__":
    sys.exit(main())
