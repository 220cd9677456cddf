"""The case list as a Qt table model: column constants, translated headers, a role that returns the row object
(Vorta's ``archive_table_model.py``), and for very large lists Anki's way: the model holds the ids (keys) of every
matching case, in order, and a cache of the rows it has been given.

``data()`` never reaches the database: for a row not yet cached it shows an ellipsis and asks for it
(``rows_wanted``, batched per event-loop turn, with the rows around it); ``CaseListLoader`` answers off the GUI
thread and ``add_rows`` fills the cache and announces just those rows (``dataChanged``). Sorting asks the loader
to order the whole list in the database (``sort_requested``), never only the loaded rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.cases import CaseRow, CaseSort
from mediation_desk.services.search import CaseKey, key_forms

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
"""``data(index, CASE_ROW_ROLE)`` is the row's ``CaseRow`` (``None`` while it is not loaded)."""

PREFETCH = 120  # rows asked for around a row that is missing
CACHE_LIMIT = 20_000  # rows kept; beyond that the cache starts again with what is asked for
LOADING = "…"

_CENTRED = (COLUMN_INTAKE_DATE, COLUMN_STATUS)

AnyIndex = QModelIndex | QPersistentModelIndex


def display_text(row: CaseRow, column: int) -> str:
    """The text of one cell. Category, status and outcome labels come from the domain (already Chinese)."""
    texts = {
        COLUMN_NUMBER: row.number,
        COLUMN_INTAKE_DATE: row.intake_date.isoformat(),
        COLUMN_ORG: row.org_name,
        COLUMN_CATEGORY: row.category_name,
        COLUMN_APPLICANTS: row.applicants,
        COLUMN_RESPONDENTS: row.respondents,
        COLUMN_STATUS: row.status.label,
        COLUMN_OUTCOME: row.outcome.label if row.outcome else "",
    }
    return texts.get(column, "")


class CaseTableModel(QAbstractTableModel):
    rows_wanted = Signal(list)
    """Keys of rows the view needs and the cache lacks: load them (``add_rows``)."""
    sort_requested = Signal(object, bool)
    """A header was clicked: reload ordered by this ``CaseSort``, descending or not."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys: list[CaseKey] = []
        self._position: dict[CaseKey, int] = {}
        self._rows: dict[CaseKey, CaseRow] = {}
        self._asked: set[CaseKey] = set()
        self._wanted: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._ask)

    # -- the data ---------------------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many cases match the current filter (loaded or not)."""
        return len(self._keys)

    @property
    def loaded(self) -> int:
        return sum(1 for key in self._keys if key in self._rows)

    def set_keys(self, keys: Sequence[CaseKey], rows: Iterable[CaseRow] = ()) -> None:
        """Replace the list (a new filter, a new order, a refresh), with the rows already read for its start."""
        self.beginResetModel()
        self._keys = list(keys)
        self._position = {key: position for position, key in enumerate(self._keys)}
        self._asked.clear()
        self._wanted.clear()
        self._rows = {key: row for key, row in self._rows.items() if key in self._position}
        for row in rows:
            self._store(row)
        self.endResetModel()

    def extend_keys(self, keys: Sequence[CaseKey]) -> bool:
        """The whole list after its first screen: append the keys past the ones held (``beginInsertRows``, no
        reset, so selection and scrolling stay). False (nothing changed) when ``keys`` does not start with them."""
        held = len(self._keys)
        if len(keys) < held or list(keys[:held]) != self._keys:
            return False
        if len(keys) == held:
            return True
        self.beginInsertRows(QModelIndex(), held, len(keys) - 1)
        self._keys.extend(keys[held:])
        for position in range(held, len(keys)):
            self._position[self._keys[position]] = position
        self.endInsertRows()
        return True

    def _store(self, row: CaseRow) -> int | None:
        for key in key_forms(row.id):
            position = self._position.get(key)
            if position is not None:
                self._rows[key] = row
                self._asked.discard(key)
                return position
        return None

    def add_rows(self, rows: Iterable[CaseRow]) -> None:
        """Rows read for the keys asked for; rows of keys no longer listed are dropped."""
        if len(self._rows) > CACHE_LIMIT:
            self._rows.clear()
        positions = sorted(position for position in (self._store(row) for row in rows) if position is not None)
        if positions:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(positions[0], 0), self.index(positions[-1], last))

    def rows_failed(self, keys: Iterable[CaseKey]) -> None:
        """A read failed: ask again next time the rows are shown."""
        self._asked.difference_update(keys)

    def key_at(self, position: int) -> CaseKey | None:
        return self._keys[position] if 0 <= position < len(self._keys) else None

    def case_row(self, index: AnyIndex) -> CaseRow | None:
        if not index.isValid():
            return None
        key = self.key_at(index.row())
        return self._rows.get(key) if key is not None else None

    def case_id(self, index: AnyIndex) -> uuid.UUID | None:
        """The id of the case in this row, loaded or not."""
        key = self.key_at(index.row()) if index.isValid() else None
        return uuid.UUID(key) if key else None

    def index_of(self, case_id: uuid.UUID) -> QModelIndex:
        for key in key_forms(case_id):
            position = self._position.get(key)
            if position is not None:
                return self.index(position, 0)
        return QModelIndex()

    def keys(self) -> list[CaseKey]:
        return list(self._keys)

    # -- asking for rows --------------------------------------------------------------------------------------

    def _want(self, position: int) -> None:
        self._wanted.add(position)
        if not self._timer.isActive():
            self._timer.start()

    def _ask(self) -> None:
        wanted, self._wanted = self._wanted, set()
        keys: list[CaseKey] = []
        for position in sorted(wanted):
            for near in range(max(0, position - PREFETCH // 4), min(len(self._keys), position + PREFETCH)):
                key = self._keys[near]
                if key not in self._rows and key not in self._asked:
                    self._asked.add(key)
                    keys.append(key)
        if keys:
            self.rows_wanted.emit(keys)

    # -- QAbstractTableModel ----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        row = self._rows.get(self._keys[index.row()])
        column = index.column()
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(index.row())
                return LOADING if column == COLUMN_NUMBER else ""
            return None
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
