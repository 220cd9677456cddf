"""Where the program's shipped resources (fonts, reference data, translations, migrations) are found."""

from __future__ import annotations

import sys
from pathlib import Path


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # a PyInstaller bundle puts the data folders beside the package
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


ROOT = _root()


def resource_path(*parts: str) -> Path:
    """A path below ``resources/``."""
    return ROOT.joinpath("resources", *parts)


def migrations_path() -> Path:
    """The Alembic script folder ``migrations/``."""
    return ROOT / "migrations"
