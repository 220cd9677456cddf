"""Whether the desk's database is intact, and the way back when it is not.

``PRAGMA quick_check`` reads every page of the SQLite file and checks its structure (SQLite docs: like
``integrity_check`` without matching index content, O(N) rather than O(N log N)); a damaged file is reported with
the newest backup that passes the same check and the command that restores it. The command line checks before
every command that opens the desk (reads print nothing from a damaged file, writes are refused); the GUI checks
in the background once a desk is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediation_desk.services.desk import Desk
from mediation_desk.store import backup
from mediation_desk.store.datadir import DatabaseDamaged

__all__ = ["DatabaseDamaged", "IntegrityReport", "check", "require_intact"]


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    ok: bool
    problem: str | None = None  # SQLite's first complaint
    backup: str | None = None  # the newest backup that passes the same check
    restore_command: str | None = None  # the command that restores it
    folder: str | None = None  # the data folder, to be copied away when there is no good backup
    message: str = ""  # one Chinese line: what is wrong and how to recover


def check(desk: Desk) -> IntegrityReport:
    """Run ``PRAGMA quick_check`` on the desk's database; for a damaged one, find the way to recover."""
    problems = desk.database.quick_check()
    data_dir = desk.database.data_dir
    if not problems or data_dir is None:
        return IntegrityReport(ok=True)
    good = backup.last_good_backup(data_dir)
    return IntegrityReport(
        ok=False,
        problem=backup.summary(problems[0]),
        backup=good.name if good else None,
        restore_command=backup.restore_command(data_dir, good) if good else None,
        folder=str(data_dir.root),
        message=backup.damaged_message(data_dir, problems[0], good),
    )


def require_intact(desk: Desk) -> None:
    """Raise ``DatabaseDamaged`` (with the way to recover) when the desk's database fails the check."""
    report = check(desk)
    if not report.ok:
        raise DatabaseDamaged(report.message)
