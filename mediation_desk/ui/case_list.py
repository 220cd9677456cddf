"""Feeds a ``CaseTableModel`` from ``services.search`` in two steps, each job off the GUI thread: the first
screen (its keys and rows, in the current order) and the count, shown at once; then the ordered keys of every
matching case, appended to the model (``extend_keys``: no reset, selection and scroll position stay). Then the
rows the view asks for.

Every list query carries a generation number; an answer to a query that a newer filter or order has replaced is
dropped, so fast typing in the search field never shows stale rows.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from mediation_desk.services.cases import CaseRow, CaseSort
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import (
    CaseKey,
    SearchFilter,
    count_matching,
    packed_keys,
    rows_by_key,
    search_keys,
)
from mediation_desk.ui.case_table_model import KEY_BYTES, CaseTableModel
from mediation_desk.ui.tasks import TaskRunner, show_error

FIRST_SCREEN = 80
REST_DELAY_MS = 50  # the whole list is asked for this long after the first screen: time for it to be painted


class CaseListLoader(QObject):
    loaded = Signal(int)
    """The list was (re)loaded, its first screen at least; the argument is how many cases match."""
    completed = Signal(int)
    """Every matching key is in the model now (after ``loaded``); the argument is how many cases match."""

    def __init__(self, desk: Desk, runner: TaskRunner, model: CaseTableModel, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._model = model
        self._filter = SearchFilter()
        self._generation = 0
        self.last_query_ms = 0.0
        self.last_full_ms = 0.0
        self._total = 0
        self._complete = False
        model.rows_wanted.connect(self._fetch_rows)
        model.sort_requested.connect(self._sort)

    @property
    def filter(self) -> SearchFilter:
        return dataclasses.replace(self._filter)

    def set_filter(self, flt: SearchFilter) -> None:
        """Filter the list (the order stays the user's); reload only when something changed."""
        wanted = dataclasses.replace(
            flt, text=flt.text.strip(), sort=self._filter.sort, descending=self._filter.descending
        )
        if wanted != self._filter:
            self._filter = wanted
            self.reload()

    def reload(self) -> None:
        """Query the list again (a new filter or order, or a refresh after a change), in two steps: the first
        screen and the count at once, then (on the next event-loop turn, off the GUI thread) every key."""
        self._generation += 1
        generation = self._generation
        self._complete = False
        desk, flt = self._desk, dataclasses.replace(self._filter)
        first = min(FIRST_SCREEN, flt.limit) if flt.limit is not None else FIRST_SCREEN

        def query() -> tuple[list[CaseKey], list[CaseRow], int, float]:
            started = time.perf_counter()
            keys = search_keys(desk, dataclasses.replace(flt, limit=first))
            total = len(keys) if len(keys) < first else count_matching(desk, flt)
            if flt.limit is not None:
                total = min(total, flt.limit)
            rows = rows_by_key(desk, keys)
            return keys, rows, total, (time.perf_counter() - started) * 1000

        self._runner.read(query, lambda result: self._first_loaded(generation, flt, result), self._failed)

    @property
    def complete(self) -> bool:
        """Whether the model holds every matching key (not only the first screen)."""
        return self._complete

    @property
    def total(self) -> int:
        """How many cases match (known from the first step on)."""
        return self._total

    def _first_loaded(
        self, generation: int, flt: SearchFilter, result: tuple[list[CaseKey], list[CaseRow], int, float]
    ) -> None:
        if generation != self._generation:
            return
        keys, rows, total, elapsed = result
        self.last_query_ms = elapsed
        self._total = total
        self._model.set_keys(keys, rows)
        self.loaded.emit(total)
        if len(keys) >= total:
            self._finish()
        else:  # let the first screen paint before the rest is asked for (a million keys keep a worker busy)
            QTimer.singleShot(REST_DELAY_MS, self, lambda: self._load_rest(generation, flt))

    def _load_rest(self, generation: int, flt: SearchFilter) -> None:
        if generation != self._generation:
            return
        desk = self._desk

        def query() -> tuple[bytes, float]:  # packed on the worker: the list of strings never reaches the model
            started = time.perf_counter()
            return packed_keys(desk, flt), (time.perf_counter() - started) * 1000

        self._runner.read(query, lambda result: self._rest_loaded(generation, result), self._failed)

    def _rest_loaded(self, generation: int, result: tuple[bytes, float]) -> None:
        if generation != self._generation:
            return
        keys, elapsed = result
        self.last_full_ms = elapsed
        self._total = len(keys) // KEY_BYTES
        if not self._model.extend_keys(keys):  # the start changed meanwhile (a write): replace, keep the case
            self._model.set_keys(keys)
        self._finish()

    def _finish(self) -> None:
        self._complete = True
        self.completed.emit(self._total)

    @Slot(list)
    def _fetch_rows(self, keys: list[CaseKey]) -> None:
        desk = self._desk

        def failed(error: BaseException) -> None:
            self._model.rows_failed(keys)
            show_error(None, error)

        self._runner.read(lambda: rows_by_key(desk, keys), self._model.add_rows, failed)

    @Slot(object, bool)
    def _sort(self, key: CaseSort, descending: bool) -> None:
        if (key, descending) == (self._filter.sort, self._filter.descending):
            return
        self._filter.sort = key
        self._filter.descending = descending
        self.reload()

    def _failed(self, error: BaseException) -> None:
        show_error(None, error)
