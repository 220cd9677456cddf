"""Where the program's shipped resources (fonts, reference data, translations, migrations) are found.

The repository keeps ``resources/`` and ``migrations/`` at its top level, beside the package. A source checkout
and an editable install (``pip install -e .``) use those folders. A wheel carries both inside the package, in
``mediation_desk/_shipped/`` (setup.py puts them there and compiles the translations). A PyInstaller bundle puts
them at the top of the bundle (``sys._MEIPASS``). Alembic and Qt need real files, so a package imported from an
archive gets its folder copied out once.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

SHIPPED = "_shipped"  # the folder below the package that a wheel carries (setup.py)


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def on_disk(folder: Traversable) -> Path:
    """``folder`` as a directory of the file system: itself when it is one, else a temporary copy."""
    if isinstance(folder, Path):
        return folder
    copy = Path(tempfile.mkdtemp(prefix="mediation-desk-"))
    atexit.register(shutil.rmtree, copy, ignore_errors=True)
    _copy_tree(folder, copy)
    return copy


def locate_root(frozen: str | None, package: Traversable, checkout: Path) -> Path:
    """The folder that holds ``resources/`` and ``migrations/``: the bundle, the installed package, the checkout."""
    if frozen:
        return Path(frozen)
    shipped = package / SHIPPED
    if shipped.is_dir():
        return on_disk(shipped)
    return checkout


ROOT = locate_root(getattr(sys, "_MEIPASS", None), files("mediation_desk"), Path(__file__).resolve().parent.parent)


def resource_path(*parts: str) -> Path:
    """A path below ``resources/``."""
    return ROOT.joinpath("resources", *parts)


def migrations_path() -> Path:
    """The Alembic script folder ``migrations/``."""
    return ROOT / "migrations"
