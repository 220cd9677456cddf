"""密钥: this desk's sync key (its fingerprint in groups, to read out over the phone), its public key file, the
peers it trusts, and the rare, careful steps: export the age identity, take a new device identity.

The keyring can fail three ways (no backend, locked, this desk's keys gone from it); each is shown with its own
message and the way out, and the actions that need the keys are disabled until it is fixed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission
from mediation_desk.security.keystore import KeyringLocked, KeyringUnavailable
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import (
    KeyInfo,
    PeerInfo,
    SyncKeysMissing,
    export_identity,
    export_public_key,
    new_device_identity,
    read_peer_key,
    show_keys,
    trust_key_file,
)
from mediation_desk.services.sync.trust import Pinned
from mediation_desk.ui.sync_common import ConfirmDialog, Notice, button, documents_folder, guard, when_text
from mediation_desk.ui.tasks import TaskRunner, show_error


def fingerprint_lines(spoken: str) -> str:
    """The fingerprint's groups, four to a line."""
    groups = spoken.split()
    return "\n".join(" ".join(groups[start : start + 4]) for start in range(0, len(groups), 4))


def _mono(label: QLabel, scale: float = 1.0) -> None:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(label.font().pointSizeF() * scale)
    font.setStyleHint(QFont.StyleHint.Monospace)
    label.setFont(font)


