"""设置: the interface language and font size (this computer's settings), the data folder, backups (make one now,
restore one: the program restarts around it), and the user's own password."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services import backups
from mediation_desk.services.backups import BackupInfo
from mediation_desk.services.desk import Desk
from mediation_desk.services.users import change_password as change_own_password
from mediation_desk.ui import settings
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow, MessageLabel

MIN_FONT, MAX_FONT = 9, 20
DEFAULT_FONT = 10


def apply_font_size(points: int) -> None:
    """Make the whole interface use ``points`` (0: the default size)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    font = QFont(app.font())
    font.setPointSizeF(float(points or DEFAULT_FONT))
    app.setFont(font)


class PasswordDialog(QDialog):
    """The user's own password: the old one, the new one twice; every error under its field."""

    def __init__(self, runner: TaskRunner, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change password"))
        self._runner, self._desk = runner, desk
        self.done_ok = False
        self.old = self._password()
        self.new = self._password()
        self.again = self._password()
        self.fields = {
            "old_password": FieldRow(self.old),
            "password": FieldRow(self.new),
            "again": FieldRow(self.again),
        }
        self.message = MessageLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        for key, text in (
            ("old_password", self.tr("&Current password")),
            ("password", self.tr("&New password")),
            ("again", self.tr("New password &again")),
        ):
            label = QLabel(text)
            label.setBuddy(self.fields[key].editor)
            form.addRow(label, self.fields[key])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setIcon(icon("password"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setIcon(icon("cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _password(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(256)
        return edit

    def submit(self) -> None:
        for row in self.fields.values():
            row.clear()
        if self.new.text() != self.again.text():
            self.fields["again"].set_error(self.tr("The two passwords are not the same"))
            return
        desk, old, new = self._desk, self.old.text(), self.new.text()
        self._runner.write(lambda: change_own_password(desk, old, new), lambda _r: self._changed(), self._failed)

    def _changed(self) -> None:
        self.done_ok = True
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        row = self.fields.get(error.field or "")
        if row is not None:
            row.set_error(error.message)
        else:
            self.message.set_message(error.message)


def change_password(parent: QWidget | None, runner: TaskRunner, desk: Desk) -> bool:
    dialog = PasswordDialog(runner, desk, parent)
    try:
        dialog.exec()
        if dialog.done_ok:
            QMessageBox.information(parent, dialog.tr("Change password"), dialog.tr("Your password was changed."))
        return dialog.done_ok
    finally:
        dialog.deleteLater()


class SettingsPage(QWidget):
    dirty_changed = Signal(bool)
    restore_requested = Signal(str)
    """The user chose a backup to restore: the window closes, the desk is restored and opened again."""

    def __init__(self, desk: Desk, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.dirty = False
        self.backups: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.addWidget(self._interface())
        layout.addWidget(self._folder())
        layout.addWidget(self._backups(), 1)
        self.refresh()

    def _interface(self) -> QGroupBox:
        box = QGroupBox(self.tr("Interface (this computer)"))
        form = QFormLayout(box)
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get(settings.LANGUAGE))))
        self.font_size = QSpinBox()
        self.font_size.setRange(MIN_FONT, MAX_FONT)
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setValue(settings.get(settings.FONT_SIZE) or DEFAULT_FONT)
        language_label = QLabel(self.tr("&Language"))
        language_label.setBuddy(self.language)
        font_label = QLabel(self.tr("&Font size"))
        font_label.setBuddy(self.font_size)
        self.language_note = QLabel(self.tr("A new language shows at the next start."))
        form.addRow(language_label, self.language)
        form.addRow("", self.language_note)
        form.addRow(font_label, self.font_size)
        self.save_button = QPushButton(icon("save"), self.tr("&Save settings"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        self.language.currentIndexChanged.connect(self._edited)
        self.font_size.valueChanged.connect(self._edited)
        return box

    def _folder(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data folder"))
        row = QHBoxLayout(box)
        path = QLabel(str(self.desk.data_dir.root))
        path.setWordWrap(True)
        path.setTextInteractionFlags(path.textInteractionFlags() | path.textInteractionFlags().TextSelectableByMouse)
        open_button = QPushButton(icon("folder"), self.tr("&Open folder"))
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.desk.data_dir.root))))
        row.addWidget(path, 1)
        row.addWidget(open_button)
        return box

    def _backups(self) -> QGroupBox:
        box = QGroupBox(self.tr("Backups"))
        layout = QVBoxLayout(box)
        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels([self.tr("Backup"), self.tr("Made at"), self.tr("Size")])
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.verticalHeader().hide()
        self.backup_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_note = QLabel()
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(icon("backup"), self.tr("&Back up now"))
        self.restore_button = QPushButton(icon("restore"), self.tr("&Restore the selected backup…"))
        self.password_button = QPushButton(icon("password"), self.tr("Change &password…"))
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore)
        self.password_button.clicked.connect(lambda: change_password(self, self.runner, self.desk))
        self.password_button.setEnabled(self.desk.actor.username is not None)
        role = self.desk.actor.role
        if not allowed(role, Permission.MANAGE_BACKUPS):
            self.backup_button.setEnabled(False)
            self.backup_button.setToolTip(self.tr("Your role may not make backups"))
        if not allowed(role, Permission.RESTORE_BACKUP):
            self.restore_button.setEnabled(False)
            self.restore_button.setToolTip(self.tr("Only the committee's director or the administrator may restore"))
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.password_button)
        layout.addWidget(self.backup_table, 1)
        layout.addWidget(self.backup_note)
        layout.addLayout(buttons)
        return box

    # -- settings ---------------------------------------------------------------------------------------------

    def _edited(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)

    def save(self) -> None:
        settings.put(settings.LANGUAGE, str(self.language.currentData()))
        settings.put(settings.FONT_SIZE, self.font_size.value())
        apply_font_size(self.font_size.value())
        self._set_dirty(False)

    # -- backups ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        root = self.desk.data_dir.root
        self.runner.read(lambda: backups.backups(root), self._show_backups)

    def _show_backups(self, found: list[BackupInfo]) -> None:
        self.backups = found
        self.backup_table.setRowCount(len(found))
        for row, info in enumerate(found):
            made = info.created.astimezone().strftime("%Y-%m-%d %H:%M") if info.created else ""
            cells = (info.name, made, f"{info.size / 1024 / 1024:.1f} MB")
            for column, text in enumerate(cells):
                self.backup_table.setItem(row, column, QTableWidgetItem(text))
        self.backup_note.setText(
            self.tr("No backup yet: make one now.")
            if not found
            else self.tr("{count} backups").format(count=len(found))
        )

    def back_up(self) -> None:
        root, actor = self.desk.data_dir.root, self.desk.actor

        def made(info: BackupInfo) -> None:
            self.backup_note.setText(self.tr("Backup {name} made.").format(name=info.name))
            self.refresh()

        self.runner.write(lambda: backups.create(root, actor), made, lambda error: show_error(self, error))

    def selected_backup(self) -> BackupInfo | None:
        row = self.backup_table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def restore(self) -> None:
        info = self.selected_backup()
        if info is None:
            QMessageBox.information(self, self.tr("Restore"), self.tr("Choose a backup in the list first."))
            return
        answer = QMessageBox.question(
            self,
            self.tr("Restore a backup"),
            self.tr(
                "Replace the whole database with the backup {name}? The current database is kept as a backup first. "
                "Mediation Desk closes its windows, restores, and opens again."
            ).format(name=info.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(info.name)
