"""The program's icons: one set of SVGs drawn for it (``resources/icons``, one stroke colour), on every action."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from mediation_desk.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (a file ``resources/icons/NAME.svg``); an empty icon if there is none."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
