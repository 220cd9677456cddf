"""A damaged database is noticed, never copied and never written to, and the way back is named.

Damage is made the way a failing disk or a pulled USB stick makes it: bytes overwritten in the middle of the file
(here, the root page of a table's b-tree, so that every check must find it).
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.services import backups, cases, integrity
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import backup
from mediation_desk.store.backup import BackupError
from mediation_desk.store.datadir import DatabaseDamaged, DataDir
from tests.scenario import populate
from tests.unit.ledgers import random_ledger, write_csv

VILLAGE = "331122001001"


def settle(database: Path) -> None:
    """Fold the write-ahead log into the file (what a clean close does), so that the file alone is the data."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def damage(database: Path, table: str = "dispute_case", *, seed: int = 6) -> None:
    """Overwrite the root page of ``table`` with random bytes."""
    settle(database)
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        (root_page,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    finally:
        connection.close()
    with database.open("r+b") as handle:
        handle.seek((int(root_page) - 1) * page_size)
        handle.write(random.Random(seed).randbytes(page_size))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def damaged(desk: Desk) -> tuple[DataDir, backup.BackupInfo]:
    """A desk with cases and one good backup, then damaged; closed."""
    populate(desk, [VILLAGE], 12)
    good = backups.create(desk.data_dir.root)
    data_dir = desk.data_dir
    desk.close()
    damage(data_dir.database)
    return data_dir, good


def test_an_intact_desk_passes(desk: Desk) -> None:
    populate(desk, [VILLAGE], 3)
    report = integrity.check(desk)
    assert report.ok
    assert report.problem is None
    integrity.require_intact(desk)


def test_every_command_on_a_damaged_database_exits_1_naming_the_way_back(
    damaged: tuple[DataDir, backup.BackupInfo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, good = damaged
    ledger = tmp_path / "ledger.csv"
    write_csv(ledger, random_ledger(5))
    before = digest(data_dir.database)
    listed = {info.name for info in backup.list_backups(data_dir)}
    for args in (
        ["cases", "list"],
        ["cases", "show", "(2025)缙五人调字第1号"],
        ["stats", "--json"],
        ["ledger", "import", ledger],
        ["backup", "create"],
    ):
        code, out, err = call(capsys, "--data-dir", data_dir.root, *args)
        assert (code, out) == (1, ""), args
        assert err.count("\n") == 1, err
        assert "已损坏" in err
        assert f"backup restore {good.name}" in err
    assert digest(data_dir.database) == before  # nothing was written into it
    assert {info.name for info in backup.list_backups(data_dir)} == listed  # and nothing copied from it


def test_a_read_that_meets_the_damage_is_the_same_clear_error(damaged: tuple[DataDir, backup.BackupInfo]) -> None:
    """Opened without the command line's check (as the GUI opens it), a query that meets the damaged page raises
    ``DatabaseDamaged``, not SQLite's bare "database disk image is malformed"."""
    data_dir, good = damaged
    desk = Desk.open(data_dir.root, Actor.local_operator("test"))
    try:
        with pytest.raises(DatabaseDamaged, match=f"已损坏.*backup restore {good.name}"):
            cases.list_cases(desk)
    finally:
        desk.close()


def test_the_check_reports_the_last_good_backup(damaged: tuple[DataDir, backup.BackupInfo]) -> None:
    data_dir, good = damaged
    desk = Desk.open(data_dir.root, Actor.local_operator("test"))
    try:
        report = integrity.check(desk)
    finally:
        desk.close()
    assert not report.ok
    assert report.problem
    assert report.backup == good.name
    assert report.restore_command == f"mediation-desk --data-dir {data_dir.root} backup restore {good.name}"
    assert report.message.count("\n") == 0


def test_a_damaged_backup_is_not_the_last_good_one(desk: Desk) -> None:
    populate(desk, [VILLAGE], 4)
    older = backups.create(desk.data_dir.root)
    newer = backups.create(desk.data_dir.root)
    damage(newer.path, "org_unit")
    assert backup.last_good_backup(desk.data_dir) == older
    damage(older.path, "org_unit")
    assert backup.last_good_backup(desk.data_dir) is None
    message = backup.damaged_error(desk.data_dir, "test").message
    assert "没有完好的备份" in message
    desk.close()
    with pytest.raises(BackupError, match="已损坏，不能用于恢复"):
        backups.restore(desk.data_dir.root, newer.name)


def test_restoring_a_damaged_desk_keeps_a_copy_of_it(
    damaged: tuple[DataDir, backup.BackupInfo], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, good = damaged
    damaged_bytes = data_dir.database.read_bytes()
    code, out, err = call(capsys, "--data-dir", data_dir.root, "backup", "restore", good.name)
    assert code == 0, err
    assert "已从备份" in out
    (safety,) = [info for info in backup.list_backups(data_dir) if info.reason == "pre-restore"]
    assert safety.path.read_bytes() == damaged_bytes  # the damaged file, byte for byte
    code, out, err = call(capsys, "--data-dir", data_dir.root, "cases", "list")
    assert code == 0, err
    assert out.count("人调字") == 12
    # the copy of the damaged database is not offered as a way back
    assert backup.last_good_backup(data_dir) != safety
    code, _out, err = call(capsys, "--data-dir", data_dir.root, "backup", "restore", safety.name)
    assert code == 1
    assert "已损坏，不能用于恢复" in err


def test_a_backup_is_verified_before_it_gets_its_name(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    real = backup.read_facts

    def copy_at_another_revision(connection: sqlite3.Connection) -> backup.FileFacts:
        facts = real(connection)
        path = str(connection.execute("PRAGMA database_list").fetchone()[2])
        if path.endswith(".tmp"):  # the copy, read back before it is renamed
            return backup.FileFacts(facts.application_id, facts.tables, "another-revision")
        return facts

    monkeypatch.setattr(backup, "read_facts", copy_at_another_revision)
    with pytest.raises(BackupError, match="校验失败"):
        backup.create_backup(desk.data_dir, "manual")
    assert list(desk.data_dir.backups.iterdir()) == []  # no backup and no temporary file


def test_a_restore_checks_the_restored_result(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(desk, [VILLAGE], 2)
    good = backups.create(desk.data_dir.root)
    root = desk.data_dir.root
    desk.close()
    before = digest(DataDir(root).database)
    real = backup.check_sqlite_file
    seen: list[Path] = []

    def staged_fails(path: Path) -> backup.FileFacts:
        seen.append(path)
        if path.name.endswith(".tmp"):  # the restored file, before it takes the database's place
            raise BackupError("simulated damage of the restored file")
        return real(path)

    monkeypatch.setattr(backup, "check_sqlite_file", staged_fails)
    with pytest.raises(BackupError, match="simulated"):
        backups.restore(root, good.name)
    assert any(path.name.endswith(".tmp") for path in seen)
    assert digest(DataDir(root).database) == before
    assert not [path for path in root.iterdir() if path.name.endswith((".tmp", ".tmp-wal", ".tmp-shm"))]
