"""Schema prototypes for the county statistics, measured in a scratch database beside the large benchmark desk.

Today's schema keeps a case's outcome in its own table under a UUID text key, so every report joins a million
cases to their outcomes one index probe at a time, then sorts them into groups. Each prototype copies the same
cases into a scratch SQLite file (the desk itself is never changed) in one possible shape, runs the same report
(every grouping rolled up, as ``store.queries.stats`` does) and is timed against the same hand-written aggregate
on the desk as the service, in the same run; its figures must equal the service's, key for key:

- ``kind``: the outcome's kind, date and performance on the case row (no join), keys as today;
- ``compact``: that, with compact keys: an integer primary key, organisations, categories, sources, statuses and
  outcomes as small integers, dates as yyyymmdd integers;
- ``index``: ``kind`` with a covering index in the grouping's order (the month an expression), so the report reads
  the index alone and needs no sort;
- ``summary_groups``: a summary table per (basis, month, organisation, category, sub-type, source) group with
  every count; the report reads it alone;
- ``summary``: a summary table per (basis, month, organisation) and dimension (the total, each category, each
  sub-type, each source), which the program would keep in the same transaction as each change and merge (eight
  upserts per changed case, timed too); the report reads it alone.

Each prints the processor time of the report and of the aggregate besides the clock: SQLite runs in this process,
so on a shared machine the processor time is the steadier figure.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import BenchResult, measure
from bench.stats import ACTOR, TARGET, StatsDesk, baseline_totals, cpu_note, stats_desk
from mediation_desk.services.desk import Desk
from mediation_desk.store.queries import stats as stats_queries

if TYPE_CHECKING:
    from bench.benchmarks import Sizes

KEY_NAMES = stats_queries.KEYS  # org_id, category, subtype, source, month
COUNT_NAMES = stats_queries.CASE_FIELDS

# The copies. The wide text columns stay: a scan reads rows as wide as the desk's.
KIND_TABLE = """
CREATE TABLE case_kind AS
SELECT c.*, o.kind AS outcome_kind, o.decided_on AS outcome_date, o.performance AS outcome_performance
FROM src.dispute_case c LEFT JOIN src.outcome o ON o.case_id = c.id ORDER BY c.rowid;
CREATE UNIQUE INDEX ix_case_kind_id ON case_kind (id);
CREATE INDEX ix_case_kind_org_intake ON case_kind (org_id, intake_date);
"""
COMPACT_TABLE = """
CREATE TABLE org_key (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE);
INSERT INTO org_key (uuid) SELECT id FROM src.org_unit ORDER BY code;
CREATE TABLE case_compact (
    id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, org INTEGER, number TEXT, intake_day INTEGER, closing_day INTEGER,
    source INTEGER, category INTEGER, subtype INTEGER, status INTEGER, outcome INTEGER, outcome_day INTEGER,
    performance INTEGER, amount_fen INTEGER, persons INTEGER, group_dispute INTEGER, risk INTEGER,
    title TEXT, facts TEXT, requests TEXT, place TEXT, notes TEXT
);
INSERT INTO case_compact
SELECT NULL, c.id, k.id, c.number, CAST(replace(c.intake_date, '-', '') AS INTEGER),
    CAST(replace(c.closing_date, '-', '') AS INTEGER),
    CASE c.source WHEN 'application' THEN 1 WHEN 'initiative' THEN 2 ELSE 3 END,
    CAST(c.category AS INTEGER), CAST(c.subtype AS INTEGER),
    CASE WHEN c.status IN ('registered', 'accepted', 'mediating') THEN 1 ELSE 0 END,
    CASE c.outcome_kind WHEN 'written' THEN 1 WHEN 'oral' THEN 2 WHEN 'failed' THEN 3 WHEN 'terminated' THEN 4
        WHEN 'refused' THEN 5 ELSE 0 END,
    CAST(replace(c.outcome_date, '-', '') AS INTEGER),
    CASE c.outcome_performance WHEN 'performed' THEN 1 WHEN 'partly' THEN 2 WHEN 'not_performed' THEN 3 ELSE 0 END,
    c.amount_fen, c.persons, c.group_dispute, c.risk_flags LIKE '%"criminal"%',
    c.title, c.facts, c.requests, c.place, c.notes
