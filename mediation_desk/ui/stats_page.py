"""统计: the statistics dashboard. Pickers for the basis (by intake or by closing date), the period (with this
year, last year, this month, all dates) and the organisation (the desk's own or one below it); the headline
figures; charts; the organisation tree with every indicator, whose numbers open the cases behind them; the
mediators' figures for the yearly assessment (考核); the data-quality check and the exports to Excel and PDF.

Every figure comes from ``services.stats`` (one ``Statistics`` per choice, computed in the background), exactly as
``stats --json`` and the reports give it; the page formats, it never recomputes.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.statistics import Basis, Grouping
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.services.orgs import OrgInfo
from mediation_desk.services.stats import COMMITTEE_LEVELS, Statistics, StatsQuery, statistics
from mediation_desk.services.stats_cases import Behind, CasesBehind, cases_behind_figure
from mediation_desk.services.stats_export.columns import Kind, figure_text, period_text
from mediation_desk.services.stats_quality import QualityReport, quality
from mediation_desk.ui.icons import icon
from mediation_desk.ui.stats_charts import ChartPick, StatsCharts
from mediation_desk.ui.stats_dialogs import CasesDialog, QualityDialog, StatsExporter
from mediation_desk.ui.stats_table import (
    COLUMN_LEVEL,
    COLUMN_NAME,
    GROUP_HEADINGS,
    MEDIATOR_FIRST,
    MediatorTableModel,
    StatsTreeModel,
    heading_of,
)
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE

# the tables whose changes alter a figure
STATS_TABLES = (
    "dispute_case",
    "outcome",
    "case_mediator",
    "follow_up",
    "judicial_confirmation",
    "mediator",
    "org_unit",
    "screening_round",
)

THIS_YEAR, LAST_YEAR, THIS_MONTH, ALL_DATES, CUSTOM = range(5)
SCOPE_STYLE = "color: #555;"


def period_of(choice: int, today: date) -> tuple[date | None, date | None]:
    """The dates of a quick choice (``CUSTOM`` keeps what is set: ``None, None`` here)."""
    if choice == THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if choice == LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if choice == THIS_MONTH:
        following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return date(today.year, today.month, 1), following - timedelta(days=1)
    return None, None


def _depths(orgs: list[OrgInfo]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for org in orgs:  # tree order: a parent comes before its children
        parent = org.parent_code
        depth[org.code] = depth[parent] + 1 if parent is not None and parent in depth else 0
    return depth


class Headline(QFrame):
    """One headline figure: a caption and the number."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #555;")
        self.value = QLabel("—")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)


