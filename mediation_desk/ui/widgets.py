"""Small widgets shared by forms: a field with its validation message, combo boxes of domain code lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mediation_desk.domain.codes import LabelledEnum

E = TypeVar("E", bound=LabelledEnum)

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #7a5a00;"


class FieldRow(QWidget):
    """An editor with its validation message right under it (DESIGN.md: validation is shown next to the field).

    The message is the domain's own Chinese text (``ValidationError.message``).
    """

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.message.hide()
        layout.addWidget(self.message)

    @property
    def error(self) -> str:
        return self.message.text() if self.has_error else ""

    @property
    def has_error(self) -> bool:
        return not self.message.isHidden() and self.message.property("kind") == "error"

    def set_error(self, text: str) -> None:
        self._show(text, "error", ERROR_STYLE)
        self.editor.setAccessibleDescription(text)

    def set_hint(self, text: str) -> None:
        """A warning that does not block saving (e.g. a retired address code in an ID number)."""
        self._show(text, "hint", HINT_STYLE)

    def clear(self) -> None:
        self.message.clear()
        self.message.setProperty("kind", "")
        self.message.hide()
        self.editor.setAccessibleDescription("")

    def _show(self, text: str, kind: str, style: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.setStyleSheet(style)
        self.message.show()


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