FROM case_kind c JOIN org_key k ON k.uuid = c.org_id ORDER BY c.rowid;
CREATE INDEX ix_case_compact_org_intake ON case_compact (org, intake_day);
"""
COVERING_INDEX = """
CREATE INDEX ix_case_kind_report ON case_kind (
    org_id, category, subtype, source, substr(intake_date, 1, 7),
    outcome_kind, status, amount_fen, persons, group_dispute, outcome_performance, risk_flags, intake_date
);
"""

# The per-case conditions of each shape, named as in ``_sums``.
TEXT_TERMS = {
    "ok": "outcome_kind IN ('written', 'oral')",
    "failed": "outcome_kind = 'failed'",
    "terminated": "outcome_kind = 'terminated'",
    "refused": "outcome_kind = 'refused'",
    "open": "status IN ('registered', 'accepted', 'mediating')",
    "written": "outcome_kind = 'written'",
    "oral": "outcome_kind = 'oral'",
    "group": "group_dispute",
    "performed": "outcome_performance = 'performed'",
    "partly": "outcome_performance = 'partly'",
    "not_performed": "outcome_performance = 'not_performed'",
    "risk": "risk_flags LIKE '%\"criminal\"%'",
}
COMPACT_TERMS = {
    **{name: f"outcome = {code}" for name, code in (("failed", 3), ("terminated", 4), ("refused", 5))},
    "ok": "outcome IN (1, 2)",
    "open": "status = 1",
    "written": "outcome = 1",
    "oral": "outcome = 2",
    "group": "group_dispute",
    "performed": "performance = 1",
    "partly": "performance = 2",
    "not_performed": "performance = 3",
    "risk": "risk",
}
TEXT_KEYS = ("org_id", "category", "subtype", "source", "substr(intake_date, 1, 7)")
COMPACT_KEYS = ("org", "category", "subtype", "source", "intake_day / 100")


def _sums(t: dict[str, str]) -> list[str]:
    """The counts of ``COUNT_NAMES`` over one shape's terms."""
    ok = t["ok"]
    return [
        "count(*)",
        *(f"sum(CASE WHEN {t[name]} THEN 1 ELSE 0 END)" for name in ("ok", "failed", "terminated", "refused", "open")),
        *(f"sum(CASE WHEN {t[name]} THEN 1 ELSE 0 END)" for name in ("written", "oral")),
        f"sum(CASE WHEN {ok} THEN amount_fen ELSE 0 END)",
        "sum(persons)",
        f"sum(CASE WHEN {t['group']} THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {t['group']} THEN persons ELSE 0 END)",
        *(f"sum(CASE WHEN {ok} AND {t[name]} THEN 1 ELSE 0 END)" for name in ("performed", "partly", "not_performed")),
        f"sum(CASE WHEN {ok} AND {t['risk']} THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {ok} AND {t['risk']} THEN persons ELSE 0 END)",
    ]


def _grouped(table: str, keys: tuple[str, ...], terms: dict[str, str]) -> str:
    columns = [f"{key} AS {name}" for key, name in zip(keys, KEY_NAMES, strict=True)]
    columns += [f"{expression} AS {name}" for expression, name in zip(_sums(terms), COUNT_NAMES, strict=True)]
    return f"SELECT {', '.join(columns)} FROM {table} GROUP BY {', '.join(keys)}"


