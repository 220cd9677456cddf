"""同步: sync files with the township, the villages or the county (SYNC.md), in three tabs.

- 状态: every trusted office (its level, the last file from it and to it, missing revisions, open conflicts,
  whether it sent nothing this month), with the two everyday actions: export a file, import files.
- 冲突: the open conflicts, reviewed and settled field by field (``sync_conflicts``).
- 密钥: this desk's fingerprint, its public key file, the offices it trusts (``sync_keys``).

Nothing is read in the constructor; ``refresh`` loads the status and the conflicts in the background.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.services.orgs import OrgInfo
from mediation_desk.services.sync.conflicts import ConflictView, list_conflicts
from mediation_desk.services.sync.report import TABLE_NAMES
from mediation_desk.services.sync.status import PeerStatus, SyncStatus, sync_status
from mediation_desk.services.sync.trust import rank
from mediation_desk.ui.icons import icon
from mediation_desk.ui.sync_common import SYNC_TABLES, button, documents_folder, guard, when_text
from mediation_desk.ui.sync_conflicts import ConflictsPanel
from mediation_desk.ui.sync_dialogs import ExportDialog, ImportDialog
from mediation_desk.ui.sync_keys import KeysPanel
from mediation_desk.ui.tasks import TaskRunner

WATCHED = (*SYNC_TABLES, *TABLE_NAMES)
KEY_TABLES = ("sync_peer", "setting", "device_state")
ATTENTION = QColor("#b3261e")


class SyncPage(QWidget):
    status = Signal(str)
    open_case = Signal(object)  # a case uuid: the main window opens the editor

    def __init__(self, desk: Desk, runner: TaskRunner, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.own = orgs[0]
        self.sync: SyncStatus | None = None
        self.heading = QLabel(self.tr("Sync"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.conflicts = ConflictsPanel(desk, runner)
        self.keys = KeysPanel(desk, runner, self.own.code)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._status_tab(), icon("refresh"), self.tr("&Status"))
        self.tabs.addTab(self.conflicts, icon("edit"), self.tr("&Conflicts"))
        self.tabs.addTab(self.keys, icon("password"), self.tr("&Keys"))
        self.conflicts.changed.connect(self.reload_status)
        self.conflicts.open_case.connect(self.open_case)
        self.keys.changed.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    # -- building ---------------------------------------------------------------------------------------------

    def _status_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(self._actions())
        layout.addWidget(self._board(), 1)
        return page

    def _actions(self) -> QHBoxLayout:
        self.export_button = button(
            "export",
            self.tr("&Export a sync file…"),
            self.tr("Write a sync file for the township, a village or the county"),
        )
        self.import_button = button(
            "import", self.tr("&Import sync files…"), self.tr("Check and merge the sync files sent to this desk")
        )
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(lambda _checked=False: self.import_files())
        self._may_export = guard(
            self.desk, self.export_button, Permission.SYNC_EXPORT, self.tr("Your role may not export sync files")
        )
        guard(self.desk, self.import_button, Permission.SYNC_IMPORT, self.tr("Your role may not import sync files"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        return buttons

    def _board(self) -> QStackedWidget:
        headers = (
            self.tr("Office"),
            self.tr("Level"),
            self.tr("Last file received"),
            self.tr("Files"),
            self.tr("Last file sent"),
            self.tr("Missing revisions"),
            self.tr("Open conflicts"),
            self.tr("This month"),
        )
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.gaps = QLabel()
        self.gaps.setWordWrap(True)
        whom = {
            3: self.tr("your townships"),
            2: self.tr("your villages and the county"),
        }.get(rank(self.own.level.value), self.tr("your township"))
        self.empty = QLabel(
            self.tr(
                "<p><b>No office is trusted yet.</b></p><p>1. Under <b>Keys</b>, export this desk's public key file "
                "and give it to {whom}.</p><p>2. Trust their key file after reading the fingerprints to each other "
                "over the phone.</p><p>3. Then export a sync file for them here, and import the files they send "
                "you.</p>"
            ).format(whom=whom)
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setStyleSheet("font-size: 12pt; color: #333;")
        table_page = QWidget()
        inner = QVBoxLayout(table_page)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.table, 1)
        inner.addWidget(self.gaps)
        self.stack = QStackedWidget()
        self.stack.addWidget(table_page)
        self.stack.addWidget(self.empty)
        return self.stack

    # -- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.reload_status()
        self.keys.load()

    def reload_status(self) -> None:
        desk = self.desk
        self.runner.read(lambda: (sync_status(desk), list_conflicts(desk)), self._loaded)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*KEY_TABLES):
            self.refresh()
        elif changes.touches(*WATCHED):  # an edit of a record in conflict settles it
            self.reload_status()

    def _loaded(self, result: tuple[SyncStatus, list[ConflictView]]) -> None:
        status, conflicts = result
        self.sync = status
        text = self.tr("{org} ({code}), {month}: {conflicts} open conflicts").format(
            org=status.org_name, code=status.org, month=status.month, conflicts=status.open_conflicts
        )
        if status.held:
            text += self.tr("; {held} records wait for records from above").format(held=status.held)
        self.summary.setText(text)
        self._fill(status.peers)
        self.conflicts.show_conflicts(conflicts)
        self.tabs.setTabText(1, self.tr("&Conflicts ({count})").format(count=len(conflicts)))
        self.export_button.setEnabled(self._may_export and bool(status.peers))
        self.status.emit(text)

    def _fill(self, peers: list[PeerStatus]) -> None:
        self.stack.setCurrentIndex(0 if peers else 1)
        self.table.setRowCount(len(peers))
        gaps = []
        for row, item in enumerate(peers):
            peer = item.peer
            missing = sum(gap.count for gap in item.gaps)
            sent = when_text(item.last_export)
            if item.last_export is not None:
                sent += self.tr(" (receipt back)") if item.last_export_acknowledged else self.tr(" (no receipt yet)")
            cells = (
                f"{peer.org_name}（{peer.org}）",
                peer.role_label,
                when_text(item.last_imported),
                str(item.files),
                sent,
                str(missing),
                str(item.conflicts),
                self.tr("nothing received") if item.silent_this_month else "",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if (column == 5 and missing) or (column == 6 and item.conflicts) or (column == 7 and text):
                    cell.setForeground(ATTENTION)
                self.table.setItem(row, column, cell)
            gaps += [f"{peer.org_name}：{gap.message}" for gap in item.gaps]
        self.table.resizeColumnsToContents()
        for column in range(1, self.table.columnCount() - 1):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 24)
        self.table.setColumnWidth(0, max(self.table.columnWidth(0) + 24, 320))
        self.gaps.setText("\n".join(gaps))
        self.gaps.setVisible(bool(gaps))

    # -- actions ----------------------------------------------------------------------------------------------

    def export(self) -> None:
        peers = [item.peer for item in self.sync.peers] if self.sync is not None else []
        dialog = ExportDialog(self.desk, self.runner, peers, (self.own.name, self.own.level.value), self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.summary is not None:
            self.reload_status()

    def import_files(self, paths: list[Path] | None = None) -> ImportDialog | None:
        if paths is None:
            names, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("Import sync files"), str(documents_folder()), self.tr("Sync files (*.mdsync);;*")
            )
            paths = [Path(name) for name in names]
        if not paths:
            return None
        dialog = ImportDialog(self.desk, self.runner, paths, self)
        dialog.preview()
        dialog.exec()
        dialog.deleteLater()
        if dialog.report is not None:
            self.reload_status()
        return dialog
