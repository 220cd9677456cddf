"""The one way this program's small forms behave (record a session, conclude, add a mediator, …).

- Every field has its message line under it, reserved, so errors never move the form; an error goes as soon as
  the input is right (``FieldRow``).
- Saving checks every field at once and shows every error; the service's own ``ValidationError`` lands under the
  field it names, any other message in the line above the buttons.
- Enter saves (the Save button is the default; multi-line fields take Tab to move on and Ctrl+Enter to save).
- Esc or closing the window with unsaved input asks first: save, discard or go on editing.
- Labels carry mnemonics (Alt+letter), distinct within a form; the tab order is the order of the rows.
- The fields scroll when the form is taller than the screen (a 1366×768 laptop at 125% has 614 logical pixels),
  so the Save and Cancel buttons always stay in view.

``FormDialog.run(parent)`` is the testable seam: it opens the dialog and returns whether it saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QDate, QSize, Qt, SignalInstance
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, Check, FieldRow, MessageLabel, input_signal

W = TypeVar("W", bound=QWidget)

FRAME_ALLOWANCE = 150
"""Height left on the screen for the title bar, the message line, the buttons and the task bar."""
MIN_SCROLL_HEIGHT = 160
TITLE_BAR = 40


class FormScroll(QScrollArea):
    """The fields of a form: as tall as they need while that fits the screen, scrolling beyond it."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: focusing a field scrolls it into view
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        self._body = body

    def _room(self) -> int:
        screen = self.screen() or QGuiApplication.primaryScreen()
        height = screen.availableGeometry().height() if screen is not None else 768
        return max(MIN_SCROLL_HEIGHT, height - FRAME_ALLOWANCE)

    def sizeHint(self) -> QSize:
        body = self._body.sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(body.width() + bar, min(body.height(), self._room()))

    def minimumSizeHint(self) -> QSize:
        body = self._body.minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(body.width() + bar, min(body.height(), MIN_SCROLL_HEIGHT))


def date_edit(value: QDate | None = None, *, allow_future: bool = False) -> QDateEdit:
    edit = QDateEdit(value or QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(QDate(1990, 1, 1))
    if not allow_future:
        edit.setMaximumDate(QDate.currentDate())
    return edit


def text_box(placeholder: str = "", lines: int = 4) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


def line(max_length: int = 100, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


def _edited_signal(editor: QWidget) -> SignalInstance | None:
    """What marks the form changed: the user's input (a text set by the program does not)."""
    return input_signal(editor, typed=True)


class FormDialog(QDialog):
    """A dialog of labelled fields with a Save and a Cancel button (see the module's description)."""

    unsaved_title = "Unsaved input"

    def __init__(self, runner: TaskRunner, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.runner = runner
        self.fields: dict[str, FieldRow] = {}
        self.saved = False
        self.dirty = False
        self._busy = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.message = MessageLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setIcon(icon("save"))
        save.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setIcon(icon("cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        body = QWidget()
        body.setLayout(self.form)
        self.fields_area = FormScroll(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields_area, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._sized = False

    @classmethod
    def run_dialog(cls, dialog: FormDialog) -> bool:
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()

    # -- building ---------------------------------------------------------------------------------------------

    def add(self, key: str, label: str, editor: W, *, check: Check | None = None) -> W:
        row = FieldRow(editor, check=check)
        self.fields[key] = row
        text = QLabel(label)
        text.setBuddy(editor)
        text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        text.setContentsMargins(0, 4, 0, 0)
        self.form.addRow(text, row)
        signal = _edited_signal(editor)
        if signal is not None:
            signal.connect(self._mark_dirty)
        return editor

    def add_optional(self, key: str, check: QCheckBox, editor: W) -> W:
        """An optional value on one row: the check box that says whether it is given, labelling its editor."""
        row = FieldRow(editor)
        self.fields[key] = row
        self.form.addRow(check, row)
        editor.setEnabled(check.isChecked())
        check.toggled.connect(editor.setEnabled)
        for signal in (check.toggled, _edited_signal(editor)):
            if signal is not None:
                signal.connect(self._mark_dirty)
        return editor

    def add_plain(self, editor: QWidget) -> None:
        """A row without a label or message (a check box that says what it is)."""
        self.form.addRow("", editor)
        signal = _edited_signal(editor)
        if signal is not None:
            signal.connect(self._mark_dirty)

    def _mark_dirty(self, *_args: object) -> None:
        self.dirty = True

    # -- submitting -------------------------------------------------------------------------------------------

    def collect(self) -> Callable[[], object] | None:
        """Check every field (``self.error(key, text)`` for each problem) and return the service call to make,
        or ``None`` when something is wrong. Subclasses implement it."""
        raise NotImplementedError

    def error(self, key: str, text: str) -> None:
        self.fields[key].set_error(text)

    def clear_errors(self) -> None:
        for row in self.fields.values():
            row.clear()
        self.message.set_message("")

    def submit(self) -> None:
        if self._busy:
            return
        self.clear_errors()
        work = self.collect()
        if work is None or any(row.has_error for row in self.fields.values()):
            self._focus_first_error()
            return
        self._busy = True
        self.buttons.setEnabled(False)
        self.runner.write(work, self._done, self._failed)

    def _done(self, _result: object) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        self.saved = True
        self.dirty = False
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        row = self.fields.get(error.field or "")
        if row is not None:
            row.set_error(error.message)
            self._focus_first_error()
        else:
            self.message.set_message(error.message)

    def _focus_first_error(self) -> None:
        first = next((row.editor for row in self.fields.values() if row.has_error), None)
        if first is not None:
            first.setFocus()
        elif not self.message.message():
            self.message.set_message(self.tr("Nothing was saved. Please correct the entries marked in red."))

    # -- never lose input silently ----------------------------------------------------------------------------

    def ask_discard(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved input"),
            self.tr("What you entered has not been saved. Save it now, or discard it?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )

    def reject(self) -> None:
        if self._busy:
            return
        if self.dirty:
            answer = self.ask_discard()
            if answer == QMessageBox.StandardButton.Save:
                self.submit()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy or self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Opened as tall as its fields need when the screen has room (Qt alone stops at two thirds of it)."""
        if not self._sized:
            self._sized = True
            screen = self.screen() or QGuiApplication.primaryScreen()
            hint = self.sizeHint()
            if screen is not None:
                room = screen.availableGeometry().size() - QSize(0, TITLE_BAR)
                hint = hint.boundedTo(room)
            self.resize(self.size().expandedTo(hint))
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit()  # Ctrl+Enter saves from a multi-line field too
            return
        super().keyPressEvent(event)