def rolled_up(groups: str) -> str:
    """The groups summed again by each key alone, as the service does (``store.queries.stats.rollup``): into
    (organisation, month) and (category, sub-type, source) first, then by each key."""
    sums = ", ".join(f"sum({name}) AS {name}" for name in COUNT_NAMES)
    steps = (
        f"groups AS ({groups})",
        f"org_months AS (SELECT org_id, month, {sums} FROM groups GROUP BY org_id, month)",
        f"kinds AS (SELECT category, subtype, source, {sums} FROM groups GROUP BY category, subtype, source)",
    )
    source = {"org_id": "org_months", "month": "org_months"}
    parts = [f"SELECT '{key}', {key}, {sums} FROM {source.get(key, 'kinds')} GROUP BY {key}" for key in KEY_NAMES]
    return "WITH " + ", ".join(steps) + " " + " UNION ALL ".join(parts)


SUMMARY_TABLE = f"""
CREATE TABLE case_summary (
    basis INTEGER NOT NULL, month TEXT NOT NULL, org_id TEXT NOT NULL, category TEXT NOT NULL,
    subtype TEXT NOT NULL, source TEXT NOT NULL, {", ".join(f"{name} INTEGER NOT NULL" for name in COUNT_NAMES)},
    PRIMARY KEY (basis, month, org_id, category, subtype, source)
) WITHOUT ROWID;
INSERT INTO case_summary
SELECT 0, month, org_id, category, coalesce(subtype, ''), source, {", ".join(COUNT_NAMES)}
FROM ({_grouped("case_kind", TEXT_KEYS, TEXT_TERMS)});
INSERT INTO case_summary
SELECT 1, month, org_id, category, coalesce(subtype, ''), source, {", ".join(COUNT_NAMES)}
FROM ({
    _grouped(
        "case_kind WHERE coalesce(closing_date, outcome_date) IS NOT NULL",
        (*TEXT_KEYS[:4], "substr(coalesce(closing_date, outcome_date), 1, 7)"),
        TEXT_TERMS,
    )
});
"""
DIMENSIONS = (("total", "''"), ("category", "category"), ("subtype", "subtype"), ("source", "source"))
DIM_SUMMARY_TABLE = (
    f"""
CREATE TABLE case_dim_summary (
    basis INTEGER NOT NULL, month TEXT NOT NULL, org_id TEXT NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL,
    {", ".join(f"{name} INTEGER NOT NULL" for name in COUNT_NAMES)},
    PRIMARY KEY (basis, month, org_id, dim, key)
) WITHOUT ROWID;
"""
    + "".join(
        f"INSERT INTO case_dim_summary SELECT basis, month, org_id, '{dim}', {key}, "
        + ", ".join(f"sum({name})" for name in COUNT_NAMES)
        + f" FROM case_summary GROUP BY basis, month, org_id, {key};\n"
        for dim, key in DIMENSIONS
    )
    + "DROP TABLE case_summary;\n"
)
_DIM_SUMS = ", ".join(f"sum({name})" for name in COUNT_NAMES)
DIM_SUMMARY_REPORT = " UNION ALL ".join(
    (
        f"SELECT 'org_id', org_id, {_DIM_SUMS} FROM case_dim_summary WHERE basis = 0 AND dim = 'total' GROUP BY org_id",
        f"SELECT 'month', month, {_DIM_SUMS} FROM case_dim_summary WHERE basis = 0 AND dim = 'total' GROUP BY month",
        f"SELECT dim, key, {_DIM_SUMS} FROM case_dim_summary WHERE basis = 0 AND dim != 'total' GROUP BY dim, key",
    )
)
SUMMARY_GROUPS = (
    "SELECT org_id, category, nullif(subtype, '') AS subtype, source, month, "
    + ", ".join(COUNT_NAMES)
    + " FROM case_summary WHERE basis = 0"
)
GROUPS = {
    # a plain scan, as the service does (SQLite would otherwise walk the organisation index in random row order)
    "kind": _grouped("case_kind NOT INDEXED", TEXT_KEYS, TEXT_TERMS),
    "compact": _grouped("case_compact NOT INDEXED", COMPACT_KEYS, COMPACT_TERMS),
    "index": _grouped("case_kind INDEXED BY ix_case_kind_report", TEXT_KEYS, TEXT_TERMS),
    "summary_groups": SUMMARY_GROUPS,
}
REPORTS = {variant: rolled_up(groups) for variant, groups in GROUPS.items()} | {"summary": DIM_SUMMARY_REPORT}
BUILDS = {
    "kind": (KIND_TABLE,),
    "compact": (KIND_TABLE, COMPACT_TABLE),
    "index": (KIND_TABLE, COVERING_INDEX),
    "summary_groups": (KIND_TABLE, SUMMARY_TABLE),
    "summary": (KIND_TABLE, SUMMARY_TABLE, DIM_SUMMARY_TABLE),
}
DESCRIPTIONS = {
    "kind": "the outcome's kind on the case row (no join), UUID text keys as today",
    "compact": "the outcome on the case row and compact integer keys",
    "index": "the outcome on the case row and a covering index in the grouping's order",
    "summary_groups": "a summary table per (basis, month, organisation, category, sub-type, source) group",
    "summary": "a summary table per (basis, month, organisation) and dimension (total, category, sub-type, source)",
}
SOURCES = {1: "application", 2: "initiative", 3: "referral"}


