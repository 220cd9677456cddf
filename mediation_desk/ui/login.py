"""Signing in when the desk opens (``services.users.sign_in``: argon2, lock-out after repeated failures).

The history then names the account, not the operating-system user. On a desk with a single account the user may
tick "stay signed in until I log out of this computer": the account name is remembered with a marker of the
operating-system session (``session_marker``), and the next start in the same session opens the desk without
the password, after ``services.sessions.remembered_actor`` has checked that the account is still the only one,
active and not locked. Restarting the computer, logging out of it, or "sign out" in the program ends it.

``LoginDialog.ask`` is the testable seam: it returns ``(actor, ok)``.

At start-up the dialog is shown before the desk is open (``LoginDialog(None, ...)``): the user can type while the
desk opens on a worker thread (``ui.app``), and ``desk_opened`` then fills in the organisation. A "sign in" pressed
before that waits for it. This module imports no service at import time: the window comes up before the database
layer is loaded.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.ui import settings
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow

if TYPE_CHECKING:
    from mediation_desk.services.desk import Actor, Desk

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def session_marker() -> str:
    """Something that stays the same for one operating-system login session and changes with the next: the boot
    (Linux's boot id; elsewhere the boot time to the minute), the OS account and the desktop session's id."""
    try:
        boot = BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        boot = str(round((time.time() - time.monotonic()) / 60))
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = ""
    parts = [boot, account, os.environ.get("XDG_SESSION_ID", ""), os.environ.get("SESSIONNAME", "")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def remembered_here() -> bool:
    """Whether an account is remembered for this OS session (settings only; whether it may still open the desk
    without a password, ``remembered`` asks the desk)."""
    username = settings.get(settings.REMEMBERED_USER)
    return bool(username) and settings.get(settings.REMEMBERED_SESSION) == session_marker()


def remembered(desk: Desk) -> Actor | None:
    """The account remembered for this OS session, if it may still open the desk without a password."""
    from mediation_desk.services.sessions import remembered_actor

    if not remembered_here():
        return None
    return remembered_actor(desk, settings.get(settings.REMEMBERED_USER))


def remember(username: str | None) -> None:
    """Remember ``username`` for this OS session (``None``: forget, as signing out does)."""
    settings.put(settings.REMEMBERED_USER, username or "")
    settings.put(settings.REMEMBERED_SESSION, session_marker() if username else "")


class LoginDialog(QDialog):
    """User name and password; Enter signs in; a wrong password or a lock-out is said in Chinese under the form.

    ``desk`` may be ``None`` while the desk is still opening: ``desk_opened`` gives it (and the organisation's name
    and the number of accounts) when it is open."""

    def __init__(self, desk: Desk | None, runner: TaskRunner, org_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._runner = runner
        self._busy = False
        self._waiting = False  # "sign in" pressed while the desk was still opening
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in — Mediation Desk"))
        self.setWindowIcon(icon("sign_out"))
        self.title = title = QLabel(org_name if desk is not None else self.tr("Opening the desk…"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        self.username = QLineEdit(settings.get(settings.LAST_USER) or "")
        self.username.setMaxLength(50)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        self.fields = {"username": FieldRow(self.username), "password": FieldRow(self.password)}
        # a parent from the start: shown while parentless, it would flash up as a window of its own
        self.stay = QCheckBox(self.tr("&Stay signed in until I log out of this computer"), self)
        self.stay.setToolTip(
            self.tr("Only on a desk with a single account. Anyone using this computer account can then open the desk.")
        )
        if desk is not None:
            from mediation_desk.services.sessions import active_accounts

            self.stay.setVisible(active_accounts(desk) == 1)
        else:
            self.stay.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setMinimumHeight(self.fontMetrics().height() * 2 + 4)  # room kept: the form never jumps
        self.buttons = self._buttons()
        form = QFormLayout()
        for key, text in (("username", self.tr("&User name")), ("password", self.tr("&Password"))):
            label = QLabel(text)
            label.setBuddy(self.fields[key].editor)
            form.addRow(label, self.fields[key])
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.stay)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.username.textEdited.connect(self._edited)
        self.password.textEdited.connect(self._edited)
        self.setMinimumWidth(440)
        (self.password if self.username.text() else self.username).setFocus()

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.addButton(self.tr("Sign &in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setIcon(icon("accept"))
        self.sign_in_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setIcon(icon("cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        return buttons

    @classmethod
    def ask(
        cls, desk: Desk, runner: TaskRunner, org_name: str, parent: QWidget | None = None
    ) -> tuple[Actor | None, bool]:
        dialog = cls(desk, runner, org_name, parent)
        try:
            dialog.exec()
            return dialog.actor, dialog.actor is not None
        finally:
            dialog.deleteLater()

    def desk_opened(self, desk: Desk, org_name: str, accounts: int) -> None:
        """The desk, open now (the dialog was shown while it opened); a sign-in asked for meanwhile goes on."""
        self.desk = desk
        self.title.setText(org_name)
        self.stay.setVisible(accounts == 1)
        if self._waiting:
            self._waiting = False
            self._busy = False
            self.submit()

    def _edited(self) -> None:
        for row in self.fields.values():
            editor = row.editor
            if row.has_error and isinstance(editor, QLineEdit) and editor.text():
                row.clear()
        self.message.clear()

    def submit(self) -> None:
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        missing = False
        for key, value, text in (
            ("username", username, self.tr("Enter your user name")),
            ("password", password, self.tr("Enter your password")),
        ):
            self.fields[key].clear()
            if not value:
                self.fields[key].set_error(text)
                missing = True
        if missing:
            next(row.editor for row in self.fields.values() if row.has_error).setFocus()
            return
        self._busy = True
        self.buttons.setEnabled(False)
        desk = self.desk
        if desk is None:  # still opening: desk_opened signs in
            self._waiting = True
            return
        from mediation_desk.services.users import sign_in

        self._runner.write(lambda: sign_in(desk, username, password, channel="gui"), self._signed_in, self._failed)

    def _signed_in(self, actor: Actor) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        self.actor = actor
        settings.put(settings.LAST_USER, actor.username or "")
        remember(actor.username if self.stay.isVisible() and self.stay.isChecked() else None)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        self.message.setText(error.message)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
