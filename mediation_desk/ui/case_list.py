"""Feeds a ``CaseTableModel`` from ``services.search``: the ordered keys of every matching case with the rows of
the first screen in one query job, then the rows the view asks for, each job off the GUI thread.

Every list query carries a generation number; an answer to a query that a newer filter or order has replaced is
dropped, so fast typing in the search field never shows stale rows.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, Signal, Slot

from mediation_desk.services.cases import CaseRow, CaseSort
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import CaseKey, SearchFilter, rows_by_key, search_keys
from mediation_desk.ui.case_table_model import CaseTableModel
from mediation_desk.ui.tasks import TaskRunner, show_error

FIRST_SCREEN = 80


class CaseListLoader(QObject):
    loaded = Signal(int)
    """The list was (re)loaded; the argument is how many cases match."""

    def __init__(self, desk: Desk, runner: TaskRunner, model: CaseTableModel, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._model = model
        self._filter = SearchFilter()
        self._generation = 0
        self.last_query_ms = 0.0
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
        """Query the list again (a new filter or order, or a refresh after a change)."""
        self._generation += 1
        generation = self._generation
        desk, flt = self._desk, dataclasses.replace(self._filter)

        def query() -> tuple[list[CaseKey], list[CaseRow], float]:
            started = time.perf_counter()
            keys = search_keys(desk, flt)
            rows = rows_by_key(desk, keys[:FIRST_SCREEN])
            return keys, rows, (time.perf_counter() - started) * 1000

        self._runner.read(query, lambda result: self._loaded(generation, result), self._failed)

    def _loaded(self, generation: int, result: tuple[list[CaseKey], list[CaseRow], float]) -> None:
        if generation != self._generation:
            return
        keys, rows, elapsed = result
        self.last_query_ms = elapsed
        self._model.set_keys(keys, rows)
        self.loaded.emit(len(keys))

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