def _scratch(built: StatsDesk, folder: Path, variant: str) -> tuple[Path, float]:
    """The prototype database for ``variant``, copied from the desk; and how long the copy took."""
    path = folder / f"prototype-{variant}.sqlite3"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("ATTACH DATABASE ? AS src", (str(built.database),))
        for script in BUILDS[variant]:
            connection.executescript(script)
        connection.execute("ANALYZE")
        connection.commit()
        connection.execute("DETACH DATABASE src")
    finally:
        connection.close()
    return path, time.perf_counter() - started


def _text_key(variant: str, kind: str, key: Any, orgs: dict[int, str]) -> str | None:
    """A prototype's key as the service returns it (text; ``None`` for no sub-type)."""
    if key is None or key == "":
        return None
    if variant != "compact":
        return str(key)
    if kind == "org_id":
        return orgs[int(key)]
    if kind == "category":
        return f"{int(key):02d}"
    if kind == "subtype":
        return f"{int(key):04d}"
    if kind == "source":
        return SOURCES[int(key)]
    return f"{int(key) // 100:04d}-{int(key) % 100:02d}"


def _figures(
    rows: list[tuple[Any, ...]], variant: str, orgs: dict[int, str]
) -> dict[tuple[str, str | None], tuple[int, ...]]:
    return {
        (str(kind), _text_key(variant, str(kind), key, orgs)): tuple(int(value or 0) for value in values)
        for kind, key, *values in rows
    }


_SERVICE: dict[Path, dict[tuple[str, str | None], tuple[int, ...]]] = {}


def _service_figures(built: StatsDesk) -> dict[tuple[str, str | None], tuple[int, ...]]:
    """The service's rolled-up counts over the whole desk (computed once per desk)."""
    if built.root not in _SERVICE:
        desk = Desk.open(built.root, ACTOR)
        try:
            with desk.read() as session:
                rows = stats_queries.case_counts(session, stats_queries.Scope())
        finally:
            desk.close()
        _SERVICE[built.root] = _figures(rows, "service", {})
    return _SERVICE[built.root]


def _upkeep_ms(path: Path, changes: int = 1000) -> float:
    """Milliseconds per changed case to keep the summary: one upsert per basis and dimension (the case's rows)."""
    connection = sqlite3.connect(path)
    try:
        keys = connection.execute("SELECT DISTINCT month, org_id FROM case_dim_summary").fetchall()
        picked = random.Random(5).sample(keys, min(changes, len(keys)))
        assignments = ", ".join(f"{name} = {name} + excluded.{name}" for name in COUNT_NAMES)
        statement = (
            f"INSERT INTO case_dim_summary VALUES ({', '.join('?' * (5 + len(COUNT_NAMES)))}) "
            f"ON CONFLICT (basis, month, org_id, dim, key) DO UPDATE SET {assignments}"
        )
        delta = (1, 1, 0, 0, 0, 0, 1, 0, 10_000, 2, 0, 0, 0, 0, 0, 0, 0)  # one more written agreement
        rows = [("total", ""), ("category", "02"), ("subtype", ""), ("source", "application")]
        started = time.perf_counter()
        with connection:  # one transaction, as a merge of a village's file would be
            for month, org_id in picked:
                for basis in (0, 1):
                    for dim, key in rows:
                        connection.execute(statement, (basis, month, org_id, dim, key, *delta))
        return (time.perf_counter() - started) * 1000 / len(picked)
    finally:
        connection.close()


