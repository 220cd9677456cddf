"""调解员与组织: the mediator roster (roles, full- or part-time, legal instructors, active period, pairings with
villages, yearly assessments) and the organisation tree (with the import of village lists from CSV and the
case-number prefix of each committee)."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.masking import mask_phone
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import MediatorInfo, list_mediators
from mediation_desk.services.orgs import OrgImportSummary, OrgInfo, import_orgs, list_orgs, set_case_prefix
from mediation_desk.services.roster import MediatorDetail, mediator_detail
from mediation_desk.ui.icons import icon
from mediation_desk.ui.roster_dialogs import AssessmentDialog, MediatorDialog, PairingDialog
from mediation_desk.ui.tasks import TaskRunner, show_error

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _button(name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(icon(name), text)
    button.setToolTip(tip)
    return button


class RostersPage(QWidget):
    def __init__(self, desk: Desk, runner: TaskRunner, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.orgs = orgs
        self.mediators: list[MediatorInfo] = []
        self.detail: MediatorDetail | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._mediator_tab(), icon("people"), self.tr("&Mediators"))
        self.tabs.addTab(self._org_tab(), icon("organisation"), self.tr("&Organisations"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.tabs)
        self._apply_role()
        self.refresh()

    # -- building ---------------------------------------------------------------------------------------------

    def _mediator_tab(self) -> QWidget:
        page = QWidget()
        buttons = QHBoxLayout()
        self.add_button = _button("assign", self.tr("Add media&tor…"), self.tr("Add a mediator to the roster"))
        self.edit_button = _button("edit", self.tr("&Edit…"), self.tr("Correct the selected mediator"))
        self.pair_button = _button(
            "pairing", self.tr("&Pair with village…"), self.tr("Pair the selected mediator with a village")
        )
        self.assess_button = _button(
            "assessment", self.tr("A&ssessment…"), self.tr("Record the selected mediator's yearly assessment")
        )
        for button in (self.add_button, self.edit_button, self.pair_button, self.assess_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(self.add_mediator)
        self.edit_button.clicked.connect(self.edit_mediator)
        self.pair_button.clicked.connect(self.pair)
        self.assess_button.clicked.connect(self.assess)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Committee"),
                self.tr("Role"),
                self.tr("Employment"),
                self.tr("Legal instructor"),
                self.tr("Serving"),
                self.tr("Phone"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemActivated.connect(lambda _item: self.edit_mediator())
        self.detail_label = QLabel(self.tr("Select a mediator to see pairings and assessments."))
        self.detail_label.setWordWrap(True)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty = QLabel(self.tr("No mediator on the roster yet. Add the committee's members with “Add mediator”."))
        self.empty.setWordWrap(True)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_label)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        return page

    def _org_tab(self) -> QWidget:
        page = QWidget()
        buttons = QHBoxLayout()
        self.import_button = _button(
            "import", self.tr("&Import village list (CSV)…"), self.tr("Columns: code,name,level,parent_code")
        )
        self.prefix_button = _button(
            "edit", self.tr("Case number &prefix…"), self.tr("Set the selected committee's case-number prefix")
        )
        self.import_button.clicked.connect(self.import_orgs)
        self.prefix_button.clicked.connect(self.set_prefix)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.prefix_button)
        buttons.addStretch(1)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Code"), self.tr("Level"), self.tr("Case number prefix")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        return page

    def _apply_role(self) -> None:
        role = self.desk.actor.role
        roster, orgs = allowed(role, Permission.MANAGE_ROSTER), allowed(role, Permission.MANAGE_ORGS)
        for button in (self.add_button, self.edit_button, self.pair_button, self.assess_button):
            if not roster:
                button.setEnabled(False)
                button.setToolTip(self.tr("Your role may not change the roster"))
        for button in (self.import_button, self.prefix_button):
            if not orgs:
                button.setEnabled(False)
                button.setToolTip(
                    self.tr("Only the judicial office's clerks and the administrator keep the organisations")
                )
        self._roster_allowed = roster

    # -- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        desk = self.desk
        self.runner.read(lambda: (list_mediators(desk), list_orgs(desk)), self._loaded)

    def _loaded(self, result: tuple[list[MediatorInfo], list[OrgInfo]]) -> None:
        self.mediators, orgs = result
        show_phone = allowed(self.desk.actor.role, Permission.VIEW_IDENTITY)
        self.table.setRowCount(len(self.mediators))
        yes, no = self.tr("Yes"), ""
        for row, info in enumerate(self.mediators):
            cells = (
                info.name,
                info.org_name,
                info.role.label,
                info.employment.label,
                yes if info.legal_instructor else no,
                self.tr("Serving") if info.active else self.tr("Left"),
                info.phone if show_phone else mask_phone(info.phone),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, str(info.id))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        last = self.table.columnCount() - 1
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)  # the table is filled to its edge
        self.empty.setVisible(not self.mediators)
        self._fill_tree(orgs)
        self._selected()

    def _fill_tree(self, orgs: list[OrgInfo]) -> None:
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for org in orgs:
            parent = items.get(org.parent_code or "")
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
            item.setText(0, org.name)
            item.setText(1, org.code)
            item.setText(2, org.level.label)
            item.setText(3, org.case_prefix or "")
            item.setData(0, ID_ROLE, org.code)
            items[org.code] = item
        self.tree.expandToDepth(1)
        for column in (1, 2, 3):
            self.tree.resizeColumnToContents(column)

    def selected_mediator(self) -> MediatorInfo | None:
        row = self.table.currentRow()
        return self.mediators[row] if 0 <= row < len(self.mediators) and self.table.selectedItems() else None

    def _selected(self) -> None:
        info = self.selected_mediator()
        for button in (self.edit_button, self.pair_button, self.assess_button):
            button.setEnabled(info is not None and self._roster_allowed)
        if info is None:
            self.detail = None
            self.detail_label.setText(self.tr("Select a mediator to see pairings and assessments."))
            return
        desk = self.desk
        self.runner.read(lambda: mediator_detail(desk, info.id), self._show_detail)

    def _show_detail(self, detail: MediatorDetail) -> None:
        self.detail = detail
        now, none = self.tr("now"), self.tr("none")
        lines = [f"<b>{detail.name}</b>"]
        period = f"{detail.active_from or '—'} ～ {detail.active_to or now}"
        lines.append(self.tr("Serving: {period}").format(period=period))
        lines.append("<br><b>" + self.tr("Pairings") + "</b>")
        lines += [f"{p.org_name}（{p.start or '—'} ～ {p.end or self.tr('now')}）" for p in detail.pairings] or [
            self.tr("none")
        ]
        lines.append("<br><b>" + self.tr("Assessments") + "</b>")
        lines += [f"{a.year}：{a.grade}" for a in detail.assessments] or [none]
        self.detail_label.setText("<br>".join(lines))

    # -- actions ----------------------------------------------------------------------------------------------

    def add_mediator(self) -> None:
        MediatorDialog.run_dialog(MediatorDialog(self.runner, self.desk, self.orgs, None, self))

    def edit_mediator(self) -> None:
        if self.detail is not None and self._roster_allowed:
            MediatorDialog.run_dialog(MediatorDialog(self.runner, self.desk, self.orgs, self.detail, self))

    def pair(self) -> None:
        info = self.selected_mediator()
        if info is not None:
            dialog = PairingDialog(self.runner, self.desk, info.id, info.name, self._all_orgs(), self)
            if PairingDialog.run_dialog(dialog):
                self._selected()

    def assess(self) -> None:
        info = self.selected_mediator()
        if info is not None and AssessmentDialog.run_dialog(
            AssessmentDialog(self.runner, self.desk, info.id, info.name, self)
        ):
            self._selected()

    def _all_orgs(self) -> list[OrgInfo]:
        return self.orgs

    def import_orgs(self) -> None:
        name, _selected = QFileDialog.getOpenFileName(
            self, self.tr("Import a village list"), str(Path.home()), self.tr("CSV files (*.csv)")
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        desk = self.desk

        def done(result: object) -> None:
            summary: OrgImportSummary = result.value  # type: ignore[attr-defined]
            QMessageBox.information(
                self,
                self.tr("Import a village list"),
                self.tr("{created} added, {updated} changed, {unchanged} already on file.").format(
                    created=summary.created, updated=summary.updated, unchanged=summary.unchanged
                ),
            )

        self.runner.write(lambda: import_orgs(desk, path), done, lambda error: show_error(self, error))

    def selected_org(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, ID_ROLE)) if item is not None else None

    def set_prefix(self) -> None:
        code = self.selected_org()
        if code is None:
            QMessageBox.information(
                self, self.tr("Case number prefix"), self.tr("Choose a committee in the tree first.")
            )
            return
        prefix, ok = QInputDialog.getText(self, self.tr("Case number prefix"), self.tr("Prefix, e.g. 缙五人调:"))
        if ok and prefix.strip():
            desk = self.desk
            self.runner.write(
                lambda: set_case_prefix(desk, code, prefix), lambda _r: None, lambda e: show_error(self, e)
            )

    def mediator_id_at(self, row: int) -> uuid.UUID | None:
        item = self.table.item(row, 0)
        return uuid.UUID(str(item.data(ID_ROLE))) if item is not None else None