class StatsPage(QWidget):
    open_case = Signal(object)
    status = Signal(str)
    loaded = Signal(object)  # the Statistics shown
    cases_listed = Signal(object)  # the CasesDialog opened

    def __init__(self, desk: Desk, runner: TaskRunner, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.orgs = orgs
        self.result: Statistics | None = None
        self.query: StatsQuery | None = None  # the query behind ``result``
        self.dialogs: list[QWidget] = []
        self._generation = 0
        self._stale = False
        self.exporter = StatsExporter(runner, self)
        self.exporter.exported.connect(self._exported)
        self.exporter.open_case.connect(self.open_case)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 4)
        layout.addLayout(self._pickers())
        self.scope_label = QLabel()
        self.scope_label.setStyleSheet(SCOPE_STYLE)
        layout.addWidget(self.scope_label)
        layout.addLayout(self._headlines())
        self.records_label = QLabel()
        self.records_label.setStyleSheet(SCOPE_STYLE)
        self.records_label.setWordWrap(True)
        layout.addWidget(self.records_label)
        self.tabs = QTabWidget()
        self.charts = StatsCharts()
        self.charts.picked.connect(self._chart_picked)
        self.tabs.addTab(self.charts, icon("today"), self.tr("&Charts"))
        self.tabs.addTab(self._tree_tab(), icon("organisation"), self.tr("By &organisation"))
        self.tabs.addTab(self._group_tab(), icon("cases"), self.tr("By &type, source, month"))
        self.tabs.addTab(self._mediator_tab(), icon("assessment"), self.tr("Me&diators (assessment)"))
        layout.addWidget(self.tabs, 1)
        self._set_choice(THIS_YEAR, load=False)

    # -- building ---------------------------------------------------------------------------------------------

    def _pickers(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.basis = QComboBox()
        self.basis.addItem(self.tr("By intake date"), Basis.INTAKE.value)
        self.basis.addItem(self.tr("By closing date"), Basis.CLOSING.value)
        self.basis.setToolTip(self.tr("Which date puts a case in the period"))
        self.period = QComboBox()
        for text in (self.tr("This year"), self.tr("Last year"), self.tr("This month"), self.tr("All dates")):
            self.period.addItem(text)
        self.period.addItem(self.tr("Custom period"))
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setKeyboardTracking(False)  # a typed date counts once it is whole, not at every digit
            edit.dateChanged.connect(self._dates_edited)
        self.org = QComboBox()
        depths = _depths(self.orgs)
        for org in self.orgs:
            self.org.addItem("　" * depths.get(org.code, 0) + org.name, org.code)
        self.org.setToolTip(self.tr("The organisation counted, with everything below it"))
        self.org.setMinimumContentsLength(10)
        self.refresh_button = QPushButton(icon("refresh"), self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Compute the figures again (F5)"))
        self.check_button = QPushButton(icon("investigation"), self.tr("Check &data…"))
        self.check_button.setToolTip(self.tr("List the cases that would make the figures wrong"))
        self.xlsx_button = QPushButton(icon("export"), self.tr("E&xcel…"))
        self.xlsx_button.setToolTip(self.tr("Export the statistics to an Excel workbook (after the data check)"))
        self.pdf_button = QPushButton(icon("export"), self.tr("&PDF…"))
        self.pdf_button.setToolTip(self.tr("Export the statistics to a PDF report (after the data check)"))
        to_label = QLabel(self.tr("to"))
        for widget in (QLabel(self.tr("Period:")), self.basis, self.period, self.date_from, to_label, self.date_to):
            row.addWidget(widget)
        row.addSpacing(8)
        row.addWidget(QLabel(self.tr("Organisation:")))
        row.addWidget(self.org, 1)
        for button in (self.refresh_button, self.check_button, self.xlsx_button, self.pdf_button):
            row.addWidget(button)
        for button in (self.check_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(False)  # until there are figures to check and export
        self.basis.currentIndexChanged.connect(lambda _index: self.refresh())
        self.period.currentIndexChanged.connect(self._set_choice)
        self.org.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.check_button.clicked.connect(self.check_quality)
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        return row

    def _headlines(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.headlines = {
            "cases": Headline(self.tr("Disputes (cases)")),
            "successful": Headline(self.tr("Successful (cases)")),
            "success_rate": Headline(self.tr("Success rate (%)")),
            "amount_wan_yuan": Headline(self.tr("Agreed amount (10k yuan)")),
            "persons": Headline(self.tr("Persons involved")),
            "pending": Headline(self.tr("Open (cases)")),
        }
        for headline in self.headlines.values():
            row.addWidget(headline, 1)
        return row

    def _tree_tab(self) -> QWidget:
        page = QWidget()
        self.tree_model = StatsTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.activated.connect(lambda index: self._list_cell(self.tree_model, index))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hint = QLabel(self.tr("Expand an organisation to see those below it; double-click a number to list its cases."))
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        return page

    def _group_tab(self) -> QWidget:
        page = QWidget()
        self.grouping = QComboBox()
        self.grouping.addItem(self.tr("By dispute type (with sub-types)"), Grouping.CATEGORY.value)
        self.grouping.addItem(self.tr("By case source"), Grouping.SOURCE.value)
        self.grouping.addItem(self.tr("By month"), Grouping.MONTH.value)
        self.grouping.currentIndexChanged.connect(lambda _index: self._show_groups())
        self.group_model = StatsTreeModel(self, headings=GROUP_HEADINGS[Grouping.CATEGORY])
        self.groups = QTreeView()
        self.groups.setModel(self.group_model)
        self.groups.setAlternatingRowColors(True)
        self.groups.setUniformRowHeights(True)
        self.groups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups.activated.connect(lambda index: self._list_cell(self.group_model, index))
        self.groups.header().setStretchLastSection(False)
        row = QHBoxLayout()
        row.addWidget(self.grouping)
        hint = QLabel(self.tr("Double-click a number to list its cases."))
        hint.setStyleSheet(SCOPE_STYLE)
        row.addWidget(hint, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.groups, 1)
        return page

    def _show_groups(self) -> None:
        grouping = Grouping(self.grouping.currentData() or Grouping.CATEGORY.value)
        self.group_model.headings = GROUP_HEADINGS[grouping]
        self.group_model.set_groups(self.result, grouping)
        metrics = self.groups.fontMetrics()
        names = [
            metrics.horizontalAdvance(str(self.group_model.data(self.group_model.index(row, 0))))
            for row in range(self.group_model.rowCount())
        ]
        self.groups.setColumnWidth(COLUMN_NAME, max([*names, 120]) + self.groups.indentation() * 2 + 24)
        self.groups.setColumnWidth(COLUMN_LEVEL, metrics.horizontalAdvance("0000000") + 16)
        for column in range(COLUMN_LEVEL + 1, self.group_model.columnCount()):
            heading = str(self.group_model.headerData(column, Qt.Orientation.Horizontal))
            self.groups.setColumnWidth(column, max(metrics.horizontalAdvance(heading) + 20, 64))

    def _mediator_tab(self) -> QWidget:
        page = QWidget()
        self.mediator_model = MediatorTableModel(self)
        self.mediators = QTableView()
        self.mediators.setModel(self.mediator_model)
        self.mediators.setSortingEnabled(True)
        self.mediators.setAlternatingRowColors(True)
        self.mediators.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mediators.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mediators.verticalHeader().hide()
        self.mediators.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.mediators.horizontalHeader().setStretchLastSection(True)
        hint = QLabel(
            self.tr(
                "Per mediator, over the cases assigned to them in the period (a recused mediator is not counted); "
                "click a heading to sort."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.mediators, 1)
        return page

    # -- the choices ------------------------------------------------------------------------------------------

    def _set_choice(self, choice: int, *, load: bool = True) -> None:
        all_dates = choice == ALL_DATES
        self.date_from.setEnabled(not all_dates)
        self.date_to.setEnabled(not all_dates)
        if choice not in (CUSTOM, ALL_DATES):
            start, end = period_of(choice, date.today())
            assert start is not None
            assert end is not None
            self._set_dates(start, end)
        if self.period.currentIndex() != choice:
            self.period.blockSignals(True)
            self.period.setCurrentIndex(choice)
            self.period.blockSignals(False)
        if load:
            self.refresh()

    def _set_dates(self, start: date, end: date) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _dates_edited(self, _day: QDate) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentIndex(CUSTOM)
        self.period.blockSignals(False)
        self.refresh()

    def set_query(self, query: StatsQuery) -> None:
        """Show the figures of ``query`` (its period becomes a custom one; no dates: all dates)."""
        self.basis.blockSignals(True)
        self.basis.setCurrentIndex(0 if query.basis is Basis.INTAKE else 1)
        self.basis.blockSignals(False)
        self.org.blockSignals(True)
        position = self.org.findData(query.org_code) if query.org_code else 0
        self.org.setCurrentIndex(max(position, 0))
        self.org.blockSignals(False)
        if query.date_from is None and query.date_to is None:
            self._set_choice(ALL_DATES)
            return
        today = date.today()
        self._set_dates(query.date_from or date(1949, 10, 1), query.date_to or today)
        self._dates_edited(self.date_from.date())

    def current_query(self) -> StatsQuery:
        basis = Basis(self.basis.currentData() or Basis.INTAKE.value)
        code = self.org.currentData()
        if self.period.currentIndex() == ALL_DATES:
            start, end = None, None
        else:
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        assert start is None or isinstance(start, date)
        assert end is None or isinstance(end, date)
        return StatsQuery(start, end, str(code) if code else None, basis, Grouping.MEDIATOR)

    # -- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        self._generation += 1
        generation, query, desk = self._generation, self.current_query(), self.desk
        self.status.emit(self.tr("Computing the statistics…"))
        self.runner.read(
            lambda: statistics(desk, query),
            lambda result: self._show(generation, query, result),
            lambda error: self._failed(generation, error),
        )

    def _failed(self, generation: int, error: BaseException) -> None:
        """A choice the service refuses (a period that ends before it starts) is said where the scope is."""
        if generation != self._generation:
            return
        self.status.emit("")
        if isinstance(error, DomainError):
            self.scope_label.setStyleSheet(ERROR_STYLE)
            self.scope_label.setText(str(error))
        else:
            show_error(self, error)

    def _show(self, generation: int, query: StatsQuery, result: Statistics) -> None:
        if generation != self._generation:
            return  # a newer choice is being computed
        self.result, self.query = result, query
        self.scope_label.setStyleSheet(SCOPE_STYLE)
        totals = result.totals
        kinds = {"success_rate": Kind.RATE, "amount_wan_yuan": Kind.WAN}
        for key, headline in self.headlines.items():
            headline.value.setText(figure_text(kinds.get(key, Kind.COUNT), getattr(totals, key)))
        self.scope_label.setText(
            self.tr("{org} ({code}) and the organisations below it · {period} · cases counted by {basis}").format(
                org=result.org_name, code=result.org_code, period=period_text(result), basis=result.basis.label
            )
        )
        self.records_label.setText(self._records_text(result))
        for button in (self.check_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(True)
        self.charts.show_statistics(result)
        self.tree_model.set_statistics(result)
        self.tree.expandToDepth(0)
        self._fit_tree(result)
        self._show_groups()
        self.mediator_model.set_rows(result.by_mediator or [])
        self.mediators.sortByColumn(MEDIATOR_FIRST, Qt.SortOrder.DescendingOrder)  # the most cases first
        self._fit_mediators(result)
        self.status.emit("")
        self.loaded.emit(result)

    def _records_text(self, result: Statistics) -> str:
        """The figures recorded per organisation rather than per case: screening, the roster, the committees."""
        screening, roster = result.screening, result.roster
        committees = sum(result.committees.get(level, 0) for level in COMMITTEE_LEVELS)
        return self.tr(
            "Screening: {rounds} rounds, {found} disputes found, {prevented} prevented, {escalations} escalations "
            "to crime prevented · Mediators: {mediators} ({full_time} full-time, {legal} legal instructors) · "
            "Committees: {committees}"
        ).format(
            rounds=screening.rounds,
            found=screening.disputes_found,
            prevented=screening.disputes_prevented,
            escalations=screening.escalations_prevented,
            mediators=roster.mediators,
            full_time=roster.full_time,
            legal=roster.legal_instructors,
            committees=committees,
        )

    def _fit_tree(self, result: Statistics) -> None:
        """Names wide enough at every depth (not only the rows expanded now), figures as wide as their headings."""
        metrics = self.tree.fontMetrics()
        indent = self.tree.indentation()
        own = metrics.horizontalAdvance(self.tr("(own cases)")) + indent
        names = [metrics.horizontalAdvance(node.name) + indent * (node.depth + 1) for node in result.org_tree]
        self.tree.setColumnWidth(COLUMN_NAME, min(max([*names, 120]) + own // 2 + 24, 360))
        levels = [metrics.horizontalAdvance(node.level.label) for node in result.org_tree]
        self.tree.setColumnWidth(COLUMN_LEVEL, max([*levels, 40]) + 20)
        for column in range(COLUMN_LEVEL + 1, self.tree_model.columnCount()):
            heading = str(self.tree_model.headerData(column, Qt.Orientation.Horizontal))
            self.tree.setColumnWidth(column, max(metrics.horizontalAdvance(heading) + 20, 64))

    def _fit_mediators(self, result: Statistics) -> None:
        """Widths from the names and headings (measuring every cell of a thousand rows would stall the GUI)."""
        metrics = self.mediators.fontMetrics()
        rows = result.by_mediator or []
        for column, texts in ((0, [row.name for row in rows]), (1, [row.org_name for row in rows])):
            heading = str(self.mediator_model.headerData(column, Qt.Orientation.Horizontal))
            widest = max((metrics.horizontalAdvance(text) for text in {*texts, heading}), default=60)
            self.mediators.setColumnWidth(column, min(widest + 24, 320))
        for column in range(2, self.mediator_model.columnCount()):
            heading = str(self.mediator_model.headerData(column, Qt.Orientation.Horizontal))
            self.mediators.setColumnWidth(column, max(metrics.horizontalAdvance(heading) + 24, 64))

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches(*STATS_TABLES):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- the cases behind a number ----------------------------------------------------------------------------

    def list_cases(self, index: QModelIndex) -> None:
        """The cases behind a cell of the organisation tree (a figure column; nothing for the names)."""
        self._list_cell(self.tree_model, index)

    def _list_cell(self, model: StatsTreeModel, index: QModelIndex) -> None:
        figure = model.figure_at(index)
        if figure is None:
            return
        what = heading_of(figure.indicator)
        if figure.group is not None:
            row = model.row_of(index)
            what = f"{row.name if row is not None else figure.group[1]} · {what}"
        group = {figure.group[0]: figure.group[1]} if figure.group is not None else {}
        self._list(Behind(figure.indicator, **group), what, figure.org_code, own_only=figure.own_only)

    def _chart_picked(self, pick: ChartPick) -> None:
        self._list(pick.behind, pick.what, pick.org_code, own_only=pick.own_only)

    def _list(self, behind: Behind, what: str, org_code: str | None, *, own_only: bool) -> None:
        if self.query is None:
            return
        desk, query = self.desk, self.query
        self.runner.read(
            lambda: cases_behind_figure(desk, query, behind, org_code=org_code, own_only=own_only),
            lambda found: self._cases_found(what, found),
            lambda error: show_error(self, error),
        )

    def _cases_found(self, what: str, found: CasesBehind) -> None:
        dialog = CasesDialog(found, what, self)
        dialog.open_case.connect(self.open_case)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        self.cases_listed.emit(dialog)

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    # -- the check and the exports ----------------------------------------------------------------------------

    def check_quality(self) -> None:
        desk, query = self.desk, self.query or self.current_query()
        self.runner.read(lambda: quality(desk, query), self._show_quality, lambda error: show_error(self, error))

    def _show_quality(self, report: QualityReport) -> None:
        dialog = QualityDialog(report, exporting=False, parent=self)
        dialog.open_case.connect(self.open_case)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialogs.append(dialog)
        dialog.open()

    def ask_export(self, kind: str) -> None:
        if self.result is None:
            return
        period = period_text(self.result).replace(" ", "")
        suggested = f"{self.result.org_name}-{period}.{kind}"
        filters = self.tr("Excel workbook (*.xlsx)") if kind == "xlsx" else self.tr("PDF report (*.pdf)")
        title = self.tr("Export the statistics")
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / suggested), filters)
        if chosen:
            self.export_to(kind, Path(chosen))

    def export_to(self, kind: str, path: Path) -> None:
        """Check the data, show what it found (export anyway or cancel), then write ``path`` (``xlsx`` or ``pdf``)."""
        result, query = self.result, self.query
        if result is None or query is None:
            return
        try:
            target = self.exporter.target(path, kind)
        except DomainError as error:
            show_error(self, error)
            return
        desk = self.desk
        self.runner.read(
            lambda: quality(desk, query),
            lambda report: self.exporter.start(result, report, kind, target),
            lambda error: show_error(self, error),
        )

    def _exported(self, path: Path) -> None:
        self.status.emit(self.tr("Exported: {path}").format(path=str(path)))

    def case_ids_listed(self) -> list[uuid.UUID]:
        """The cases of the last list opened (tests read them)."""
        for dialog in reversed(self.dialogs):
            if isinstance(dialog, CasesDialog):
                return dialog.case_ids()
        return []