class KeysPanel(QWidget):
    """The 密钥 tab of the 同步 page."""

    changed = Signal()  # trust or identity changed: the page reloads the status

    def __init__(self, desk: Desk, runner: TaskRunner, own_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.own_code = own_code
        self.info: KeyInfo | None = None
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e; border: 1px solid #e0b4b0; padding: 8px; background: #fdf3f2;")
        self.problem.hide()
        self.notice = Notice()
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self._own_box())
        layout.addLayout(self._buttons())
        layout.addWidget(self.notice)
        layout.addWidget(self._peers_box(), 1)
        self._apply_role()

    # -- building ---------------------------------------------------------------------------------------------

    def _own_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("This desk's sync key"))
        self.org_label = QLabel("—")
        self.device_label = QLabel("—")
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint = QLabel("—")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _mono(self.fingerprint, 1.3)
        hint = QLabel(self.tr("Read these groups to the other office over the phone; they compare them with the file."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        grid = QGridLayout(box)
        grid.addWidget(QLabel(self.tr("Organisation")), 0, 0)
        grid.addWidget(self.org_label, 0, 1)
        grid.addWidget(QLabel(self.tr("Device")), 1, 0)
        grid.addWidget(self.device_label, 1, 1)
        grid.addWidget(QLabel(self.tr("Fingerprint")), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.fingerprint, 2, 1)
        grid.addWidget(hint, 3, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _buttons(self) -> QHBoxLayout:
        self.export_button = button(
            "export", self.tr("E&xport public key file…"), self.tr("Write this desk's public key file for its peers")
        )
        self.trust_button = button(
            "accept", self.tr("&Trust a key file…"), self.tr("Trust a peer's public key file after comparing it")
        )
        self.identity_button = button(
            "password", self.tr("Export &identity…"), self.tr("Write the private age identity, for recovery by hand")
        )
        self.new_button = button(
            "restore", self.tr("&New device identity…"), self.tr("When this desk's keys are lost from the keyring")
        )
        self.export_button.clicked.connect(lambda _checked=False: self.export_key())
        self.trust_button.clicked.connect(lambda _checked=False: self.trust_file())
        self.identity_button.clicked.connect(lambda _checked=False: self.export_identity())
        self.new_button.clicked.connect(self.new_identity)
        row = QHBoxLayout()
        for item in (self.export_button, self.trust_button, self.identity_button, self.new_button):
            row.addWidget(item)
        row.addStretch(1)
        return row

    def _peers_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Trusted offices"))
        self.peers = QTableWidget(0, 4)
        self.peers.setHorizontalHeaderLabels(
            [self.tr("Organisation"), self.tr("Level"), self.tr("Fingerprint"), self.tr("Trusted on")]
        )
        self.peers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.peers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.peers.verticalHeader().hide()
        self.peers.horizontalHeader().setStretchLastSection(True)
        self.no_peers = QLabel(
            self.tr(
                "No office is trusted yet. Exchange public key files with your township (or your villages, or the "
                "county), compare the fingerprints over the phone, then trust their file here."
            )
        )
        self.no_peers.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.no_peers)
        layout.addWidget(self.peers, 1)
        return box

    def _apply_role(self) -> None:
        why = self.tr("Only the committee's director and the judicial office's clerks manage keys and trust")
        self._manage = guard(self.desk, self.trust_button, Permission.MANAGE_KEYS, why)
        guard(self.desk, self.identity_button, Permission.MANAGE_KEYS, why)
        guard(self.desk, self.new_button, Permission.MANAGE_KEYS, why)
        self._export = guard(
            self.desk, self.export_button, Permission.SYNC_EXPORT, self.tr("Your role may not export sync files")
        )

    # -- loading ----------------------------------------------------------------------------------------------

    def load(self) -> None:
        desk = self.desk
        self.runner.write(lambda: show_keys(desk), self.show_info, self.show_problem)  # makes the keys on first use

    def show_info(self, info: KeyInfo) -> None:
        self.info = info
        self.problem.hide()
        self.org_label.setText(f"{info.org_name}（{info.org}，{info.role_label}）")
        self.device_label.setText(str(info.device))
        self.fingerprint.setText(fingerprint_lines(info.spoken))
        self._enable(True)
        self.peers.setRowCount(len(info.peers))
        for row, peer in enumerate(info.peers):
            cells = (
                f"{peer.org_name}（{peer.org}）",
                peer.role_label,
                peer.spoken[:19] + " …",
                when_text(peer.pinned_at),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(peer.spoken if column == 2 else text)
                self.peers.setItem(row, column, item)
        self.peers.resizeColumnsToContents()
        self.no_peers.setVisible(not info.peers)
        self.peers.setVisible(bool(info.peers))

    def show_problem(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        self.info = None
        self.org_label.setText("—")
        self.device_label.setText("—")
        self.fingerprint.setText("—")
        self._enable(False)
        if isinstance(error, SyncKeysMissing):
            way = self.tr(
                "If the keys cannot be restored to the keyring, use “New device identity…” below, then give the new "
                "public key file to your peers to trust again."
            )
            self.new_button.setEnabled(self._manage)
        elif isinstance(error, KeyringLocked):
            way = self.tr("Unlock the keyring (sign in to the desktop's keyring), then press F5 to try again.")
        elif isinstance(error, KeyringUnavailable):
            way = self.tr("Set up the system keyring (see the README's section on keys), then start the program again.")
        else:
            way = ""
        self.problem.setText(f"{error}\n\n{way}".strip())
        self.problem.show()

    def _enable(self, ok: bool) -> None:
        self.export_button.setEnabled(ok and self._export)
        for item in (self.trust_button, self.identity_button, self.new_button):
            item.setEnabled(ok and self._manage)

    # -- actions ----------------------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.notice.bad(str(error))
        else:
            show_error(self, error)

    def export_key(self, path: Path | None = None) -> None:
        if path is None:
            suggested = documents_folder() / f"{self.info.org_name if self.info else 'desk'}.pub"
            name, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export public key file"), str(suggested), self.tr("Public key files (*.pub)")
            )
            if not name:
                return
            path = Path(name)
        desk, target = self.desk, path

        def done(info: KeyInfo) -> None:
            self.notice.good(
                self.tr(
                    "Public key file written: {file}. Give it to your peers and compare the fingerprint by phone."
                ).format(file=str(target))
            )

        self.runner.write(lambda: export_public_key(desk, target), done, self._failed)

    def trust_file(self, path: Path | None = None) -> None:
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Trust a key file"), str(documents_folder()), self.tr("Public key files (*.pub);;*")
            )
            if not name:
                return
            path = Path(name)
        source = path
        self.runner.read(lambda: read_peer_key(source)[0], lambda peer: self._confirm_trust(source, peer), self._failed)

    def _confirm_trust(self, path: Path, peer: PeerInfo) -> None:
        text = self.tr(
            "<p>The key file is from:</p><p><b>{org}</b> ({level})<br>Device: {device}</p>"
            "<p>Fingerprint:</p><pre style='font-size: 13pt'>{fingerprint}</pre>"
            "<p>Call the office and have them read their fingerprint (under 同步 → 密钥). Trust the file only if "
            "every group matches.</p>"
        ).format(
            org=f"{peer.org_name}（{peer.org}）",
            level=peer.role_label,
            device=str(peer.device),
            fingerprint=fingerprint_lines(peer.spoken),
        )
        dialog = ConfirmDialog(
            self.tr("Trust a key file"),
            text,
            self.tr("&Trust"),
            self,
            check=self.tr("I compared the fingerprint with {org} over the phone and it matches").format(
                org=peer.org_name
            ),
        )
        if not dialog.ask():
            self.notice.bad(self.tr("Not trusted: nothing was changed."))
            return
        desk = self.desk

        def done(pinned: Pinned) -> None:
            if pinned.already:
                self.notice.good(
                    self.tr("This desk already trusted this key of {org}; nothing changed.").format(
                        org=pinned.peer.org_name
                    )
                )
            elif pinned.certified:
                self.notice.good(
                    self.tr("{org} is trusted now, and this desk issued it a certificate.").format(
                        org=pinned.peer.org_name
                    )
                )
            else:
                self.notice.good(self.tr("{org} is trusted now.").format(org=pinned.peer.org_name))
            self.changed.emit()

        self.runner.write(lambda: trust_key_file(desk, path), done, self._failed)

    def export_identity(self, path: Path | None = None) -> None:
        dialog = ConfirmDialog(
            self.tr("Export identity"),
            self.tr(
                "Whoever holds this file can decrypt every sync file sent to this desk. Use it only to recover a "
                "file by hand, delete it afterwards, and never send it with the sync files."
            ),
            self.tr("&Export"),
            self,
            check=self.tr("I understand; I will keep the file safe and delete it afterwards"),
        )
        if not dialog.ask():
            return
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export identity"), str(documents_folder() / "identity.txt"), "*.txt"
            )
            if not name:
                return
            path = Path(name)
        desk, target = self.desk, path
        self.runner.write(
            lambda: export_identity(desk, target),
            lambda _info: self.notice.good(
                self.tr("Identity written: {file}. Delete it as soon as the recovery is done.").format(file=str(target))
            ),
            self._failed,
        )

    def new_identity(self) -> None:
        code = self.info.org if self.info is not None else self.own_code
        dialog = ConfirmDialog(
            self.tr("New device identity"),
            self.tr(
                "<p>Only when this desk's keys are lost from the keyring and cannot be restored.</p><p>This desk "
                "gets a new device identity and new keys. <b>Every peer must trust its new public key file "
                "again</b>; until then they refuse its files. Earlier records keep their identity.</p>"
                "<p>Type this desk's organisation code <b>{code}</b> to go on.</p>"
            ).format(code=code),
            self.tr("Take a &new identity"),
            self,
            typed=code,
        )
        if not dialog.ask():
            return
        desk = self.desk

        def done(info: KeyInfo) -> None:
            text = self.tr("This desk now has the device identity {device}.").format(device=str(info.device))
            if info.reissued:
                text += "\n" + self.tr("{count} records were registered again under it.").format(count=info.reissued)
            text += "\n" + self.tr("Export the new public key file and give it to your peers to trust.")
            self.notice.good(text)
            self.load()
            self.changed.emit()

        self.runner.write(lambda: new_device_identity(desk), done, self._failed)
