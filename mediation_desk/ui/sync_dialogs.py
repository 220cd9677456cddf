"""The 同步 page's two file dialogs: export a sync file for a peer, and import sync files with a preview.

Import runs the whole merge as a dry run first (``import_files(dry_run=True)`` rolls back, so the preview is exact)
and shows per file what would be added or updated, what is already here, what would be refused and why, and the
conflicts that would arise; the clerk then confirms, and the real import runs with progress and shows its report.
A refused file (damaged, truncated, altered, for another office, from an office not trusted) shows its one
reason and changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import ExportSummary, FileReport, ImportReport, PeerInfo, Tally, export_file
from mediation_desk.services.sync import import_files as run_import
from mediation_desk.services.sync.report import CODES, ERROR, OK, table_name
from mediation_desk.services.sync.trust import rank
from mediation_desk.ui.sync_common import BusyDialog, Notice, documents_folder, tr
from mediation_desk.ui.tasks import Report, TaskCancelled, TaskRunner, show_error

SUFFIX = ".mdsync"


def short_name(name: str) -> str:
    """``示例村人民调解委员会`` → ``示例村``: for file names."""
    for tail in ("人民调解委员会", "调解委员会"):
        if name.endswith(tail) and len(name) > len(tail):
            return name[: -len(tail)]
    return name


def proposed_name(own_name: str, own_role: str, peer: PeerInfo, today: date) -> str:
    """Like the README's: ``示例村-2026-03.mdsync`` up the tree, ``给示例村-2026-03.mdsync`` down it."""
    if rank(peer.role) > rank(own_role):
        return f"{short_name(own_name)}-{today:%Y-%m}{SUFFIX}"
    return f"给{short_name(peer.org_name)}-{today:%Y-%m}{SUFFIX}"


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3`` … when that file exists already."""
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{number}{SUFFIX}"
        number += 1
    return path


def kind_text(kind: str | None) -> str:
    return {"full": tr("full"), "incremental": tr("incremental"), "receipt": tr("receipts only")}.get(
        kind or "", kind or ""
    )


def status_text(report: FileReport) -> str:
    if report.already_imported:
        return tr("Imported before")
    return {OK: tr("OK"), ERROR: tr("Refused")}.get(report.status, tr("OK, with remarks"))


def tally_text(tally: Tally) -> str:
    parts = (
        (tr("new {count}"), tally.created),
        (tr("updated {count}"), tally.updated),
        (tr("unchanged {count}"), tally.unchanged),
        (tr("deleted {count}"), tally.deleted),
        (tr("conflicts {count}"), tally.conflicts),
        (tr("refused {count}"), tally.rejected),
    )
    return "，".join(text.format(count=count) for text, count in parts if count) or tr("nothing")


def export_text(summary: ExportSummary) -> str:
    """What the CLI prints after ``sync export``, in the interface language."""
    lines = [
        tr("Sync file written: {file}").format(file=str(summary.path)),
        tr("To: {org}").format(org=f"{summary.peer.org_name}（{summary.peer.org}）"),
        tr("Kind: {kind}; {count} revisions").format(kind=kind_text(summary.kind), count=summary.revisions),
    ]
    lines += [f"    {table_name(name)}：{count}" for name, count in sorted(summary.tables.items())]
    if summary.revisions == 0:
        lines.append(tr("Nothing new (a zero report): the file is still valid, send it as usual."))
    lines.append(
        tr("{receipts} receipts, {certificates} certificates; {size} bytes").format(
            receipts=summary.receipts, certificates=summary.certificates, size=summary.size
        )
    )
    if summary.unsigned:
        lines.append(
            tr(
                "{count} earlier revisions of this desk could not be signed (their key is gone) and were left out."
            ).format(count=summary.unsigned)
        )
    return "\n".join(lines)


class ExportDialog(BusyDialog):
    """导出同步文件: to which peer, incremental or full, where; the summary when it is written."""

    def __init__(
        self,
        desk: Desk,
        runner: TaskRunner,
        peers: list[PeerInfo],
        own: tuple[str, str],  # this desk's organisation name and level
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk, self.runner = desk, runner
        self.own_name, self.own_role = own
        self.today = today or date.today()
        self.summary: ExportSummary | None = None
        self._edited = False
        self.setWindowTitle(self.tr("Export a sync file"))
        self.setMinimumWidth(620)
        self.peer = QComboBox()
        latest: dict[str, PeerInfo] = {}
        for peer in peers:  # the device pinned last is the one export writes to
            latest[peer.org] = peer
        for peer in latest.values():
            self.peer.addItem(f"{peer.org_name}（{peer.org}，{peer.role_label}）", peer.org)
        self.peers = list(latest.values())
        self.incremental = QRadioButton(self.tr("&Incremental: what the recipient has not confirmed yet"))
        self.full = QRadioButton(self.tr("&Full: every record in scope again"))
        self.incremental.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.incremental)
        kinds.addButton(self.full)
        self.path = QLineEdit()
        self.path.textEdited.connect(self._path_edited)
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("&To"), self.peer)
        form.addRow(self.tr("Kind"), self.incremental)
        form.addRow("", self.full)
        form.addRow(self.tr("&File"), where)
        self.notice = Notice()
        self.result_text = QLabel()
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_text.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.result_text)
        layout.addWidget(self.buttons)
        self.peer.currentIndexChanged.connect(self._propose)
        self._propose()

    def selected(self) -> PeerInfo | None:
        index = self.peer.currentIndex()
        return self.peers[index] if 0 <= index < len(self.peers) else None

    def _path_edited(self, _text: str) -> None:
        self._edited = True

    def _propose(self, *_args: object) -> None:
        peer = self.selected()
        if peer is None or self._edited:
            return
        folder = Path(self.path.text()).parent if self.path.text() else documents_folder()
        name = proposed_name(self.own_name, self.own_role, peer, self.today)
        self.path.setText(str(free_path(folder, name)))

    def browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export a sync file"), self.path.text(), self.tr("Sync files (*.mdsync)")
        )
        if name:
            self.path.setText(name if name.endswith(SUFFIX) else name + SUFFIX)
            self._edited = True

    def export(self) -> None:
        peer = self.selected()
        text = self.path.text().strip()
        if peer is None:
            self.notice.bad(self.tr("No office to send to: trust a peer's key file first (under Keys)."))
            return
        if not text:
            self.notice.bad(self.tr("Choose the file to write."))
            return
        desk, target, full, code = self.desk, Path(text), self.full.isChecked(), peer.org
        self.notice.clear_notice()
        self.export_button.setEnabled(False)
        self.run_job(
            self.tr("Writing the sync file…"),
            lambda _report: export_file(desk, code, target, full=full),
            self._exported,
            self._failed,
        )

    def _exported(self, summary: ExportSummary) -> None:
        self.summary = summary
        self.notice.good(self.tr("The sync file is ready. Carry it to the recipient (USB stick or message)."))
        self.result_text.setText(export_text(summary))
        self.result_text.show()
        self.export_button.hide()
        for widget in (self.peer, self.incremental, self.full, self.path, self.browse_button):
            widget.setEnabled(False)

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.notice.bad(str(error))
        else:
            show_error(self, error)


class ImportDialog(BusyDialog):
    """导入同步文件: the preview (a dry run), the clerk's confirmation, the import and its report."""

    def __init__(self, desk: Desk, runner: TaskRunner, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.paths = desk, runner, list(paths)
        self.preview_report: ImportReport | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(self.tr("Import sync files"))
        self.resize(900, 560)
        self.heading = QLabel(self.tr("Checking the files…"))
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("File / table"), self.tr("What happens")])
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(0, 300)
        self.notice = Notice()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)

    # -- the dry run ------------------------------------------------------------------------------------------

    def preview(self) -> None:
        desk, paths = self.desk, self.paths

        def work(report: Report) -> ImportReport:
            return run_import(desk, paths, dry_run=True, progress=report)

        self.run_job(
            self.tr("Checking the sync files…"),
            work,
            self._previewed,
            self._failed,
            cancellable=True,
        )

    @property
    def importable(self) -> list[Path]:
        """The files the preview accepted and that are not here already."""
        if self.preview_report is None:
            return []
        return [item.path for item in self.preview_report.files if item.status != ERROR and not item.already_imported]

    def _previewed(self, report: ImportReport) -> None:
        self.preview_report = report
        self._fill(report)
        refused = sum(1 for item in report.files if item.status == ERROR)
        if self.importable:
            text = self.tr("Preview: nothing has been written yet. Import the files marked OK?")
            if refused:
                text = self.tr(
                    "Preview: nothing has been written yet. Import the files marked OK? The refused files are left "
                    "out and change nothing."
                )
        elif refused:
            text = self.tr("Nothing can be imported: the files were refused (see why below). Nothing was changed.")
        else:
            text = self.tr("These files were imported before; nothing to do.")
        self.heading.setText(text)
        self.import_button.setEnabled(bool(self.importable))
        self.import_button.setDefault(bool(self.importable))

    # -- the import -------------------------------------------------------------------------------------------

    def confirm(self) -> None:
        paths = self.importable
        if not paths:
            return
        desk = self.desk
        self.import_button.setEnabled(False)

        def work(report: Report) -> ImportReport:
            return run_import(desk, paths, progress=report)

        self.run_job(self.tr("Importing the sync files…"), work, self._imported, self._failed)

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        self._fill(report)
        if report.ok:
            self.heading.setText(self.tr("Imported. A receipt for each sender goes with your next export to it."))
        else:
            self.heading.setText(self.tr("Imported, but some files or revisions were refused (see why below)."))
        self.import_button.hide()
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, TaskCancelled):
            self.heading.setText(self.tr("Cancelled. Nothing was changed."))
            self.import_button.setEnabled(False)
        elif isinstance(error, DomainError):
            self.heading.setText(self.tr("The files could not be checked. Nothing was changed."))
            self.notice.bad(str(error))
            self.import_button.setEnabled(False)
        else:
            show_error(self, error)

    # -- showing a report -------------------------------------------------------------------------------------

    def _fill(self, report: ImportReport) -> None:
        self.tree.clear()
        total = Tally()
        for item in report.files:
            total.add(item.totals())
            self._file(item)
        self.tree.expandAll()
        text = self.tr("{files} files; all together: {counts}").format(
            files=len(report.files), counts=tally_text(total)
        )
        if total.conflicts:
            text += "\n" + self.tr(
                "{count} records will be in conflict: both sides changed them. Review them under Conflicts."
            ).format(count=total.conflicts)
        self.summary.setText(text)

    def _file(self, report: FileReport) -> None:
        detail = status_text(report)
        if report.sender:
            detail += " — " + self.tr("from {sender}, {kind}, {count} revisions").format(
                sender=report.sender, kind=kind_text(report.kind), count=report.revisions
            )
        if report.status == ERROR and report.messages:
            detail = f"{status_text(report)}：{report.messages[0].text}"
        top = QTreeWidgetItem(self.tree, [report.path.name, detail])
        top.setToolTip(0, str(report.path))
        top.setToolTip(1, detail)
        font = QFont(top.font(0))
        font.setBold(True)
        top.setFont(0, font)
        if report.status == ERROR:
            top.setForeground(1, Qt.GlobalColor.darkRed)
        if report.status == ERROR:
            return
        for name, tally in sorted(report.tallies.items()):
            if any(tally.to_json().values()):
                QTreeWidgetItem(top, [table_name(name), tally_text(tally)])
        for message in report.messages:
            label = CODES.get(message.code, message.code)
            where = f"（{table_name(message.table)}）" if message.table else ""
            child = QTreeWidgetItem(top, [f"{label}{where}", message.text])
            child.setToolTip(1, message.text)

    def file_items(self) -> list[QTreeWidgetItem]:
        """The top-level rows, one per file (tests and screenshots read them)."""
        return [item for index in range(self.tree.topLevelItemCount()) if (item := self.tree.topLevelItem(index))]
