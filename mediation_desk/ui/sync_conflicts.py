"""冲突: the records that two desks changed without seeing each other's change, and settling them field by field.

The list shows each open conflict (what record, its case number, soft / hard / delete). The review dialog puts
every field whose sides differ in a row: its value before, then each side's value with who made it and when; the
clerk picks a side per field (a field changed differently on both sides must be picked; one changed on one side
only starts on that side), or takes one side whole (for a delete conflict: keep the edit, or confirm the
deletion). ``resolve_conflict`` writes the resolution, which travels with the next export and settles the
conflict on the other desks too."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain import hlc
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync.conflicts import ConflictView, Field, Leaf, Resolved, resolve_conflict
from mediation_desk.ui.case_tabs import FIELDS
from mediation_desk.ui.sync_common import BusyDialog, Notice, button, guard, tr, value_text, when_text
from mediation_desk.ui.tasks import TaskRunner, show_error

HARD_STYLE = "color: #b3261e; font-weight: bold;"
CELL_WIDTH = 280


def field_name(name: str) -> str:
    return QCoreApplication.translate("CaseTabs", str(FIELDS[name])) if name in FIELDS else name


def leaf_time(leaf: Leaf) -> datetime | None:
    try:
        return hlc.physical(hlc.from_text(leaf.clock))
    except ValueError:
        return None


def leaf_text(leaf: Leaf) -> str:
    """``示例村（331122001001）修改，2026-03-02 10:15``, and whether it is shown for now."""
    action = tr("deleted it") if leaf.deleted else tr("changed it")
    text = f"{leaf.org} {action}，{when_text(leaf_time(leaf))}"
    return text + (tr(" (shown for now)") if leaf.winner else "")


def sides_text(view: ConflictView) -> str:
    return "；".join(leaf.org for leaf in view.leaves)


def fit(label: QLabel) -> None:
    """A value on one line when it is short, wrapped within a column's width when it is long."""
    label.setWordWrap(True)
    widest = max((label.fontMetrics().horizontalAdvance(line) for line in label.text().splitlines()), default=0)
    label.setMinimumWidth(min(widest + 8, CELL_WIDTH))
    label.setMaximumWidth(CELL_WIDTH)


class ChoiceLabel(QLabel):
    """A side's value beside its radio button: clicking the text picks it too."""

    def __init__(self, text: str, choice: QRadioButton) -> None:
        super().__init__(text)
        self.choice = choice
        fit(self)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.choice.setChecked(True)
        super().mousePressEvent(event)


