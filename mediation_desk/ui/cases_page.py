"""案件: the case list with its filter bar (free text with pinyin, status, dispute type, period, organisation),
the count, an empty state that says what to do, and export of the current view to Excel."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import categories
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import OrgInfo
from mediation_desk.services.search import SearchFilter
from mediation_desk.ui import settings
from mediation_desk.ui.case_list import CaseListLoader
from mediation_desk.ui.case_table_model import (
    COLUMN_APPLICANTS,
    COLUMN_CATEGORY,
    COLUMN_INTAKE_DATE,
    COLUMN_NUMBER,
    COLUMN_ORG,
    COLUMN_OUTCOME,
    COLUMN_RESPONDENTS,
    COLUMN_STATUS,
    CaseTableModel,
)
from mediation_desk.ui.tasks import TaskRunner, run_with_progress

SEARCH_DELAY_MS = 300

# Sample texts that set the starting width of each column (the user may resize; the header state is saved).
_COLUMN_SAMPLES = {
    COLUMN_NUMBER: "(2021)缙五人调字第1234号",
    COLUMN_INTAKE_DATE: "2021-12-31",
    COLUMN_ORG: "新建镇新建村人民调解委员会",
    COLUMN_CATEGORY: "道路交通事故纠纷",
    COLUMN_APPLICANTS: "张三丰、李四光",
    COLUMN_RESPONDENTS: "缙云县某某物业有限公司",
    COLUMN_STATUS: "不予受理",
    COLUMN_OUTCOME: "书面协议",
}

PERIODS = ("all", "this_month", "this_year", "last_year", "custom")


def period_dates(period: str, today: date, start: date, end: date) -> tuple[date | None, date | None]:
    """The intake dates a period of the filter bar covers."""
    if period == "this_month":
        return today.replace(day=1), today
    if period == "this_year":
        return date(today.year, 1, 1), today
    if period == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if period == "custom":
        return start, end
    return None, None


class FilterBar(QWidget):
    """Free text (case number, parties' names in Chinese or pinyin, facts), status, type, period, organisation."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Case number, party name (or pinyin such as zs) or facts"))
        self.search.setMinimumWidth(240)
        self.status = QComboBox()
        self.status.addItem(self.tr("All statuses"), None)
        for status in CaseStatus:
            self.status.addItem(status.label, status)
        self.category = QComboBox()
        self.category.addItem(self.tr("All dispute types"), None)
        for category in categories():
            self.category.addItem(category.name, category.code)
        self.category.setMaxVisibleItems(20)
        self.period = QComboBox()
        labels = (
            self.tr("Any date"),
            self.tr("This month"),
            self.tr("This year"),
            self.tr("Last year"),
            self.tr("From … to …"),
        )
        for key, label in zip(PERIODS, labels, strict=True):
            self.period.addItem(label, key)
        self.date_from = self._date_edit(QDate(QDate.currentDate().year(), 1, 1))
        self.date_to = self._date_edit(QDate.currentDate())
        self.org = QComboBox()
        self.org.addItem(self.tr("All committees"), None)
        for org in orgs:
            self.org.addItem(org.name, org.code)
        self.org.setVisible(len(orgs) > 1)  # a village desk has only itself
        self.org.setMaxVisibleItems(20)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self._connect()
        self._lay_out()
        self._period_changed()

    def _date_edit(self, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(QDate(1990, 1, 1))
        return edit

    def _connect(self) -> None:
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._submit)
        for combo in (self.status, self.category, self.org):
            combo.currentIndexChanged.connect(self.changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget, stretch in (
            (self.tr("&Search"), self.search, 3),
            (self.tr("S&tatus"), self.status, 0),
            (self.tr("T&ype"), self.category, 0),
            (self.tr("&Period"), self.period, 0),
        ):
            text = QLabel(label)
            text.setBuddy(widget)
            layout.addWidget(text)
            layout.addWidget(widget, stretch)
        layout.addWidget(self.date_from)
        layout.addWidget(self.date_to)
        layout.addWidget(self.org)

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.changed.emit()

    def value(self) -> SearchFilter:
        start, end = period_dates(
            str(self.period.currentData()),
            date.today(),
            self.date_from.date().toPython(),  # type: ignore[arg-type]
            self.date_to.date().toPython(),  # type: ignore[arg-type]
        )
        status = self.status.currentData()
        category = self.category.currentData()
        org = self.org.currentData()
        return SearchFilter(
            text=self.search.text(),
            status=CaseStatus(status) if status else None,
            category=str(category) if category else None,
            org_code=str(org) if org else None,
            date_from=start,
            date_to=end,
        )

    def is_filtered(self) -> bool:
        flt = self.value()
        return any((flt.text.strip(), flt.status, flt.category, flt.org_code, flt.date_from, flt.date_to))

    def clear(self) -> None:
        for combo in (self.status, self.category, self.period, self.org):
            combo.setCurrentIndex(0)
        self.search.clear()
        self.flush()

    def flush(self) -> None:
        """Apply typed text now rather than after the pause."""
        if self._timer.isActive():
            self._timer.stop()
            self.changed.emit()

    def _submit(self) -> None:
        self.flush()
        self.submitted.emit()


class CaseTableView(QTableView):
    """The case list: rows are selected whole; Enter or a double click opens the case (``activated``)."""

    def __init__(self, model: CaseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast scrolling
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            self.setColumnWidth(column, metrics.horizontalAdvance(sample) + 20)
        header.setSortIndicator(COLUMN_INTAKE_DATE, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)


class CasesPage(QWidget):
    """The list of cases; ``open_case`` when the user opens one."""

    open_case = Signal(object)
    exported = Signal(str)

    def __init__(self, desk: Desk, runner: TaskRunner, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self._select_when_loaded: uuid.UUID | None = None
        self._export_pending = False
        self.model = CaseTableModel(self)
        self.loader = CaseListLoader(desk, runner, self.model, parent=self)
        self.filters = FilterBar(orgs)
        self.table = CaseTableView(self.model)
        self.count_label = QLabel()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 13pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)
        self.table.horizontalHeader().restoreState(settings.get(settings.CASE_TABLE_HEADER))
        self.loader.loaded.connect(self._on_loaded)
        self.loader.completed.connect(self._on_loaded)  # the count again, and a case to select past the first screen
        self.loader.completed.connect(self._export_when_complete)
        self.filters.changed.connect(self._apply_filters)
        self.filters.submitted.connect(self.focus_table)
        self.table.activated.connect(self._open_index)
        self.filters.search.installEventFilter(self)
        self.loader.set_filter(self.filters.value())
        self.loader.reload()

    # -- the list ---------------------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self.loader.set_filter(self.filters.value())

    def refresh(self, *, keep: uuid.UUID | None = None) -> None:
        self.filters.flush()
        current = keep or self.current_case_id()
        if current is not None:
            self._select_when_loaded = current
        self.loader.reload()

    def _on_loaded(self, total: int) -> None:
        if self.filters.is_filtered():
            text = self.tr("{count} cases match").format(count=total)
        else:
            text = self.tr("{count} cases").format(count=total)
        self.count_label.setText(text)
        if total == 0:
            self.empty.setText(
                self.tr("No case matches. Change the search or press Esc in the search field to clear it.")
                if self.filters.is_filtered()
                else self.tr("There are no cases on this desk yet. Press Ctrl+N to register the first one.")
            )
        self.stack.setCurrentIndex(1 if total == 0 else 0)
        if self._select_when_loaded is not None:
            self.select_case(self._select_when_loaded)

    def select_case(self, case_id: uuid.UUID) -> bool:
        index = self.model.index_of(case_id)
        if not index.isValid():
            return False
        self._select_when_loaded = None
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def select_later(self, case_id: uuid.UUID) -> None:
        if not self.select_case(case_id):
            self._select_when_loaded = case_id

    def current_case_id(self) -> uuid.UUID | None:
        return self.model.case_id(self.table.currentIndex())

    def has_selection(self) -> bool:
        return self.table.selectionModel().hasSelection()

    def _open_index(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index)
        if case_id is not None:
            self.open_case.emit(case_id)

    def selected_ids(self) -> list[uuid.UUID]:
        """The cases of the selected rows, in the list's order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        found = (self.model.case_id(self.model.index(row, 0)) for row in rows)
        return [case_id for case_id in found if case_id is not None]

    def open_selected(self) -> None:
        self._open_index(self.table.currentIndex())

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def focus_table(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.selectionModel().hasSelection():
            current = self.table.currentIndex()
            self.table.selectRow(current.row() if current.isValid() else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filters.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.filters.flush()
                self.focus_table()
                return True
            if event.key() == Qt.Key.Key_Escape and self.filters.search.text():
                self.filters.search.clear()
                return True
        return super().eventFilter(watched, event)

    def save_state(self) -> None:
        settings.put(settings.CASE_TABLE_HEADER, self.table.horizontalHeader().saveState())

    # -- export -----------------------------------------------------------------------------------------------

    def export(self) -> None:
        if not self.loader.complete:  # only the first screen is listed yet: export once every key is there
            self._export_pending = True
            return
        keys = self.model.keys()
        if not keys:
            return
        name, _selected = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the list to Excel"),
            str(Path.home() / "案件列表.xlsx"),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if name:
            self.export_to(Path(name), keys)

    def _export_when_complete(self, _total: int) -> None:
        if self._export_pending:
            self._export_pending = False
            self.export()

    def export_to(self, path: Path, keys: list[str]) -> None:
        desk = self.desk
        label = self.tr("Exporting {count} cases…").format(count=len(keys))

        def done(written: int) -> None:
            self.exported.emit(self.tr("{count} cases exported to {file}").format(count=written, file=path.name))

        from mediation_desk.services.case_export import export_cases  # openpyxl: only when exporting

        run_with_progress(
            self.runner,
            self,
            label,
            lambda report: export_cases(desk, keys, path, report),
            done,
            write=False,
            cancellable=True,
        )
