"""今日工作: the start page. What is due today, from ``services.worklist``, one group per kind of work, the most
urgent first; Enter or a double click on an item opens its case."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.services.desk import Desk
from mediation_desk.services.worklist import WorkItem, WorkKind, Worklist, WorkSection, worklist
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner

CONTEXT = "TodayPage"
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

SECTION_TITLES = {
    WorkKind.TO_ACCEPT: QT_TRANSLATE_NOOP("TodayPage", "Registered, to accept or refuse"),
    WorkKind.TO_ASSIGN: QT_TRANSLATE_NOOP("TodayPage", "Accepted, to assign mediators"),
    WorkKind.OVERDUE: QT_TRANSLATE_NOOP("TodayPage", "Open longer than a month"),
    WorkKind.FOLLOW_UP_DUE: QT_TRANSLATE_NOOP("TodayPage", "Follow-up visits due (performance deadline passed)"),
    WorkKind.UNSIGNED: QT_TRANSLATE_NOOP("TodayPage", "Agreements printed, not yet marked signed"),
    WorkKind.CONFIRMATION: QT_TRANSLATE_NOOP("TodayPage", "Judicial confirmation window closing within 7 days"),
    WorkKind.TO_CLOSE: QT_TRANSLATE_NOOP("TodayPage", "Concluded, to close and file"),
}

SECTION_ICONS = {
    WorkKind.TO_ACCEPT: "accept",
    WorkKind.TO_ASSIGN: "assign",
    WorkKind.OVERDUE: "history",
    WorkKind.FOLLOW_UP_DUE: "follow_up",
    WorkKind.UNSIGNED: "agreement",
    WorkKind.CONFIRMATION: "court",
    WorkKind.TO_CLOSE: "close_case",
}


def _tr(text: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(text))


def item_note(item: WorkItem) -> str:
    """What the date of an item means, in words."""
    notes = {
        WorkKind.TO_ACCEPT: QT_TRANSLATE_NOOP("TodayPage", "registered {days} days ago"),
        WorkKind.TO_ASSIGN: QT_TRANSLATE_NOOP("TodayPage", "accepted, {days} days since intake"),
        WorkKind.OVERDUE: QT_TRANSLATE_NOOP("TodayPage", "open for {days} days"),
        WorkKind.FOLLOW_UP_DUE: QT_TRANSLATE_NOOP("TodayPage", "deadline passed {days} days ago"),
        WorkKind.UNSIGNED: QT_TRANSLATE_NOOP("TodayPage", "printed {days} days ago"),
        WorkKind.CONFIRMATION: QT_TRANSLATE_NOOP("TodayPage", "{days} days left to apply"),
        WorkKind.TO_CLOSE: QT_TRANSLATE_NOOP("TodayPage", "concluded {days} days ago"),
    }
    return _tr(notes[item.kind]).format(days=item.days)


class TodayPage(QWidget):
    open_case = Signal(object)
    loaded = Signal(object)

    def __init__(self, desk: Desk, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.worklist: Worklist | None = None
        self.heading = QLabel(self.tr("Today's work"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Case number"), self.tr("Parties"), self.tr("Date"), self.tr("Note")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        header = self.tree.header()
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        samples = ("(2021)缙五人调字第1234号", "张三丰、李四光 — 缙云县某某有限公司", "2021-12-31")
        for column, sample in enumerate(samples):
            indent = self.tree.indentation() if column == 0 else 0
            self.tree.setColumnWidth(column, metrics.horizontalAdvance(sample) + indent + 30)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.empty = QLabel(
            self.tr("Nothing is due today. Register a new dispute with Ctrl+N, or find a case under Cases (Ctrl+F).")
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 13pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        self.refresh()

    def refresh(self) -> None:
        desk = self.desk
        self.runner.read(lambda: worklist(desk), self._show)

    def _show(self, work: Worklist) -> None:
        self.worklist = work
        self.tree.clear()
        due = sum(section.total for section in work.sections)
        self.summary.setText(
            self.tr("{date}: {count} items need attention").format(date=work.today.isoformat(), count=due)
        )
        for section in work.sections:
            if section.total:
                self._section(section)
        self.tree.resizeColumnToContents(0)  # whole case numbers (the prefixes differ in length)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0) + 12, 420))
        self.stack.setCurrentIndex(1 if work.empty else 0)
        first = self.tree.topLevelItem(0)
        child = first.child(0) if first is not None else None
        if child is not None:
            self.tree.setCurrentItem(child)
        self.loaded.emit(work)

    def _section(self, section: WorkSection) -> None:
        title = _tr(SECTION_TITLES[section.kind])
        shown = len(section.items)
        count = (
            f"（{section.total}）"
            if shown == section.total
            else self.tr("({shown} of {total})").format(shown=shown, total=section.total)
        )
        group = QTreeWidgetItem(self.tree, [f"{title}{count}"])
        group.setIcon(0, icon(SECTION_ICONS[section.kind]))
        group.setFirstColumnSpanned(True)
        font = QFont(group.font(0))
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for item in section.items:
            child = QTreeWidgetItem(
                group, [item.number, item.parties, item.on.isoformat() if item.on else "", item_note(item)]
            )
            child.setData(0, CASE_ID_ROLE, str(item.case_id))
            child.setToolTip(1, item.parties)
        group.setExpanded(True)

    def items(self, kind: WorkKind) -> list[QTreeWidgetItem]:
        """The rows shown for one kind of work (tests and the screenshots read them)."""
        title = _tr(SECTION_TITLES[kind])
        for position in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(position)
            if group is not None and group.text(0).startswith(title):
                children = (group.child(index) for index in range(group.childCount()))
                return [child for child in children if child is not None]
        return []

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, CASE_ID_ROLE)
        if value:
            self.open_case.emit(uuid.UUID(str(value)))

    def focus_list(self) -> None:
        self.tree.setFocus()
