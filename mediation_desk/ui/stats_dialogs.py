"""The statistics page's dialogs: the cases behind a number, the data-quality check (shown before every export,
so the county does not publish wrong numbers), and the export to Excel or PDF in the background.

The files are written by ``services.stats_export`` (whole or not at all); the check is ``services.stats_quality``.
Both dialogs list cases; a double click (or Enter) on one asks the main window to open it (``open_case``).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.cases.views import CaseRow
from mediation_desk.services.stats import Statistics
from mediation_desk.services.stats_cases import CasesBehind
from mediation_desk.services.stats_export import check_target, export_pdf, export_xlsx
from mediation_desk.services.stats_quality import Issue, QualityReport
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import Report, TaskRunner, run_with_progress, show_error

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUFFIXES = {"xlsx": ".xlsx", "pdf": ".pdf"}


AnyIndex = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Rows of text, each with the case it is about (a list of two thousand cases opens at once)."""

    def __init__(self, headings: list[str], parent: QObject | None = None, *, numbers: tuple[int, ...] = ()) -> None:
        super().__init__(parent)
        self.headings = headings
        self.numbers = numbers  # the columns of figures, aligned right
        self.rows: list[tuple[uuid.UUID | None, list[str]]] = []

    def set_rows(self, rows: list[tuple[uuid.UUID | None, list[str]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headings)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headings[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        case_id, texts = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[index.column()]
        if role == CASE_ID_ROLE:
            return case_id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numbers:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def case_ids(self) -> list[uuid.UUID]:
        return [case_id for case_id, _texts in self.rows if case_id is not None]


def _table(model: RowsModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setResizeContentsPrecision(100)  # widths from the first rows, not two thousand
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.resizeColumnsToContents()
    for column in range(model.columnCount()):
        table.setColumnWidth(column, min(table.columnWidth(column) + 8, 320))
    return table


class _CaseListDialog(QDialog):
    open_case = Signal(object)
    model: RowsModel

    def _activated(self, index: QModelIndex) -> None:
        value = self.model.data(index, CASE_ID_ROLE)
        if isinstance(value, uuid.UUID):
            self.open_case.emit(value)

    def case_ids(self) -> list[uuid.UUID]:
        """The cases listed, in order."""
        return self.model.case_ids()


class CasesDialog(_CaseListDialog):
    """The cases behind one number of the dashboard."""

    def __init__(self, found: CasesBehind, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        self.setWindowTitle(self.tr("Cases behind the number"))
        self.resize(1100, 560)
        scope = self.tr("{org} and the organisations below it") if not found.own_only else self.tr("{org} itself")
        heading = QLabel(
            self.tr("{scope} — {what}: {count} cases").format(
                scope=scope.format(org=found.org_name), what=what, count=found.total
            )
        )
        heading.setWordWrap(True)
        self.model = RowsModel(
            [
                self.tr("Case number"),
                self.tr("Intake date"),
                self.tr("Committee"),
                self.tr("Dispute type"),
                self.tr("Applicants"),
                self.tr("Respondents"),
                self.tr("Status"),
                self.tr("Outcome"),
                self.tr("Amount (yuan)"),
            ],
            self,
            numbers=(8,),
        )
        self.model.set_rows([(row.id, self._texts(row)) for row in found.rows])
        self.table = _table(self.model)
        self.table.activated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        if found.truncated:
            layout.addWidget(QLabel(self.tr("Only the first {shown} are listed.").format(shown=len(found.rows)), self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _texts(row: CaseRow) -> list[str]:
        return [
            row.number,
            row.intake_date.isoformat(),
            row.org_name,
            row.category_name,
            row.applicants,
            row.respondents,
            row.status.label,
            row.outcome.label if row.outcome else "",
            fen_to_yuan_text(row.amount_fen) if row.amount_fen else "",
        ]


class QualityDialog(_CaseListDialog):
    """What the check found. Before an export it asks whether to export anyway (accept) or not (reject)."""

    def __init__(self, report: QualityReport, *, exporting: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Data quality check"))
        self.resize(1000, 520)
        summary = QLabel(report.summary())
        summary.setWordWrap(True)
        summary.setStyleSheet("font-weight: bold;" + ("" if report.ok else " color: #b3261e;"))
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if exporting and not report.ok:
            note = QLabel(
                self.tr(
                    "These cases would make the published figures wrong. Correct them first (double-click a case "
                    "to open it), or export the report with the data as it is."
                )
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        headings = [self.tr("Problem"), self.tr("Committee"), self.tr("Case number"), self.tr("Intake date")]
        self.model = RowsModel([*headings, self.tr("Detail")], self)
        self.model.set_rows([(issue.case_id, self._texts(issue)) for issue in report.issues])
        self.table = _table(self.model)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        if report.truncated:
            layout.addWidget(QLabel(self.tr("Only the first {shown} are listed.").format(shown=len(report.issues))))
        self.buttons = QDialogButtonBox()
        if exporting:
            self.export_button = QPushButton(icon("export"), self.tr("&Export anyway"))
            self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @staticmethod
    def _texts(issue: Issue) -> list[str]:
        return [
            issue.rule.label,
            f"{issue.org_name}（{issue.org_code}）",
            issue.case_number or "",
            issue.intake_date.isoformat() if issue.intake_date else "",
            issue.detail,
        ]

    def rules(self) -> list[str]:
        """The rule of every row listed (tests read them)."""
        return [texts[0] for _case_id, texts in self.model.rows]


class StatsExporter(QObject):
    """Check, then write: the quality check in the background, its findings shown (export anyway or not), then the
    file written in the background with a progress dialog after half a second."""

    exported = Signal(object)  # the Path written
    open_case = Signal(object)

    def __init__(self, runner: TaskRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.runner = runner
        self.widget = parent_widget
        self.dialog: QualityDialog | None = None

    def start(self, result: Statistics, report_check: QualityReport, kind: str, path: Path) -> None:
        """Show the check's findings (if any) for the export of ``result`` to ``path``, then write it."""
        if report_check.ok:
            self.write(result, report_check, kind, path)
            return
        dialog = QualityDialog(report_check, exporting=True, parent=self.widget)
        dialog.open_case.connect(self.open_case)
        dialog.accepted.connect(lambda: self.write(result, report_check, kind, path))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: QualityDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def write(self, result: Statistics, report_check: QualityReport, kind: str, path: Path) -> None:
        writer = export_xlsx if kind == "xlsx" else export_pdf

        def work(_report: Report) -> Path:
            return writer(result, path, report_check)

        label = self.tr("Writing the Excel workbook…") if kind == "xlsx" else self.tr("Writing the PDF report…")
        run_with_progress(
            self.runner,
            self.widget,
            label,
            work,
            self._written,
            lambda error: show_error(self.widget, error),
            write=False,
        )

    def _written(self, path: Path) -> None:
        self.exported.emit(path)

    @staticmethod
    def target(path: Path, kind: str) -> Path:
        """``path`` with the right ending, checked (a ``ValidationError`` says what is wrong)."""
        suffix = SUFFIXES[kind]
        path = Path(path)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        return check_target(path, suffix)
