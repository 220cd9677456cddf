"""One run of ``bench.gui_scale`` in its own process: ``python -m bench.gui_scale_child KIND ROOT``, where KIND is
``subject``, ``baseline`` or ``index`` (the subject, then the search's warm-up run, and the memory after it).

Prints one line of JSON: the moments measured (milliseconds from the window's construction), the peak memory,
and what was shown (for the checks). A paint counts once the table's viewport has painted with the rows it
shows loaded (a zero-delay timer started by the paint event fires after the paint is done).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QEventLoop, QModelIndex, QObject, QPersistentModelIndex, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from bench import peak_mb
from bench.stats import ACTOR
from mediation_desk.store.datadir import DataDir
from mediation_desk.ui import app as gui
from mediation_desk.ui import i18n
from mediation_desk.ui.case_list import FIRST_SCREEN

WINDOW_SIZE = (1366, 768)
WAIT_MS = 300_000

BASELINE_ORDER = f"""
SELECT id FROM dispute_case INDEXED BY ix_dispute_case_intake_date
ORDER BY intake_date DESC, number_seq DESC, number, id LIMIT {FIRST_SCREEN}
"""
BASELINE_CASES = """
SELECT c.id, c.number, c.intake_date, o.name, c.category, c.status
FROM dispute_case c JOIN org_unit o ON o.id = c.org_id WHERE c.id IN ({marks})
"""
BASELINE_PARTIES = "SELECT case_id, role, name FROM party WHERE case_id IN ({marks}) ORDER BY position"
BASELINE_OUTCOMES = "SELECT case_id, kind FROM outcome WHERE case_id IN ({marks})"


def wait(condition: Callable[[], bool], timeout_ms: int = WAIT_MS) -> None:
    """Run the event loop until ``condition`` holds (checked every few milliseconds)."""
    loop = QEventLoop()
    timer = QTimer(interval=2)
    timer.timeout.connect(lambda: _quit_when(loop, condition))
    deadline = QTimer(singleShot=True, interval=timeout_ms)
    deadline.timeout.connect(loop.quit)
    timer.start()
    deadline.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError("the window did not get there in time")


def _quit_when(loop: QEventLoop, condition: Callable[[], bool]) -> None:
    if condition():
        loop.quit()


class Paints(QObject):
    """When the table last painted with its visible rows loaded (``loaded(row)``: the row's data is there)."""

    def __init__(self, table: QTableView, loaded: Callable[[int], bool]) -> None:
        super().__init__(table)
        self._table = table
        self._loaded = loaded
        self.at = 0.0
        self.bottom_at = 0.0
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            model = self._table.model()
            top = self._table.rowAt(0)
            if model.rowCount() > 0 and top >= 0 and self._loaded(top):
                bottom = self._loaded(model.rowCount() - 1)
                QTimer.singleShot(0, lambda: self._painted(bottom))
        return False

    def _painted(self, bottom: bool) -> None:
        self.at = time.perf_counter()
        if bottom:
            self.bottom_at = self.at


def resident_mb() -> float | None:
    """This process's resident memory now (``VmRSS``, Linux): what the list holds once the peak has passed."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _ms(since: float, until: float) -> float:
    return (until - since) * 1000


def _application() -> QApplication:
    application = gui.application()
    i18n.install_translators(i18n.CHINESE)
    gui.install_font(application)  # the same font in both runs: the same cost of drawing Chinese text
    return application


def subject(root: Path, index: bool = False) -> dict[str, Any]:
    from mediation_desk.services.desk import Desk
    from mediation_desk.services.orgs import list_orgs
    from mediation_desk.ui.main_window import PAGE_CASES, MainWindow
    from mediation_desk.ui.tasks import ChangeHub, TaskRunner

    _application()
    desk = Desk.open(root, ACTOR)
    list_orgs(desk)  # what the sign-in window read first (the ORM's one-off set-up is not the list's)
    runner = TaskRunner()
    changes = ChangeHub()
    changes.attach(desk)
    found: dict[str, Any] = {}
    started = time.perf_counter()
    window = MainWindow(desk, runner, changes)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.show_page(PAGE_CASES)
    page = window.cases
    found["window_ms"] = _ms(started, time.perf_counter())
    model = page.model
    paints = Paints(page.table, lambda row: model.case_row(model.index(row, 0)) is not None)
    loaded: list[float] = []
    page.loader.loaded.connect(lambda _total: loaded.append(time.perf_counter()))
    wait(lambda: paints.at > 0)
    found["first_ms"] = _ms(started, paints.at)
    found["loaded_ms"] = _ms(started, loaded[0])  # the first screen's answer in the model
    found["query_ms"] = page.loader.last_query_ms  # of which the worker's queries took
    found["first_keys"] = [_hex(model, row) for row in range(min(FIRST_SCREEN, model.rowCount()))]
    found["total"] = page.loader.total
    wait(lambda: page.loader.complete)
    found["complete_ms"] = _ms(started, time.perf_counter())
    found["rows"] = model.rowCount()
    found["peak_complete_mb"] = peak_mb()
    found["resident_complete_mb"] = resident_mb()
    page.table.scrollToBottom()
    wait(lambda: paints.bottom_at > 0)
    found["last_painted"] = True
    found["peak_scrolled_mb"] = peak_mb()
    found.update(_filters(root, page, paints))
    if index:  # the search's warm-up (its index of party names), as the program runs it after start-up
        from mediation_desk.services.search import warm_up

        started = time.perf_counter()
        found["index_names"] = warm_up(desk)
        found["index_s"] = time.perf_counter() - started
        found["peak_index_mb"] = peak_mb()
    window.close()
    gui.settle(runner)
    desk.close()
    return found


def _hex(model: Any, row: int) -> str:
    case_id = model.case_id(model.index(row, 0))
    return case_id.hex if case_id is not None else ""


def _filters(root: Path, page: Any, paints: Paints) -> dict[str, Any]:
    """A status chosen in the filter bar, then a party's name typed: the time to each new first screen."""
    from mediation_desk.domain.lifecycle import CaseStatus

    with closing(sqlite3.connect(DataDir(root).database)) as connection:
        status, expected = connection.execute(
            "SELECT status, count(*) FROM dispute_case GROUP BY status ORDER BY 2 DESC, 1"
        ).fetchall()[-1]
    page.table.scrollToTop()
    found: dict[str, Any] = {"status": str(status), "status_expected": int(expected)}
    combo = page.filters.status
    index = next(i for i in range(combo.count()) if combo.itemData(i) == CaseStatus(status))
    found["status_ms"] = _applied(page, paints, lambda: combo.setCurrentIndex(index))
    found["status_total"] = page.loader.total
    row = page.model.case_row(page.model.index(0, 0))
    name = row.applicants.split("、")[0] if row is not None else ""
    combo.setCurrentIndex(0)
    wait(lambda: page.loader.complete)

    def search() -> None:
        page.filters.search.setText(name)
        page.filters.flush()

    found["text_ms"] = _applied(page, paints, search)
    found["text_total"] = page.loader.total
    return found


def _applied(page: Any, paints: Paints, change: Callable[[], None]) -> float:
    loaded: list[float] = []
    connection = page.loader.loaded.connect(lambda _total: loaded.append(time.perf_counter()))
    started = time.perf_counter()
    change()
    wait(lambda: bool(loaded) and paints.at > loaded[0])
    elapsed = _ms(started, paints.at)
    page.loader.loaded.disconnect(connection)
    return elapsed


class RowsModel(QAbstractTableModel):
    """A plain table of text rows."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return self._rows[index.row()][index.column()] if role == 0 and index.isValid() else None


def baseline_rows(connection: sqlite3.Connection) -> tuple[list[str], list[tuple[str, ...]], int]:
    """The first screen by hand: the ids in the list's order (from the index of the order: without ``INDEXED BY``
    SQLite's planner sorts the whole table for a literal ``LIMIT``), their cases with committee,
    parties and outcome as text, and the count."""
    ids = [row[0] for row in connection.execute(BASELINE_ORDER)]
    marks = ",".join("?" * len(ids))
    found = {row[0]: row for row in connection.execute(BASELINE_CASES.format(marks=marks), ids)}
    page = [found[case_id] for case_id in ids]
    parties: dict[str, dict[str, list[str]]] = {}
    for case_id, role, name in connection.execute(BASELINE_PARTIES.format(marks=marks), ids):
        parties.setdefault(case_id, {}).setdefault(role, []).append(name)
    outcomes = dict(connection.execute(BASELINE_OUTCOMES.format(marks=marks), ids).fetchall())
    rows: list[tuple[str, ...]] = [
        (
            str(number),
            str(intake),
            str(org),
            str(category),
            "、".join(parties.get(case_id, {}).get("applicant", [])),
            "、".join(parties.get(case_id, {}).get("respondent", [])),
            str(status),
            str(outcomes.get(case_id, "")),
        )
        for case_id, number, intake, org, category, status in page
    ]
    total = int(connection.execute("SELECT count(*) FROM dispute_case").fetchone()[0])
    return [str(case_id) for case_id in ids], rows, total


def baseline(root: Path) -> dict[str, Any]:
    _application()
    found: dict[str, Any] = {}
    started = time.perf_counter()
    with closing(sqlite3.connect(DataDir(root).database)) as connection:
        keys, rows, total = baseline_rows(connection)
    found["query_ms"] = _ms(started, time.perf_counter())
    window = QMainWindow()
    table = QTableView()
    model = RowsModel(rows)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(*WINDOW_SIZE)
    window.show()
    paints = Paints(table, lambda _row: True)
    wait(lambda: paints.at > 0)
    found.update(first_ms=_ms(started, paints.at), first_keys=keys, total=total, peak_mb=peak_mb())
    window.close()
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("subject", "index", "baseline"):
        sys.exit("usage: python -m bench.gui_scale_child subject|index|baseline DATA_FOLDER")
    root = Path(argv[1])
    found = baseline(root) if argv[0] == "baseline" else subject(root, index=argv[0] == "index")
    print(json.dumps(found), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
