"""The main window: the case list with its filter bar, the actions on cases, and a status bar.

It knows the desk only through services (``list_cases`` via ``CaseListLoader``, ``register_case`` via the case
form, ``get_case`` via the case view) and refreshes when the application-wide change signal says cases changed.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import mediation_desk
from mediation_desk.demo import SYNTHETIC_SETTING
from mediation_desk.domain.codes import categories
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import CaseRow
from mediation_desk.services.desk import ORG_SETTING, Changes, Desk
from mediation_desk.services.integrity import IntegrityReport
from mediation_desk.services.orgs import list_orgs
from mediation_desk.ui import settings
from mediation_desk.ui.case_form import CaseForm
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
from mediation_desk.ui.case_view import CaseView
from mediation_desk.ui.tasks import ChangeHub, TaskRunner

SEARCH_DELAY_MS = 300
CASE_TABLES = ("dispute_case", "party", "outcome", "org_unit")

# Sample texts that set the starting width of each column (the user may resize; the header state is saved).
_COLUMN_SAMPLES = {
    COLUMN_NUMBER: "(2021)缙五人调字第1234号",
    COLUMN_INTAKE_DATE: "2021-12-31",
    COLUMN_ORG: "新建镇新建村人民调解委员会",
    COLUMN_CATEGORY: "道路交通事故纠纷",
    COLUMN_APPLICANTS: "张三丰、李四光、王五",
    COLUMN_RESPONDENTS: "缙云县某某物业服务有限公司",
    COLUMN_STATUS: "不予受理",
    COLUMN_OUTCOME: "书面协议",
}


class FilterBar(QWidget):
    """Free text (case number, parties' names, facts), status and dispute type."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Case number, party name or facts"))
        self.search.setMinimumWidth(280)
        self.status = QComboBox()
        self.status.addItem(self.tr("All statuses"), None)
        for status in CaseStatus:
            self.status.addItem(status.label, status)
        self.category = QComboBox()
        self.category.addItem(self.tr("All dispute types"), None)
        for category in categories():
            self.category.addItem(category.name, category.code)
        self.category.setMaxVisibleItems(20)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._submit)
        self.status.currentIndexChanged.connect(self.changed)
        self.category.currentIndexChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget, stretch in (
            (self.tr("&Search"), self.search, 3),
            (self.tr("S&tatus"), self.status, 0),
            (self.tr("T&ype"), self.category, 0),
        ):
            text = QLabel(label)
            text.setBuddy(widget)
            layout.addWidget(text)
            layout.addWidget(widget, stretch)
            layout.addSpacing(8)
        layout.addStretch(1)

    def text(self) -> str:
        return self.search.text()

    def status_value(self) -> CaseStatus | None:
        data = self.status.currentData()
        return CaseStatus(data) if data else None

    def category_value(self) -> str | None:
        data = self.category.currentData()
        return str(data) if data else None

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
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            self.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        header.setSortIndicator(COLUMN_INTAKE_DATE, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, runner: TaskRunner, changes: ChangeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.org_name = self._org_name()
        self.synthetic = desk.setting(SYNTHETIC_SETTING) == "1"
        self._select_when_loaded: uuid.UUID | None = None
        self.setWindowTitle(self._title())
        self.model = CaseTableModel(self)
        self.loader = CaseListLoader(desk, runner, self.model, parent=self)
        self.filters = FilterBar()
        self.table = CaseTableView(self.model)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_centre()
        self._build_status_bar()
        self._connect(changes)
        self._restore_geometry()
        self.loader.reload()
        self.filters.search.setFocus()

    # -- building ---------------------------------------------------------------------------------------------

    def _org_name(self) -> str:
        code = self.desk.setting(ORG_SETTING)
        for org in list_orgs(self.desk):
            if org.code == code:
                return org.name
        return code or ""

    def _title(self) -> str:
        title = self.tr("Mediation Desk — {organisation}").format(organisation=self.org_name)
        if self.synthetic:
            title += self.tr(" (demo data)")
        return title

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
        action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        self.new_case_action = self._action(
            self.tr("&Register case"), QKeySequence.StandardKey.New, self.tr("Register a new case and its parties")
        )
        self.open_action = self._action(self.tr("&Open"), "Ctrl+O", self.tr("Open the selected case"))
        self.refresh_action = self._action(
            self.tr("Re&fresh"), QKeySequence.StandardKey.Refresh, self.tr("Read the case list again")
        )
        if self.refresh_action.shortcut().isEmpty():
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.find_action = self._action(self.tr("&Find"), QKeySequence.StandardKey.Find, self.tr("Search the cases"))
        self.quit_action = self._action(self.tr("E&xit"), "Ctrl+Q", self.tr("Close Mediation Desk"))
        self.about_action = QAction(self.tr("&About Mediation Desk"), self)
        self.new_case_action.triggered.connect(self.new_case)
        self.open_action.triggered.connect(self.open_selected)
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action.triggered.connect(self._focus_search)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._about)
        self.open_action.setEnabled(False)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        desk_menu = menus.addMenu(self.tr("&Desk"))
        desk_menu.addAction(self.quit_action)
        case_menu = menus.addMenu(self.tr("&Cases"))
        for action in (self.new_case_action, self.open_action, self.refresh_action, self.find_action):
            case_menu.addAction(action)
        help_menu = menus.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Cases"))
        toolbar.setObjectName("cases_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_case_action, self.open_action, self.refresh_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

    def _build_centre(self) -> None:
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(centre)
        self.setTabOrder(self.filters.search, self.filters.status)
        self.setTabOrder(self.filters.status, self.filters.category)
        self.setTabOrder(self.filters.category, self.table)
        self.filters.search.installEventFilter(self)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.synthetic_marker = QLabel(self.tr("Demo data"))
        self.synthetic_marker.setToolTip(
            self.tr("Everything on this desk was generated by the program. No case or person in it is real.")
        )
        self.synthetic_marker.setStyleSheet(
            "QLabel { background: #f4b400; color: #202020; font-weight: bold; padding: 1px 10px; border-radius: 3px; }"
        )
        self.synthetic_marker.setVisible(self.synthetic)
        self.statusBar().addPermanentWidget(self.synthetic_marker)

    def _connect(self, changes: ChangeHub) -> None:
        changes.changed.connect(self._on_changes)
        self.loader.loaded.connect(self._on_loaded)
        self.filters.changed.connect(self._apply_filters)
        self.filters.submitted.connect(self._focus_table)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)

    # -- the list ---------------------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self.loader.set_filter(
            text=self.filters.text(),
            status=self.filters.status_value(),
            category=self.filters.category_value(),
        )

    def refresh(self) -> None:
        self.filters.flush()
        self.loader.reload(keep_loaded=True)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TABLES):
            current = self.current_case()
            if self._select_when_loaded is None and current is not None:
                self._select_when_loaded = current.id
            self.loader.reload(keep_loaded=True)

    def _on_loaded(self, total: int) -> None:
        filtered = any((self.filters.text().strip(), self.filters.status_value(), self.filters.category_value()))
        if filtered:
            self.count_label.setText(self.tr("{count} cases match").format(count=total))
        else:
            self.count_label.setText(self.tr("{count} cases").format(count=total))
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

    def current_case(self) -> CaseRow | None:
        return self.model.case_row(self.table.currentIndex())

    def _selection_changed(self) -> None:
        self.open_action.setEnabled(self.table.selectionModel().hasSelection())

    # -- actions ----------------------------------------------------------------------------------------------

    def new_case(self) -> None:
        row, ok = CaseForm.register(self, self.runner, self.desk)
        if ok and row is not None and not self.select_case(row.id):
            self._select_when_loaded = row.id
            self.statusBar().showMessage(self.tr("Case {number} registered").format(number=row.number), 8000)

    def open_selected(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.case_row(index)
        if row is not None:
            CaseView.open_case(self, self.runner, self.desk, row.id)

    def _focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _focus_table(self) -> None:
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
                self._focus_table()
                return True
            if event.key() == Qt.Key.Key_Escape and self.filters.search.text():
                self.filters.search.clear()
                return True
        return super().eventFilter(watched, event)

    def show_damaged(self, report: IntegrityReport) -> None:
        """The background check found the database damaged: say so, and how to recover."""
        text = self.tr("The database of this desk is damaged: {problem}").format(problem=report.problem or "")
        if report.backup and report.restore_command:
            text += "\n\n" + self.tr(
                "Make no more changes. To recover, close Mediation Desk and restore the last good backup, "
                "{backup}, with this command:\n\n{command}\n\nThe damaged database is kept as a copy first."
            ).format(backup=report.backup, command=report.restore_command)
        else:
            text += "\n\n" + self.tr(
                "No intact backup was found. Make no more changes, copy the whole data folder {folder} to a safe "
                "place and ask for technical support."
            ).format(folder=report.folder or "")
        QMessageBox.critical(self, self.tr("Database damaged"), text)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Mediation Desk"),
            self.tr("Mediation Desk {version}\nCase management for people's mediation committees.").format(
                version=mediation_desk.__version__
            ),
        )

    # -- window state -----------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        restored = self.restoreGeometry(settings.get(settings.MAIN_GEOMETRY))
        self.table.horizontalHeader().restoreState(settings.get(settings.CASE_TABLE_HEADER))
        if not restored:
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width() - 40), min(720, screen.height() - 40))
            self.move(screen.center() - self.rect().center())

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.put(settings.MAIN_GEOMETRY, self.saveGeometry())
        settings.put(settings.CASE_TABLE_HEADER, self.table.horizontalHeader().saveState())
        super().closeEvent(event)
