"""The case list's search over a large desk: the services against hand-written SQL for the same rows, same run,
same data (DESIGN.md: a filter or a search, Chinese substring or pinyin initials, at most 2× that SQL and under
100 ms at 1,000,000 cases).

Each row is a first screen as the case list asks for it: the first 200 matching cases in the list's default order
(newest intake first) with their rows, and how many match. The subject reads them through ``services.search``
(``search_keys`` with a limit, ``rows_by_key``, ``count_matching``); the baseline is bare ``sqlite3``: the same
FTS5 ``MATCH`` over the search index (``store.search_index``) or the same status filter, the 200 cases with their
committee, parties and outcome, and one ``count(*)``. Each row checks that both give the same cases in the same
order and the same count. Rows: a Chinese name of 2 and of 3 characters and a word of the facts, pinyin initials,
a full pinyin prefix, a status filter and a category filter.

The desk is ``bench.stats``'s (as ``bench.caselist``), ten times the mode's statistics size (1,000,000 cases in
full mode). ``python -m bench.search DATA_FOLDER`` measures a desk already built.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from bench import BenchResult, desk_main, measure, sized_name
from bench.stats import ACTOR, stats_desk
from mediation_desk.domain import search_tokens
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import SearchFilter, count_matching, rows_by_key, search_keys
from mediation_desk.store.datadir import DataDir

if TYPE_CHECKING:
    from bench.benchmarks import Sizes

FIRST_SCREEN = 200
TARGET = "each row at most 2× hand-written SQL for the same rows and count, and under 100 ms (at 1,000,000 cases)"
ORDER = "ORDER BY c.intake_date DESC, c.number_seq DESC, c.number, c.id"
MATCHING = (
    "c.id IN (SELECT search_text.case_id FROM search_fts JOIN search_text ON search_text.id = search_fts.rowid "
    "WHERE search_fts MATCH ?)"
)
# the other way to the same first screen: walk the index of intake dates, each case checked against the matches
WALKED = (
    "EXISTS (SELECT 1 FROM search_text WHERE search_text.case_id = c.id AND search_text.id IN "
    "(SELECT rowid FROM search_fts WHERE search_fts MATCH ?))"
)
FTS_COUNT = "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?"
PARTIES = "SELECT case_id, role, name FROM party WHERE case_id IN ({marks}) ORDER BY position"
OUTCOMES = "SELECT case_id, kind FROM outcome WHERE case_id IN ({marks})"


@dataclass(slots=True)
class Row:
    label: str
    search: SearchFilter
    where: str  # the baseline's WHERE over ``dispute_case c``
    parameter: str
    indexed: bool = False  # a text through the index: its count by the index alone, its page by the faster way
    walk: bool = False  # the faster way to this row's page is the walk (``WALKED``): chosen by ``choose_page``


def _match(text: str) -> str:
    """The FTS5 query the index answers a one-run text with (and its pinyin, for letters)."""
    query = search_tokens.text_query(text)
    assert query is not None
    assert search_tokens.exact_text_query(text)
    pinyin = search_tokens.pinyin_query(text)
    if pinyin is None:
        return f"body : ({query})"
    return f"(body : ({query})) OR (pinyin : {search_tokens.pinyin_match_query(pinyin)})"


def _text_row(label: str, text: str) -> Row:
    return Row(f"{label} {text!r}", SearchFilter(text=text, limit=FIRST_SCREEN), MATCHING, _match(text), True)


ROWS = (
    _text_row("search Chinese 2 chars", "李红"),
    _text_row("search Chinese 3 chars", "陈海强"),
    _text_row("search facts word", "赡养"),
    _text_row("pinyin initials", "zs"),
    _text_row("full pinyin prefix", "zhangj"),
    Row(
        "status filter 'accepted'",
        SearchFilter(status=CaseStatus.ACCEPTED, limit=FIRST_SCREEN),
        "c.status = ?",
        CaseStatus.ACCEPTED.value,
    ),
    Row("category filter '04'", SearchFilter(category="04", limit=FIRST_SCREEN), "c.category = ?", "04"),
)


def _page_sql(row: Row) -> str:
    where = WALKED if row.walk else row.where
    hint = " INDEXED BY ix_dispute_case_intake_date" if row.walk else ""
    return (
        f"SELECT c.id, c.number, c.intake_date, c.category, c.status, o.name FROM dispute_case c{hint} "
        f"JOIN org_unit o ON o.id = c.org_id WHERE {where} {ORDER} LIMIT {FIRST_SCREEN}"
    )


def choose_page(connection: sqlite3.Connection, row: Row) -> None:
    """The hand-written page of an indexed text: whichever of the two ways is faster on this desk (timed once)."""
    if not row.indexed:
        return
    timings = []
    for walk in (False, True):
        row.walk = walk
        connection.execute(_page_sql(row), (row.parameter,)).fetchall()
        timings.append(_timed(lambda: (connection.execute(_page_sql(row), (row.parameter,)).fetchall(), 0))[0])
    row.walk = timings[1] < timings[0]


def baseline_screen(connection: sqlite3.Connection, row: Row) -> tuple[list[str], int]:
    """The first screen by hand: the 200 cases with committee, parties and outcome, and the count."""
    page = connection.execute(_page_sql(row), (row.parameter,)).fetchall()
    ids = [case[0] for case in page]
    marks = ",".join("?" * len(ids))
    connection.execute(PARTIES.format(marks=marks), ids).fetchall()
    connection.execute(OUTCOMES.format(marks=marks), ids).fetchall()
    counting = FTS_COUNT if row.indexed else f"SELECT count(*) FROM dispute_case c WHERE {row.where}"
    total = int(connection.execute(counting, (row.parameter,)).fetchone()[0])
    return [str(case_id) for case_id in ids], total


def service_screen(desk: Desk, row: Row) -> tuple[list[str], int]:
    """The first screen through the services, as the case list asks for it."""
    keys = search_keys(desk, row.search)
    rows = rows_by_key(desk, keys)
    total = count_matching(desk, row.search)
    return [case.id.hex for case in rows], total


def _timed(run: Callable[[], tuple[list[str], int]]) -> tuple[float, tuple[list[str], int]]:
    started = time.perf_counter()
    found = run()
    return (time.perf_counter() - started) * 1000, found


def _plan(connection: sqlite3.Connection, row: Row) -> str:
    plan = connection.execute("EXPLAIN QUERY PLAN " + _page_sql(row), (row.parameter,)).fetchall()
    steps = "; ".join(str(step[-1]) for step in plan)
    if not row.indexed:
        return steps
    return ("walk of the intake dates: " if row.walk else "matches first: ") + steps


def _measure_row(result: BenchResult, desk: Desk, connection: sqlite3.Connection, row: Row, repeat: int) -> bool:
    """Time one row, service and SQL alternately; note its figures and check its answer. Whether it met the
    target."""
    service_screen(desk, row)  # warm: the page cache, the pinyin readings
    choose_page(connection, row)
    service: list[float] = []
    baseline: list[float] = []
    answers: list[tuple[list[str], int]] = []
    expected: tuple[list[str], int] | None = None
    for _ in range(repeat):
        elapsed, found = _timed(lambda: service_screen(desk, row))
        service.append(elapsed)
        answers.append(found)
        elapsed, expected = _timed(lambda: baseline_screen(connection, row))
        baseline.append(elapsed)
    assert expected is not None
    first, second = median(service), median(baseline)
    met = first <= 2 * second and first < 100
    result.notes.append(
        f"{row.label}: service {first:,.1f} ms, SQL {second:,.1f} ms, ratio {first / second:.2f} "
        f"({expected[1]:,} cases; target {'met' if met else 'NOT met'}); plan: {_plan(connection, row)}"
    )
    same = all(found == expected for found in answers)
    result.check(
        f"{row.label}: the services show the same cases, in order, and count as the SQL",
        same and len(expected[0]) == min(FIRST_SCREEN, expected[1]),
        f"{len(expected[0])} rows of {expected[1]:,} cases",
    )
    return met


def measure_desk(root: Path, repeat: int, name: str, size: str) -> BenchResult:
    """Time every row on the desk in ``root``; the subject and baseline timings are all rows in turn."""
    result = BenchResult(name, size, TARGET)
    desk = Desk.open(root, ACTOR)
    try:
        with closing(sqlite3.connect(DataDir(root).database)) as connection:
            met = [_measure_row(result, desk, connection, row, repeat) for row in ROWS]

            @contextmanager
            def subject() -> Iterator[Callable[[], object]]:
                yield lambda: [service_screen(desk, row) for row in ROWS]

            @contextmanager
            def hand_written() -> Iterator[Callable[[], object]]:
                yield lambda: [baseline_screen(connection, row) for row in ROWS]

            result.subject, result.baseline = measure(subject, hand_written, max(1, repeat // 2))
    finally:
        desk.close()
    result.notes.insert(0, f"rows meeting the target: {sum(met)} of {len(met)} (subject/baseline: all rows in turn)")
    return result


def case_search(work: Path, sizes: Sizes) -> BenchResult:
    """Ten times the mode's statistics size (1,000,000 cases in full mode; the same desk as ``caselist``)."""
    count = 10 * sizes.stats_cases
    built = stats_desk(work, count)
    result = measure_desk(
        built.root,
        max(3, sizes.stats_repeat),
        sized_name("search", count),
        f"case list search and filters, first screen ({FIRST_SCREEN} rows + count), over {count:,} synthetic cases",
    )
    result.notes.append(f"setup (demo roster + chunked insert of {built.inserted:,} cases) {built.setup_s:.1f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    return desk_main(argv, prog="search", doc=__doc__, measure_desk=measure_desk, repeat=7)


if __name__ == "__main__":
    sys.exit(main())
