"""The SQLite store: WAL and foreign keys on every connection, backups consistent and rotating."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from mediation_desk.domain.codes import CaseSource
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.desk import Desk
from mediation_desk.store import backup
from mediation_desk.store.models import DisputeCase


def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(desk: Desk) -> None:
    with desk.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(desk: Desk) -> None:
    orphan = DisputeCase(
        id=uuid.uuid4(),
        org_id=uuid.uuid4(),
        intake_date=date(2026, 1, 5),
        source=CaseSource.APPLICATION,
        category="02",
        status=CaseStatus.ACCEPTED,
    )
    with desk.read() as session:
        session.add(orphan)
        with pytest.raises(exc.IntegrityError):
            session.commit()


def test_backup_is_a_consistent_sqlite_file_and_daily_backups_rotate(desk: Desk) -> None:
    made = backup.create_backup(desk.data_dir, "manual")
    connection = sqlite3.connect(made.path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM org_unit").fetchone()[0] >= 1
    finally:
        connection.close()
    assert not list(desk.data_dir.backups.glob("*.part"))
    for _ in range(backup.KEEP["daily"] + 3):
        backup.create_backup(desk.data_dir, "daily")
    daily = [info for info in backup.list_backups(desk.data_dir) if info.reason == "daily"]
    assert len(daily) == backup.KEEP["daily"]
    assert [info.name for info in backup.list_backups(desk.data_dir) if info.reason == "manual"] == [made.name]


def test_daily_backup_only_when_a_day_has_passed(desk: Desk) -> None:
    first = desk.database.daily_backup_if_due()
    assert first is not None
    assert desk.database.daily_backup_if_due() is None
    assert desk.database.daily_backup_if_due(datetime.now(UTC) + timedelta(days=1, minutes=1)) is not None


def test_a_non_database_file_is_refused_for_restore(desk: Desk) -> None:
    bogus = desk.data_dir.root / "not-a-backup.sqlite3"
    bogus.write_bytes(b"this is not SQLite")
    with pytest.raises(backup.BackupError, match="不是有效的数据库文件"):
        backup.check_sqlite_file(bogus)
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DisputeCase)) == 0
