"""Opening a desk for the GUI in two steps, so that the first window comes up before the database layer loads.

``has_database`` looks at the folder only (importing this module imports neither SQLAlchemy nor Alembic nor the
keyring). ``open_for_sign_in`` then opens the desk, holding the folder lock (migrations checked and run behind a
backup, the data key from the keyring: everything ``Desk.open`` does), and reads what the sign-in window shows.
The GUI runs it on a worker thread while it builds and shows the sign-in window, and ``prepare_keyring`` on a
second one; nothing of the desk is shown or used before ``open_for_sign_in`` returned. The keyring backend that
held the desk's key is part of what it returns: the GUI remembers it and names it to ``open_for_sign_in`` at the
next start, so that keyring loads that one backend instead of every one it knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mediation_desk.store.datadir import DataDir

if TYPE_CHECKING:
    from mediation_desk.services.desk import Desk


def has_database(root: Path) -> bool:
    """Whether the data folder ``root`` already holds a desk's database (set up or not): the GUI's first-run test."""
    return DataDir(root).exists()


@dataclass(frozen=True, slots=True)
class OpenedDesk:
    """A desk opened for a GUI session, and what the sign-in window needs of it."""

    desk: Desk
    set_up: bool  # its organisation is set (else the first-run set-up was interrupted)
    org_name: str  # the organisation's name, for the sign-in window's title
    accounts: int  # active accounts: 0 on a desk from before accounts (no sign-in), 1 offers "stay signed in"
    keyring_backend: str = ""  # the keyring backend that holds the desk's key (``module.Class``), to remember


def prepare_keyring(remembered: str = "") -> str:
    """Choose the keyring backend now (the name of the one chosen): ``remembered``, the backend that held the
    desk's key at an earlier start, when keyring's own configuration chooses none and it can be loaded
    (``keystore.prefer``); else keyring's choice. Without a configured backend keyring loads every one it knows
    and asks each whether it works, much of it waiting on other processes (the macOS backend looks for its
    libraries with ``ldconfig``): on a thread of its own this overlaps the import of the database layer, which
    ``open_for_sign_in`` does meanwhile, instead of following it."""
    from mediation_desk.security.keystore import backend_name

    prefer_keyring(remembered)
    return backend_name()


def prefer_keyring(remembered: str) -> bool:
    """Use the keyring backend ``remembered`` (``keystore.prefer``: not when keyring's own configuration chooses,
    nor when it cannot be loaded); whether it is in use. Never raises: keyring's choice is then made as before."""
    from mediation_desk.security import keystore

    return keystore.prefer(remembered)


def keyring_in_use() -> str:
    """The keyring backend in use (``module.Class``): after a desk opened, the one that holds its key; empty when
    none can be loaded (nothing to remember)."""
    from mediation_desk.security.keystore import backend_name

    try:
        return backend_name()
    except Exception:  # a configured backend that cannot be loaded: the keystore says so where a key is needed
        return ""


def open_for_sign_in(root: Path, operator: str = "gui", keyring_backend: str = "") -> OpenedDesk:
    """Open the desk in ``root`` for a GUI session (the folder locked); a ``DomainError`` says why it cannot.
    ``keyring_backend``: the backend remembered from an earlier start, preferred first (``prefer_keyring``): one
    backend loaded on this thread costs less than a second thread importing beside the database layer's imports
    (the two would take turns at Python's lock, each import waiting for the other's turn)."""
    prefer_keyring(keyring_backend)
    from mediation_desk.services.desk import ORG_SETTING, Actor, Desk
    from mediation_desk.services.orgs import list_orgs
    from mediation_desk.services.sessions import active_accounts

    desk = Desk.open(root, Actor.local_operator(operator), lock=True)
    try:
        code = desk.setting(ORG_SETTING)
        if code is None:
            return OpenedDesk(desk, False, "", 0, keyring_in_use())
        name = next((org.name for org in list_orgs(desk) if org.code == code), code)
        return OpenedDesk(desk, True, name, active_accounts(desk), keyring_in_use())
    except BaseException:
        desk.close()
        raise
