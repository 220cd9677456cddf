"""Feeds a ``CaseTableModel`` from ``services.cases``: filter, order and pages, each query off the GUI thread.

Every query carries a generation number; an answer to a query that a newer filter or order has replaced is
dropped, so fast typing in the search field never shows stale rows.
"""

from __future__ import annotations

import dataclasses
import uuid

from PySide6.QtCore import QObject, Signal, Slot

from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import CaseFilter, CaseRow, CaseSort, count_cases, list_cases
from mediation_desk.services.desk import Desk
from mediation_desk.ui.case_table_model import CaseTableModel
from mediation_desk.ui.tasks import TaskRunner, show_error

PAGE_SIZE = 200


class CaseListLoader(QObject):
    loaded = Signal(int)
    """The list was (re)loaded; the argument is how many cases match."""

    def __init__(
        self,
        desk: Desk,
        runner: TaskRunner,
        model: CaseTableModel,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._model = model
        self._page_size = page_size
        self._filter = CaseFilter()
        self._generation = 0
        model.fetch_requested.connect(self._fetch_more)
        model.sort_requested.connect(self._sort)

    @property
    def filter(self) -> CaseFilter:
        return dataclasses.replace(self._filter)

    def set_filter(self, *, text: str = "", status: CaseStatus | None = None, category: str | None = None) -> None:
        changed = (text.strip(), status, category) != (self._filter.text, self._filter.status, self._filter.category)
        self._filter.text = text.strip()
        self._filter.status = status
        self._filter.category = category
        if changed:
            self.reload()

    def reload(self, *, keep_loaded: bool = False, select: uuid.UUID | None = None) -> None:
        """Query the first page again; ``keep_loaded`` reloads as many rows as are shown (after a change)."""
        self._generation += 1
        generation = self._generation
        limit = max(self._page_size, self._model.loaded if keep_loaded else 0)
        flt = dataclasses.replace(self._filter, limit=limit, offset=0)
        desk = self._desk

        def query() -> tuple[list[CaseRow], int]:
            return list_cases(desk, flt), count_cases(desk, flt)

        self._runner.read(query, lambda result: self._loaded(generation, result), self._failed)

    def _loaded(self, generation: int, result: tuple[list[CaseRow], int]) -> None:
        if generation != self._generation:
            return
        rows, total = result
        self._model.set_rows(rows, total)
        self.loaded.emit(total)

    @Slot(int)
    def _fetch_more(self, offset: int) -> None:
        generation = self._generation
        flt = dataclasses.replace(self._filter, limit=self._page_size, offset=offset)
        desk = self._desk
        self._runner.read(
            lambda: list_cases(desk, flt), lambda rows: self._more(generation, offset, rows), self._failed
        )

    def _more(self, generation: int, offset: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            self._model.fetch_failed()
            return
        self._model.append_rows(offset, rows)

    @Slot(object, bool)
    def _sort(self, key: CaseSort, descending: bool) -> None:
        if (key, descending) == (self._filter.sort, self._filter.descending):
            return
        self._filter.sort = key
        self._filter.descending = descending
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._model.fetch_failed()
        show_error(None, error)
