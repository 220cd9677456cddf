"""Pieces the case form's sections are built from: a field's label and the list of dispute categories."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from mediation_desk.domain.codes import all_categories

INDENT = "\u3000\u3000"  # two ideographic spaces before a sub-type in the category list


def field_label(text: str, buddy: QWidget) -> QLabel:
    """A label right-aligned with the top of its field, which its mnemonic focuses."""
    label = QLabel(text)
    label.setBuddy(buddy)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 4, 0, 0)
    return label


def category_combo(parent: QWidget | None = None) -> QComboBox:
    """The 15 reporting categories with their local sub-types indented below each."""
    combo = QComboBox(parent)
    table = all_categories().values()
    for top in (category for category in table if category.parent is None):
        combo.addItem(top.name, top.code)
        for sub in (category for category in table if category.parent == top.code):
            combo.addItem(INDENT + sub.name, sub.code)
    combo.setMaxVisibleItems(24)
    return combo