def _access(connection: sqlite3.Connection, report: str) -> str:
    """How the report reads its table: the first step of its plan, and whether a sort of what it read follows."""
    steps = [str(row[-1]) for row in connection.execute("EXPLAIN QUERY PLAN " + report)]
    first = next(index for index, step in enumerate(steps) if " case_" in step)
    sorted_next = first + 1 < len(steps) and "TEMP B-TREE FOR GROUP BY" in steps[first + 1]
    return f"{steps[first]}, {'then sorted into groups' if sorted_next else 'grouped as read, no sort'}"


def _timed(times: list[float], run: Callable[[], object]) -> Callable[[], object]:
    def body() -> object:
        started = time.process_time()
        value = run()
        times.append(time.process_time() - started)
        return value

    return body


def _prototype(work: Path, sizes: Sizes, variant: str) -> BenchResult:
    count = 10 * sizes.stats_cases
    built = stats_desk(work, count)
    name = f"schema_{variant}_{count // 1000}k"
    result = BenchResult(name, f"{DESCRIPTIONS[variant]}; {count:,} cases", TARGET)
    path, copy_s = _scratch(built, work, variant)
    result.notes.append(f"scratch copy built in {copy_s:.1f} s (not timed); the desk itself is unchanged")
    prototype = sqlite3.connect(path)
    desk_connection = sqlite3.connect(built.database)
    rows = prototype.execute("SELECT id, uuid FROM org_key") if variant == "compact" else []
    orgs = {int(key): str(uuid) for key, uuid in rows}
    found: list[dict[tuple[str, str | None], tuple[int, ...]]] = []
    cpu: tuple[list[float], list[float]] = ([], [])

    def report() -> None:
        found.append(_figures(prototype.execute(REPORTS[variant]).fetchall(), variant, orgs))

    @contextmanager
    def subject() -> Iterator[Callable[[], object]]:
        yield _timed(cpu[0], report)

    @contextmanager
    def baseline() -> Iterator[Callable[[], object]]:
        yield _timed(cpu[1], lambda: baseline_totals(desk_connection))

    try:
        plan = _access(prototype, REPORTS[variant])
        result.subject, result.baseline = measure(subject, baseline, max(3, sizes.stats_repeat // 2))
    finally:
        prototype.close()
        desk_connection.close()
    result.notes.append(cpu_note(*cpu))
    result.notes.append(f"plan: {plan}")
    if variant == "summary":
        result.notes.append(f"keeping the summary: {_upkeep_ms(path):.3f} ms per changed case (8 upserts)")
    expected = _service_figures(built)
    same = all(figures == expected for figures in found)
    differing = sorted(key for key in expected.keys() | found[-1].keys() if expected.get(key) != found[-1].get(key))
    result.check(
        "the prototype's report equals the service's, key for key", same, f"{len(expected)} keys; {differing[:5]}"
    )
    path.unlink(missing_ok=True)
    return result


def kind_on_case(work: Path, sizes: Sizes) -> BenchResult:
    return _prototype(work, sizes, "kind")


def compact_keys(work: Path, sizes: Sizes) -> BenchResult:
    return _prototype(work, sizes, "compact")


def covering_index(work: Path, sizes: Sizes) -> BenchResult:
    return _prototype(work, sizes, "index")


def group_summary(work: Path, sizes: Sizes) -> BenchResult:
    return _prototype(work, sizes, "summary_groups")


def summary_table(work: Path, sizes: Sizes) -> BenchResult:
    return _prototype(work, sizes, "summary")
