"""Small widgets shared by forms: a field with its validation message, combo boxes of domain code lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import LabelledEnum

E = TypeVar("E", bound=LabelledEnum)

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #7a5a00;"


class MessageLabel(QLabel):
    """A one-line message under a field: its space is kept when empty, so showing it never moves the form; a
    message too long for the width is shortened with "…" and shown whole in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 2)

    def set_message(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def message(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


Check = Callable[[], str | None]
"""A field's own check: its error message, or ``None`` when the input is right."""


class FieldRow(QWidget):
    """An editor with its validation message right under it (DESIGN.md: validation is shown next to the field).

    The message is the domain's own Chinese text (``ValidationError.message``). Its line is always reserved, so an
    error appearing or going never shifts the layout. As soon as the input changes, the error is checked again
    with the field's ``check`` (if it has one) and disappears once the input is right; without a check it
    disappears at the first change (the user is correcting it).
    """

    def __init__(self, editor: QWidget, parent: QWidget | None = None, *, check: Check | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.check = check
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        self.message = MessageLabel(self)
        self.message.setProperty("kind", "")
        layout.addWidget(self.message)
        _changed_signal(editor).connect(self._input_changed)

    @property
    def error(self) -> str:
        return self.message.message() if self.has_error else ""

    @property
    def has_error(self) -> bool:
        return self.message.property("kind") == "error" and bool(self.message.message())

    def set_error(self, text: str) -> None:
        self._show(text, "error", ERROR_STYLE)
        self.editor.setAccessibleDescription(text)
        self.editor.setProperty("invalid", True)

    def set_hint(self, text: str) -> None:
        """A warning that does not block saving (e.g. a retired address code in an ID number)."""
        self._show(text, "hint", HINT_STYLE)

    def clear(self) -> None:
        self.message.set_message("")
        self.message.setProperty("kind", "")
        self.editor.setAccessibleDescription("")
        self.editor.setProperty("invalid", False)

    def _show(self, text: str, kind: str, style: str) -> None:
        self.message.set_message(text)
        self.message.setProperty("kind", kind)
        self.message.setStyleSheet(style)

    def _input_changed(self, *_args: object) -> None:
        if not self.has_error:
            return
        problem = self.check() if self.check is not None else None
        if problem:
            self.set_error(problem)
        else:
            self.clear()


def input_signal(editor: QWidget, *, typed: bool = False) -> SignalInstance | None:
    """The signal an editor emits when its input changes; with ``typed``, a line edit's only when the user edits
    it (``textEdited``, not a text set by the program). ``None`` for a widget that is no editor."""
    if isinstance(editor, QLineEdit):
        return editor.textEdited if typed else editor.textChanged
    if isinstance(editor, QPlainTextEdit):
        return editor.textChanged
    if isinstance(editor, QComboBox):
        return editor.currentIndexChanged
    if isinstance(editor, QDateEdit):
        return editor.dateChanged
    if isinstance(editor, QAbstractSpinBox) and hasattr(editor, "valueChanged"):
        return editor.valueChanged  # type: ignore[no-any-return]
    if isinstance(editor, QAbstractButton):
        return editor.toggled
    return None


def _changed_signal(editor: QWidget) -> SignalInstance:
    """The signal an editor emits when its input changes."""
    signal = input_signal(editor)
    return signal if signal is not None else editor.windowTitleChanged  # a container: its own editors report


def enum_combo(members: Iterable[E], parent: QWidget | None = None, *, blank: str | None = None) -> QComboBox:
    """A combo box of a domain code list, showing the official Chinese labels; item data is the member."""
    combo = QComboBox(parent)
    if blank is not None:
        combo.addItem(blank, None)
    for member in members:
        combo.addItem(member.label, member)
    return combo


def combo_value(combo: QComboBox, kind: type[E]) -> E | None:
    """The selected member (Qt stores a ``StrEnum`` as its plain string; this turns it back)."""
    data = combo.currentData()
    return kind(data) if data not in (None, "") else None


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
