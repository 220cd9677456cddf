"""The data folder as the command line sees it: where it is, whether it holds a desk, and opening that desk.

``--data-dir DIR`` wins over the environment variable ``MEDIATION_DESK_DATA``, which wins over the per-user
folder from platformdirs (DESIGN.md, Data folder and start-up).
"""

from __future__ import annotations

from pathlib import Path

from mediation_desk.services import integrity
from mediation_desk.services.desk import Actor, Desk, has_database
from mediation_desk.store import datadir
from mediation_desk.store.datadir import DataDir, DataFolderError, use_database_url

__all__ = ["DataFolderError", "default_data_dir", "has_database", "open_desk", "require_desk", "use_database_url"]


def default_data_dir() -> Path:
    """The folder used when no ``--data-dir`` is given: ``MEDIATION_DESK_DATA``, else the per-user folder."""
    return datadir.default_data_dir()


def require_desk(root: Path) -> None:
    """Raise ``DataFolderError`` with a clear message when ``root`` or its database is missing."""
    DataDir(root).require()


def open_desk(root: Path, actor: Actor, *, lock: bool = False) -> Desk:
    """Open the desk that ``root`` already holds; ``lock`` takes the folder for writing.

    The folder is checked first: a clear message, and no lock file left in a folder that holds no desk. Then the
    database: a file that is not a desk's is refused untouched, a read-only desk opens for reading only (``lock``
    refuses it, with the reason), and a damaged one (``PRAGMA quick_check``) is refused with the way to recover,
    so that nothing is read from it or written into it.
    """
    require_desk(root)
    desk = Desk.open(root, actor, lock=lock)
    try:
        integrity.require_intact(desk)
    except BaseException:
        desk.close()
        raise
    return desk