class ConflictDialog(BusyDialog):
    """One conflict, side by side: pick a side per field, or take one side whole."""

    def __init__(self, desk: Desk, runner: TaskRunner, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.view = desk, runner, view
        self.resolved: Resolved | None = None
        self.edits = [leaf for leaf in view.leaves if not leaf.deleted]
        self.groups: dict[str, QButtonGroup] = {}
        self.setWindowTitle(self.tr("Review a conflict"))
        self.resize(1100, 640)
        if view.case_number and view.table == "dispute_case":
            title = f"{view.table_text} {view.case_number}：{view.label_text}"
        elif view.case_number:
            title = self.tr("{record} of case {number}: {label}").format(
                record=view.table_text, number=view.case_number, label=view.label_text
            )
        else:
            title = f"{view.table_text}：{view.label_text}"
        heading = QLabel(title)
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        explain = QLabel(
            self.tr(
                "Two desks changed this record without seeing each other's change. For each field pick the value "
                "that stands, or take one side whole. Fields in red were changed differently on both sides and "
                "must be picked."
            )
        )
        explain.setWordWrap(True)
        self.notice = Notice()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(
            self.tr("&Resolve with the chosen values"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(bool(view.fields))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(self._sides())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._fields())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)

    # -- building ---------------------------------------------------------------------------------------------

    def _sides(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.take_buttons: dict[str, QPushButton] = {}
        for number, leaf in enumerate(self.view.leaves, 1):
            row = QHBoxLayout()
            label = QLabel(self.tr("Side {number}: {text}").format(number=number, text=leaf_text(leaf)))
            label.setToolTip(self.tr("Revision {key}").format(key=leaf.key))
            text = self.tr("Confirm the deletion") if leaf.deleted else self.tr("Take side {number} whole")
            take = QPushButton(text.format(number=number))
            take.clicked.connect(lambda _checked=False, key=leaf.key: self.take(key))
            self.take_buttons[leaf.key] = take
            row.addWidget(label, 1)
            row.addWidget(take)
            box.addLayout(row)
        return box

    def _fields(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(16)
        headers = [self.tr("Field"), self.tr("Before")]
        headers += [
            self.tr("Side {number}").format(number=self.view.leaves.index(leaf) + 1) + f"<br>{leaf.org}"
            for leaf in self.edits
        ]
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
            grid.addWidget(label, 0, column)
            grid.setColumnStretch(column, 0 if column == 0 else 1)
        for row, item in enumerate(self.view.fields, 1):
            self._field_row(grid, row, item)
        if not self.view.fields:
            grid.addWidget(QLabel(self.tr("No field differs: take one side whole.")), 1, 0, 1, len(headers))
        grid.setRowStretch(len(self.view.fields) + 1, 1)
        return page

    def _field_row(self, grid: QGridLayout, row: int, item: Field) -> None:
        name = QLabel(field_name(item.name) + (tr(" (must pick)") if item.hard else ""))
        name.setToolTip(item.name)
        if item.hard:
            name.setStyleSheet(HARD_STYLE)
        grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(
            self._value(value_text(item.base)), row, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        group = QButtonGroup(self)
        self.groups[item.name] = group
        changed = [key for key, value in item.values.items() if value != item.base]
        for column, leaf in enumerate(self.edits, 2):
            if leaf.key not in item.values:
                continue
            cell = QWidget()
            line = QHBoxLayout(cell)
            line.setContentsMargins(0, 0, 0, 0)
            choice = QRadioButton()
            choice.setProperty("key", leaf.key)
            choice.setAccessibleName(f"{field_name(item.name)} {leaf.org}")
            group.addButton(choice)
            if not item.hard and changed and leaf.key == changed[0]:
                choice.setChecked(True)
            line.addWidget(choice, 0, Qt.AlignmentFlag.AlignTop)
            value = ChoiceLabel(value_text(item.values[leaf.key]), choice)
            line.addWidget(value)
            line.addStretch(1)
            grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignTop)

    def _value(self, text: str) -> QLabel:
        label = QLabel(text)
        fit(label)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- choosing ---------------------------------------------------------------------------------------------

    def choose(self, field: str, key: str) -> None:
        """Pick ``key``'s value for ``field`` (what clicking its button does)."""
        for choice in self.groups[field].buttons():
            if choice.property("key") == key:
                choice.setChecked(True)

    def chosen(self) -> dict[str, str]:
        found = {}
        for name, group in self.groups.items():
            checked = group.checkedButton()
            if checked is not None:
                found[name] = str(checked.property("key"))
        return found

    def apply(self) -> None:
        missing = [field_name(item.name) for item in self.view.fields if item.hard and item.name not in self.chosen()]
        if missing:
            self.notice.bad(self.tr("Pick a side for: {fields}").format(fields="、".join(missing)))
            return
        self._resolve(None, self.chosen())

    def take(self, key: str) -> None:
        self._resolve(key, {})

    def _resolve(self, take: str | None, fields: dict[str, str]) -> None:
        desk, number = self.desk, self.view.id
        self.apply_button.setEnabled(False)
        self.run_job(
            self.tr("Settling the conflict…"),
            lambda _report: resolve_conflict(desk, number, take=take, fields=fields or None),
            self._done,
            self._failed,
        )

    def _done(self, resolved: Resolved) -> None:
        self.resolved = resolved
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.apply_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.notice.bad(str(error))
        else:
            show_error(self, error)


class ConflictsPanel(QWidget):
    """The 冲突 tab of the 同步 page: the open conflicts, and the review of one."""

    changed = Signal()  # a conflict was resolved
    open_case = Signal(object)  # the uuid of the case the selected conflict belongs to

    def __init__(self, desk: Desk, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.runner = desk, runner
        self.conflicts: list[ConflictView] = []
        self.case_button = button("open", self.tr("&Open the case"), self.tr("Open the case this record belongs to"))
        self.case_button.clicked.connect(self._open_case)
        self.review_button = button("edit", self.tr("&Review…"), self.tr("Compare the sides field by field"))
        self.review_button.clicked.connect(lambda _checked=False: self.review())
        self._allowed = guard(
            desk,
            self.review_button,
            Permission.RESOLVE_CONFLICTS,
            self.tr("Only the committee's director and the judicial office's clerks settle conflicts"),
        )
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Record"), self.tr("Case number"), self.tr("Kind"), self.tr("Sides")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda _item: self.review())
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(self.tr("No open conflicts."))
        self.empty.setWordWrap(True)
        self.notice = Notice()
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.case_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_conflicts(self, conflicts: list[ConflictView]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, view in enumerate(conflicts):
            cells = (str(view.id), view.table_text, view.case_number or "—", view.label_text, sides_text(view))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount() - 1):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 24)
        self.empty.setVisible(not conflicts)
        self.table.setVisible(bool(conflicts))
        if conflicts:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        current = self.current()
        self.review_button.setEnabled(self._allowed and current is not None)
        self.case_button.setEnabled(current is not None and current.case_id is not None)

    def _open_case(self) -> None:
        current = self.current()
        if current is not None and current.case_id is not None:
            self.open_case.emit(current.case_id)

    def current(self) -> ConflictView | None:
        row = self.table.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def review(self, view: ConflictView | None = None) -> None:
        view = view or self.current()
        if view is None or not self._allowed:
            return
        dialog = ConflictDialog(self.desk, self.runner, view, self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.resolved is not None:
            self.notice.good(
                self.tr("Conflict {number} is settled; the resolution goes with the next export.").format(
                    number=dialog.resolved.conflict_id
                )
            )
            self.changed.emit()
