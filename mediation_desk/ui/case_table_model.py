"""The case list as a Qt table model: column constants, translated headers, a role that returns the row object
(Vorta's ``archive_table_model.py``), and for very large lists Anki's way: the model holds the ids (keys) of every
matching case, in order, and a cache of the rows it has been given. The keys are packed, 16 bytes each in one
``bytes`` (a million cases: 16 MB, where a list of strings and a dict of their positions took some 200 MB); the
cache is bounded (``CACHE_LIMIT``) and holds only rows of listed keys.

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
from mediation_desk.services.search import CaseKey, pack_keys

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


KEY_BYTES = 16  # a case id in the packed list of keys


def _packed(keys: Sequence[CaseKey] | bytes) -> bytes:
    return keys if isinstance(keys, bytes) else pack_keys(keys)


def _packed_key(key: CaseKey) -> bytes:
    return bytes.fromhex(key.replace("-", ""))


class CaseTableModel(QAbstractTableModel):
    rows_wanted = Signal(list)
    """Keys of rows the view needs and the cache lacks: load them (``add_rows``)."""
    sort_requested = Signal(object, bool)
    """A header was clicked: reload ordered by this ``CaseSort``, descending or not."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = b""  # packed (``pack_keys``): row ``n`` is ``_keys[16 n : 16 n + 16]``
        self._rows: dict[bytes, CaseRow] = {}  # only rows of listed keys (cleared with a new list)
        self._asked: dict[bytes, int] = {}  # keys asked for and their rows
        self._wanted: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._ask)

    # -- the data ---------------------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many cases match the current filter (loaded or not)."""
        return len(self._keys) // KEY_BYTES

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def set_keys(self, keys: Sequence[CaseKey] | bytes, rows: Iterable[CaseRow] = ()) -> None:
        """Replace the list (a new filter, a new order, a refresh), with the rows already read for its start.
        ``keys`` may be packed already (``pack_keys``)."""
        self.beginResetModel()
        self._keys = _packed(keys)
        self._asked.clear()
        self._wanted.clear()
        self._rows.clear()
        rows = list(rows)
        start = {self._key(position): position for position in range(min(self.total, 2 * len(rows)))}
        for row in rows:
            self._store(row, start.get(row.id.bytes))
        self.endResetModel()

    def extend_keys(self, keys: Sequence[CaseKey] | bytes) -> bool:
        """The whole list after its first screen: append the keys past the ones held (``beginInsertRows``, no
        reset, so selection and scrolling stay). False (nothing changed) when ``keys`` does not start with them."""
        packed = _packed(keys)
        held = len(self._keys)
        if len(packed) < held or packed[:held] != self._keys:
            return False
        if len(packed) == held:
            return True
        self.beginInsertRows(QModelIndex(), held // KEY_BYTES, len(packed) // KEY_BYTES - 1)
        self._keys = packed
        self.endInsertRows()
        return True

    def _key(self, position: int) -> bytes:
        return self._keys[position * KEY_BYTES : (position + 1) * KEY_BYTES]

    def _find(self, key: bytes) -> int | None:
        """The position of ``key`` in the list (a scan of the packed keys: milliseconds for a million)."""
        start = 0
        while (found := self._keys.find(key, start)) >= 0:
            if found % KEY_BYTES == 0:
                return found // KEY_BYTES
            start = found + 1
        return None

    def _store(self, row: CaseRow, position: int | None = None) -> int | None:
        key = row.id.bytes
        asked = self._asked.pop(key, None)
        for guess in (position, asked):
            if guess is not None and self._key(guess) == key:
                position = guess
                break
        else:
            position = self._find(key)
        if position is not None:
            self._rows[key] = row
        return position

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
        for key in keys:
            self._asked.pop(_packed_key(key), None)

    def key_at(self, position: int) -> CaseKey | None:
        return self._key(position).hex() if 0 <= position < self.total else None

    def case_row(self, index: AnyIndex) -> CaseRow | None:
        if not index.isValid() or not 0 <= index.row() < self.total:
            return None
        return self._rows.get(self._key(index.row()))

    def case_id(self, index: AnyIndex) -> uuid.UUID | None:
        """The id of the case in this row, loaded or not."""
        if not index.isValid() or not 0 <= index.row() < self.total:
            return None
        return uuid.UUID(bytes=self._key(index.row()))

    def index_of(self, case_id: uuid.UUID) -> QModelIndex:
        position = self._find(case_id.bytes)
        return self.index(position, 0) if position is not None else QModelIndex()

    def keys(self) -> list[CaseKey]:
        """Every listed key (32 hex digits), in order."""
        packed = self._keys
        return [packed[start : start + KEY_BYTES].hex() for start in range(0, len(packed), KEY_BYTES)]

    # -- asking for rows --------------------------------------------------------------------------------------

    def _want(self, position: int) -> None:
        self._wanted.add(position)
        if not self._timer.isActive():
            self._timer.start()

    def _ask(self) -> None:
        wanted, self._wanted = self._wanted, set()
        keys: list[CaseKey] = []
        total = self.total
        for position in sorted(wanted):
            for near in range(max(0, position - PREFETCH // 4), min(total, position + PREFETCH)):
                key = self._key(near)
                if key not in self._rows and key not in self._asked:
                    self._asked[key] = near
                    keys.append(key.hex())
        if keys:
            self.rows_wanted.emit(keys)

    # -- QAbstractTableModel ----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.total:
            return None
        row = self._rows.get(self._key(index.row()))
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
