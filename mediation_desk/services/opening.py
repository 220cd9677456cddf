"""Opening a desk for the GUI in two steps, so that the first window comes up before the database layer loads.

``has_database`` looks at the folder only (importing this module imports neither SQLAlchemy nor Alembic nor the
keyring). ``open_for_sign_in`` then opens the desk, holding the folder lock (migrations checked and run behind a
backup, the data key from the keyring: everything ``Desk.open`` does), and reads what the sign-in window shows.
The GUI runs it on a worker thread while it builds and shows the sign-in window, and ``prepare_keyring`` on a
second one; nothing of the desk is shown or used before ``open_for_sign_in`` returned.
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


def prepare_keyring() -> str:
    """Let ``keyring`` choose its backend now (the name of the one chosen). Without a configured backend it loads
    every one it knows and asks each whether it works, much of it waiting on other processes (the macOS backend
    looks for its libraries with ``ldconfig``): on a thread of its own this overlaps the import of the database
    layer, which ``open_for_sign_in`` does meanwhile, instead of following it."""
    from mediation_desk.security.keystore import backend_name

    return backend_name()


def open_for_sign_in(root: Path, operator: str = "gui") -> OpenedDesk:
    """Open the desk in ``root`` for a GUI session (the folder locked); a ``DomainError`` says why it cannot."""
    from mediation_desk.services.desk import ORG_SETTING, Actor, Desk
    from mediation_desk.services.orgs import list_orgs
    from mediation_desk.services.sessions import active_accounts

    desk = Desk.open(root, Actor.local_operator(operator), lock=True)
    try:
        code = desk.setting(ORG_SETTING)
        if code is None:
            return OpenedDesk(desk, False, "", 0)
        name = next((org.name for org in list_orgs(desk) if org.code == code), code)
        return OpenedDesk(desk, True, name, active_accounts(desk))
    except BaseException:
        desk.close()
        raise
