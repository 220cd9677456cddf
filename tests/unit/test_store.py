"""The SQLite store: WAL and foreign keys on every connection, backups consistent and rotating, files written
whole or not at all."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import register_case
from mediation_desk.services.desk import Desk, set_setting
from mediation_desk.store import backup, files
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


def _register(desk: Desk) -> None:
    register_case(
        desk,
        CaseInput(
            intake_date=date.today(),
            source=CaseSource.APPLICATION,
            category="02",
            parties=[PartyInput("甲某", PartyRole.APPLICANT), PartyInput("乙某", PartyRole.RESPONDENT)],
            facts="相邻通行纠纷",
        ),
    )


def test_daily_backup_only_when_a_day_has_passed_and_the_desk_changed(desk: Desk) -> None:
    first = desk.database.daily_backup_if_due()
    assert first is not None
    assert desk.database.daily_backup_if_due() is None
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert desk.database.daily_backup_if_due(later) is None  # nothing changed: nothing is copied
    _register(desk)
    made = desk.database.daily_backup_if_due(later)
    assert made is not None
    assert backup.unchanged_since(desk.data_dir, made)


def test_an_unchanged_desk_is_still_backed_up_once_a_week(desk: Desk) -> None:
    assert desk.database.daily_backup_if_due() is not None
    for day in range(1, backup.UNCHANGED_GAP_DAYS):
        assert desk.database.daily_backup_if_due(datetime.now(UTC) + timedelta(days=day, minutes=1)) is None
    week = datetime.now(UTC) + timedelta(days=backup.UNCHANGED_GAP_DAYS, minutes=1)
    assert desk.database.daily_backup_if_due(week) is not None


def test_every_kind_of_change_shows_in_the_content_stamp(desk: Desk) -> None:
    stamps = [backup.content_stamp(desk.data_dir.database)]
    _register(desk)  # a case: the audit trail and the revision log
    stamps.append(backup.content_stamp(desk.data_dir.database))
    with desk.read() as session:  # a setting of the data, written outside any audited change
        set_setting(session, "retention_years", "30")
        session.commit()
    stamps.append(backup.content_stamp(desk.data_dir.database))
    assert None not in stamps
    assert len(set(stamps)) == 3
    assert backup.content_stamp(desk.data_dir.root / "missing.sqlite3") is None


def test_daily_backups_of_a_large_desk_keep_within_their_size_budget(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = desk.data_dir.database.stat().st_size
    monkeypatch.setattr(backup, "DAILY_BUDGET_MIN", 0)  # as if the desk were gigabytes: three copies of it fit
    for _ in range(backup.KEEP["daily"]):
        backup.create_backup(desk.data_dir, "daily")
    daily = [info for info in backup.list_backups(desk.data_dir) if info.reason == "daily"]
    assert sum(info.size for info in daily) <= backup.DAILY_BUDGET_FACTOR * size
    assert len(daily) == backup.DAILY_BUDGET_FACTOR
    monkeypatch.setattr(backup, "DAILY_BUDGET_FACTOR", 0)  # a budget smaller than one copy: the newest stays
    newest = backup.create_backup(desk.data_dir, "daily")
    assert [info.name for info in backup.list_backups(desk.data_dir) if info.reason == "daily"] == [newest.name]


def test_a_non_database_file_is_refused_for_restore(desk: Desk) -> None:
    bogus = desk.data_dir.root / "not-a-backup.sqlite3"
    bogus.write_bytes(b"this is not SQLite")
    with pytest.raises(backup.BackupError, match="不是有效的数据库文件"):
        backup.check_sqlite_file(bogus)
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DisputeCase)) == 0


# ---------------------------------------------------------------------------------------------------------------
# Files written whole or not at all


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(files.TEMP_SUFFIX))


def test_atomic_write_replaces_a_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "统计.json"
    files.atomic_write(target, "旧内容")
    files.atomic_write(target, b"new content")
    assert target.read_bytes() == b"new content"
    with files.atomic_text(target) as text:
        text.write("第一行\n第二行\n")
    assert target.read_text(encoding="utf-8") == "第一行\n第二行\n"
    assert _leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"the old export")

    def export_fails() -> None:
        with files.atomic_open(target) as handle:
            handle.write(b"half of the new")
            raise RuntimeError("disk full")

    def print_is_cancelled() -> None:
        with files.atomic_path(tmp_path / "new.pdf") as staged:
            staged.write_bytes(b"%PDF-1.7 ...")
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError, match="disk full"):
        export_fails()
    assert target.read_bytes() == b"the old export"
    with pytest.raises(RuntimeError, match="cancelled"):
        print_is_cancelled()
    assert not (tmp_path / "new.pdf").exists()
    assert _leftovers(tmp_path) == []


def test_atomic_path_can_refuse_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "key.bin"
    target.write_bytes(b"keep me")

    def write_other() -> None:
        with files.atomic_path(target, replace=False) as staged:
            staged.write_bytes(b"other")

    with pytest.raises(FileExistsError):
        write_other()
    assert target.read_bytes() == b"keep me"
    with files.atomic_path(tmp_path / "fresh.bin", replace=False) as staged:
        staged.write_bytes(b"fresh")
    assert (tmp_path / "fresh.bin").read_bytes() == b"fresh"
    assert _leftovers(tmp_path) == []


def test_stale_temporaries_are_cleared_and_fresh_ones_kept(tmp_path: Path) -> None:
    old = files.temporary_name(tmp_path / "backup-1.sqlite3")
    old.write_bytes(b"interrupted")
    Path(f"{old}-wal").write_bytes(b"")
    long_ago = time.time() - 2 * files.STALE_AFTER_S
    for path in (old, Path(f"{old}-wal")):
        os.utime(path, (long_ago, long_ago))
    fresh = files.temporary_name(tmp_path / "backup-2.sqlite3")
    fresh.write_bytes(b"being written")
    other = tmp_path / "notes.tmp"
    other.write_bytes(b"not ours")
    assert files.remove_stale_temporaries(tmp_path, "backup-") == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([fresh.name, other.name])
    assert files.remove_stale_temporaries(tmp_path, "backup-", older_than_s=0) == 1
    assert [path.name for path in tmp_path.iterdir()] == [other.name]


def test_a_backup_carries_the_application_id_and_the_schema_revision(desk: Desk) -> None:
    made = backup.create_backup(desk.data_dir, "manual")
    facts = backup.check_sqlite_file(made.path)
    assert facts.application_id == backup.APPLICATION_ID
    assert facts.revision is not None
    assert _leftovers(desk.data_dir.backups) == []
