"""The case list as a Qt table model (Vorta's ``archive_table_model.py``): column constants, translated headers,
a role that returns the row object, paging through ``canFetchMore``/``fetchMore``.

The model holds plain ``CaseRow`` values and nothing that can reach the database. When the view wants more rows
it emits ``fetch_requested``; when a header is clicked it emits ``sort_requested``. ``CaseListLoader`` (in
``case_list.py``) answers both through the services, off the GUI thread, so 100,000 cases never load at once
and sorting happens in the database, over every row, not only the loaded ones.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.cases import CaseRow, CaseSort

CONTEXT = "CaseTableModel"

COLUMN_NUMBER = 0
COLUMN_INTAKE_DATE = 1
COLUMN_ORG = 2
COLUMN_CATEGORY = 3
COLUMN_APPLICANTS = 4
COLUMN_RESPONDENTS = 5
COLUMN_STATUS = 6
COLUMN_OUTCOME = 7

HEADERS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Case number")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Intake date")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Committee")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Dispute type")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Applicants")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Respondents")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Status")),
    str(QT_TRANSLATE_NOOP("CaseTableModel", "Outcome")),
)

SORT_KEYS: dict[int, CaseSort] = {
    COLUMN_NUMBER: CaseSort.NUMBER,
    COLUMN_INTAKE_DATE: CaseSort.INTAKE_DATE,
    COLUMN_ORG: CaseSort.ORG,
    COLUMN_CATEGORY: CaseSort.CATEGORY,
    COLUMN_APPLICANTS: CaseSort.APPLICANTS,
    COLUMN_RESPONDENTS: CaseSort.RESPONDENTS,
    COLUMN_STATUS: CaseSort.STATUS,
    COLUMN_OUTCOME: CaseSort.OUTCOME,
}

CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, CASE_ROW_ROLE)`` is the row's ``CaseRow``."""

_CENTRED = (COLUMN_INTAKE_DATE, COLUMN_STATUS)

AnyIndex = QModelIndex | QPersistentModelIndex


def display_text(row: CaseRow, column: int) -> str:
    """The text of one cell. Category, status and outcome labels come from the domain (already Chinese)."""
    if column == COLUMN_NUMBER:
        return row.number
    if column == COLUMN_INTAKE_DATE:
        return row.intake_date.isoformat()
    if column == COLUMN_ORG:
        return row.org_name
    if column == COLUMN_CATEGORY:
        return row.category_name
    if column == COLUMN_APPLICANTS:
        return row.applicants
    if column == COLUMN_RESPONDENTS:
        return row.respondents
    if column == COLUMN_STATUS:
        return row.status.label
    if column == COLUMN_OUTCOME:
        return row.outcome.label if row.outcome else ""
    return ""


class CaseTableModel(QAbstractTableModel):
    fetch_requested = Signal(int)
    """The view scrolled to the end of the loaded rows: load the page starting at this offset."""
    sort_requested = Signal(object, bool)
    """A header was clicked: reload ordered by this ``CaseSort``, descending or not."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._total = 0
        self._fetching = False

    # -- the data ---------------------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many cases match the current filter (loaded or not)."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: list[CaseRow], total: int) -> None:
        """Replace everything (a new filter, a new order, or a refresh after a change)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._total = max(total, len(rows))
        self._fetching = False
        self.endResetModel()

    def append_rows(self, offset: int, rows: list[CaseRow]) -> None:
        """Add a fetched page; a page that no longer fits (the list was reset meanwhile) is dropped."""
        self._fetching = False
        if offset != len(self._rows) or not rows:
            if not rows:
                self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def fetch_failed(self) -> None:
        self._fetching = False

    def case_row(self, index: AnyIndex) -> CaseRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def index_of(self, case_id: uuid.UUID) -> QModelIndex:
        for position, row in enumerate(self._rows):
            if row.id == case_id:
                return self.index(position, 0)
        return QModelIndex()

    # -- QAbstractTableModel ----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.case_row(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(row, column)
        if role == CASE_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if column == COLUMN_CATEGORY:
            return row.category_name
        if column == COLUMN_OUTCOME and row.amount_fen:
            amount = fen_to_yuan_text(row.amount_fen)
            return QCoreApplication.translate("CaseTableModel", "Amount involved: {amount} yuan").format(amount=amount)
        text = display_text(row, column)
        return text if len(text) > 12 else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        self.fetch_requested.emit(len(self._rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
