"""Small pieces shared by the 同步 page and its dialogs: buttons, a notice line, a confirmation dialog with a
testable seam, and how dates, values and permissions are shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.desk import Desk
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import Report, TaskRunner, run_with_progress
from mediation_desk.ui.widgets import ERROR_STYLE

CONTEXT = ""  # where pyside6-lupdate files the plain ``tr("…")`` calls of module-level functions
OK_STYLE = "color: #1b5e20;"
SYNC_TABLES = (
    "sync_peer",
    "sync_conflict",
    "sync_export",
    "sync_import",
    "sync_receipt",
    "setting",
    "revision",
    "device_state",
)


def tr(text: str) -> str:
    """Translate a string of a module-level function (lupdate collects ``tr("…")`` into the empty context)."""
    return QCoreApplication.translate(CONTEXT, text)


def button(name: str, text: str, tip: str) -> QPushButton:
    found = QPushButton(icon(name), text)
    found.setToolTip(tip)
    return found


def when_text(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def value_text(value: JSONValue) -> str:
    """A field's value as a clerk reads it."""
    if value is None or value == "":
        return tr("(empty)")
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    if isinstance(value, list):
        return "、".join(value_text(item) for item in value) or tr("(empty)")
    if isinstance(value, dict):
        return "；".join(f"{key}：{value_text(item)}" for key, item in sorted(value.items()))
    return str(value)


def guard(desk: Desk, widget: QWidget, permission: Permission, why: str) -> bool:
    """Disable ``widget`` with the reason in its tooltip when the signed-in role may not do this."""
    ok = allowed(desk.actor.role, permission)
    if not ok:
        widget.setEnabled(False)
        widget.setToolTip(why)
    return ok


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class Notice(QLabel):
    """One line (or a few) saying what just happened: green when it went well, red when it did not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def good(self, text: str) -> None:
        self._show(text, OK_STYLE)

    def bad(self, text: str) -> None:
        self._show(text, ERROR_STYLE)

    def clear_notice(self) -> None:
        self.setText("")
        self.hide()

    def _show(self, text: str, style: str) -> None:
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))


class ConfirmDialog(QDialog):
    """A question that must be answered on purpose: the confirm button waits for a box to be ticked, or for a
    word to be typed. ``ask()`` is the seam: it opens the dialog and returns whether the user confirmed."""

    def __init__(
        self,
        title: str,
        text: str,
        confirm: str,
        parent: QWidget | None = None,
        *,
        check: str | None = None,
        typed: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check = QCheckBox(check) if check else None
        self.expected = typed
        self.typed = QLineEdit() if typed else None
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        if self.check is not None:
            layout.addWidget(self.check)
            self.check.toggled.connect(self._update)
        if self.typed is not None:
            layout.addWidget(self.typed)
            self.typed.textChanged.connect(self._update)
        layout.addWidget(self.buttons)
        self._update()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)

    @property
    def ready(self) -> bool:
        checked = self.check is None or self.check.isChecked()
        typed = self.typed is None or self.typed.text().strip() == self.expected
        return checked and typed

    def _update(self, *_args: object) -> None:
        self.confirm.setEnabled(self.ready)

    def accept(self) -> None:
        if self.ready:
            super().accept()

    def ask(self) -> bool:
        """Open the dialog; whether the user confirmed. The dialog is deleted once control returns to Qt."""
        confirmed = self.exec() == QDialog.DialogCode.Accepted and self.ready
        self.deleteLater()
        return confirmed


class BusyDialog(QDialog):
    """A dialog that runs its job in the background and stays open until the job is done (the job's result is
    written into it): Esc and the window's close button wait while it is busy."""

    runner: TaskRunner
    busy = False

    def run_job(
        self,
        label: str,
        work: Callable[[Report], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        cancellable: bool = False,
    ) -> None:
        self.busy = True

        def finished(value: Any) -> None:
            self.busy = False
            done(value)

        def errored(error: BaseException) -> None:
            self.busy = False
            failed(error)

        run_with_progress(self.runner, self, label, work, finished, errored, cancellable=cancellable)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)
