"""The database file the program vouches for: its application id, foreign files refused untouched, a lost migration
table reported as damage, a read-only data folder read but never written, a new desk never half-created."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.setup import initialise
from mediation_desk.store import database, migrate
from mediation_desk.store.backup import APPLICATION_ID
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir, DataFolderReadOnly, InstanceLock
from tests.conftest import TEST_PASSWORD, village_setup
from tests.migrations.make_fixtures import FIXTURES
from tests.scenario import populate
from tests.unit.ledgers import random_ledger, write_csv

VILLAGE = "331122001001"
DB_NAME = "mediation-desk.sqlite3"


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def header_application_id(path: Path) -> int:
    with path.open("rb") as handle:
        handle.seek(68)
        return int.from_bytes(handle.read(4), "big")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_application_id(path: Path, value: int) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id={value}")
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


@pytest.fixture
def root(desk: Desk) -> Path:
    """A village desk with a few cases, closed."""
    populate(desk, [VILLAGE], 4)
    folder = desk.data_dir.root
    desk.close()
    return folder


# ---------------------------------------------------------------------------------------------------------------
# The application id


def test_a_new_desk_carries_the_application_id(root: Path) -> None:
    assert header_application_id(root / DB_NAME) == APPLICATION_ID
    assert int.from_bytes(b"MDsk", "big") == APPLICATION_ID


def test_a_desk_made_before_the_application_id_gets_it_at_open(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_application_id(root / DB_NAME, 0)
    assert header_application_id(root / DB_NAME) == 0
    code, out, err = call(capsys, "--data-dir", root, "cases", "list")
    assert code == 0, err
    assert out.count("人调字") == 4
    desk = Desk.open(root, Actor.local_operator("test"))
    desk.close()  # the last connection folds the log into the file
    assert header_application_id(root / DB_NAME) == APPLICATION_ID


def test_a_released_schema_gets_the_application_id_when_migrated(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(FIXTURES / "schema_0001.sqlite3", data_dir.database)
    assert header_application_id(data_dir.database) == 0
    Database.open(data_dir).close()
    assert header_application_id(data_dir.database) == APPLICATION_ID


# ---------------------------------------------------------------------------------------------------------------
# Files that are not a desk's database


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    connection.execute("INSERT INTO recipes VALUES ('面条', 10)")
    connection.commit()
    connection.close()


def _empty_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version=3")  # a valid SQLite file with no tables
    connection.commit()
    connection.close()


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "不是数据库")


def _other_application(template: Path) -> Callable[[Path], None]:
    def make(path: Path) -> None:  # the program's own tables, but another program's mark
        shutil.copyfile(template / DB_NAME, path)
        set_application_id(path, 0x12345678)

    return make


FOREIGN: dict[str, Callable[[Path], object]] = {
    "foreign-sqlite": _foreign_sqlite,
    "sqlite-without-tables": _empty_sqlite,
    "zero-bytes": lambda path: path.write_bytes(b""),
    "text": lambda path: path.write_text("序号,姓名\n1,张三\n", encoding="utf-8"),
    "zip": _zip,
}

COMMANDS: list[list[str]] = [
    ["cases", "list"],
    ["cases", "show", "(2025)缙五人调字第1号"],
    ["stats", "--json"],
    ["ledger", "import", "LEDGER"],
    ["backup", "create"],
    ["orgs", "import", "LEDGER"],
    ["init", "--org", VILLAGE, "--name", "示例村", "--level", "village", "--admin", "admin", "--password-file", "PW"],
    ["demo", "--villages", "1", "--cases", "2"],
]


def _refused_untouched(folder: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    database = folder / DB_NAME
    before = digest(database)
    ledger = tmp_path / "ledger.csv"
    write_csv(ledger, random_ledger(3))
    password = tmp_path / "password.txt"
    password.write_text(TEST_PASSWORD, encoding="utf-8")
    for command in COMMANDS:
        args = [str(ledger) if arg == "LEDGER" else str(password) if arg == "PW" else arg for arg in command]
        code, out, err = call(capsys, "--data-dir", folder, *args)
        assert (code, out) == (1, ""), (command, out, err)
        assert err.count("\n") == 1, err
        assert "不是调解工作台的数据库" in err or "已经有工作台" in err, (command, err)
    assert digest(database) == before
    side = [path.name for path in folder.iterdir() if path.name.startswith(DB_NAME) and path.name != DB_NAME]
    assert side == []
    assert [path.name for path in folder.iterdir() if path.name.endswith(".tmp")] == []


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_a_file_that_is_not_a_desks_database_is_refused_untouched(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    FOREIGN[kind](folder / DB_NAME)
    _refused_untouched(folder, capsys, tmp_path)


def test_another_programs_mark_is_refused_even_with_our_tables(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    _other_application(root)(folder / DB_NAME)
    _refused_untouched(folder, capsys, tmp_path)
    _code, _out, err = call(capsys, "--data-dir", folder, "cases", "list")
    assert "application_id 0x12345678" in err


def test_a_database_without_its_migration_table_is_reported_as_damaged(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = root / DB_NAME
    connection = sqlite3.connect(database)
    connection.execute("DROP TABLE alembic_version")
    connection.commit()
    connection.close()
    before = digest(database)
    for args in (["cases", "list"], ["stats"], ["ledger", "import", "x.csv"]):
        code, out, err = call(capsys, "--data-dir", root, *args)
        assert (code, out) == (1, "")
        assert "已损坏" in err
        assert "alembic_version" in err
        assert "backup restore" in err or "没有完好的备份" in err
        assert "already exists" not in err
    assert digest(database) == before


# ---------------------------------------------------------------------------------------------------------------
# A new desk is never half-created


def test_a_failed_creation_leaves_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "desk"

    def fails(_engine: object) -> None:
        raise RuntimeError("interrupted while creating the schema")

    monkeypatch.setattr(migrate, "upgrade", fails)
    with pytest.raises(RuntimeError, match="interrupted"):
        initialise(root, village_setup(), Actor.local_operator("test"))
    assert not DataDir(root).exists()
    assert [path.name for path in root.iterdir() if path.is_file() and path.name != ".mediation-desk.lock"] == []
    monkeypatch.undo()
    initialise(root, village_setup(), Actor.local_operator("test")).close()
    assert header_application_id(root / DB_NAME) == APPLICATION_ID


# ---------------------------------------------------------------------------------------------------------------
# A read-only data folder


@pytest.fixture
def pretend_read_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """``os.access`` answers "not writable" for everything under a folder (the tests may run as root, for whom
    permission bits do not stop writes)."""
    real = os.access

    def install(folder: Path) -> None:
        def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
            if mode & os.W_OK and Path(path).absolute().is_relative_to(folder.absolute()):
                return False
            return real(path, mode, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "access", access)

    return install


def test_a_read_only_folder_is_read_and_never_written(
    root: Path, pretend_read_only: Callable[[Path], None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_application_id(root / DB_NAME, 0)  # an older desk: its mark is not written while read-only
    before = digest(root / DB_NAME)
    ledger = tmp_path / "ledger.csv"
    write_csv(ledger, random_ledger(3))
    pretend_read_only(root)
    code, out, err = call(capsys, "--data-dir", root, "cases", "list")
    assert code == 0, err
    assert out.count("人调字") == 4
    code, out, err = call(capsys, "--data-dir", root, "stats", "--json")
    assert code == 0, err
    for args in (["ledger", "import", ledger], ["backup", "create"], ["orgs", "import", ledger]):
        code, out, err = call(capsys, "--data-dir", root, *args)
        assert (code, out) == (1, "")
        assert f"数据文件夹 {root} 是只读的" in err
        assert "readonly" not in err
    assert digest(root / DB_NAME) == before
    with pytest.raises(DataFolderReadOnly, match="只读"):
        InstanceLock(DataDir(root)).acquire()


def test_a_read_only_desk_that_needs_a_migration_says_so(
    tmp_path: Path, pretend_read_only: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(FIXTURES / "schema_0001.sqlite3", data_dir.database)
    before = digest(data_dir.database)
    pretend_read_only(data_dir.root)
    code, out, err = call(capsys, "--data-dir", data_dir.root, "cases", "list")
    assert (code, out) == (1, "")
    assert "只读" in err
    assert "升级" in err
    assert digest(data_dir.database) == before


def _read_only_command(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """Run the command line on ``folder`` made really read-only: permission bits for an ordinary user, a read-only
    bind mount in a private mount namespace for root. ``None`` when neither is possible here."""
    command = [sys.executable, "-m", "mediation_desk"]
    environment = {key: value for key, value in os.environ.items() if key != "MEDIATION_DESK_DATA"}
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            return subprocess.run(
                [*command, "--data-dir", str(folder), *args],
                capture_output=True,
                text=True,
                env=environment,
                check=False,
                timeout=120,
            )
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if unshare is None or mount is None:
        return None
    view = folder.with_name(folder.name + "-view")
    view.mkdir(exist_ok=True)
    script = f'{mount} --bind "$1" "$2" && {mount} -o remount,bind,ro "$2" || exit 97; shift 2; exec "$@"'
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", script, "sh", str(folder), str(view), *command, "--data-dir", str(view), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    return None if done.returncode == 97 or "unshare" in done.stderr else done


def test_a_really_read_only_folder(root: Path, tmp_path: Path) -> None:
    before = digest(root / DB_NAME)
    listed = _read_only_command(root, "cases", "list")
    if listed is None:
        pytest.skip("no way to make a folder read-only here")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("人调字") == 4
    ledger = tmp_path / "ledger.csv"
    write_csv(ledger, random_ledger(3))
    imported = _read_only_command(root, "ledger", "import", str(ledger))
    assert imported is not None
    assert imported.returncode == 1
    assert "是只读的" in imported.stderr
    assert "readonly" not in imported.stderr
    assert digest(root / DB_NAME) == before


# ---------------------------------------------------------------------------------------------------------------
# A desk built aside and moved into place (the demo county)


def test_a_desk_built_aside_moves_into_a_folder_that_holds_other_things(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    (target / "logs").mkdir(parents=True)
    (target / "logs" / "mediation-desk.log").write_text("an earlier log\n", encoding="utf-8")
    (target / "说明.txt").write_text("the user's own note\n", encoding="utf-8")
    staging = database.new_staging_folder(target)
    assert staging.parent == target.parent
    assert staging.name.startswith(".desk.staging-")
    initialise(staging, village_setup(), Actor.local_operator("test")).close()
    database.move_into_place(staging, target)
    database.discard_staging(staging)
    assert header_application_id(target / DB_NAME) == APPLICATION_ID
    assert (target / "logs" / "mediation-desk.log").read_text(encoding="utf-8") == "an earlier log\n"
    assert (target / "说明.txt").exists()
    assert (target / "backups").is_dir()
    assert not staging.exists()
    Desk.open(target, Actor.local_operator("test"), lock=True).close()


def test_abandoned_staging_folders_are_cleared_and_live_ones_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "desk"
    abandoned = database.new_staging_folder(target)
    (abandoned / DB_NAME).write_bytes(b"half a desk")
    live = database.new_staging_folder(target)
    holder = InstanceLock(DataDir(live))
    holder.acquire()  # a build in progress holds its folder's lock
    try:
        monkeypatch.setattr(database, "ABANDONED_AFTER_S", 0.0)
        fresh = database.new_staging_folder(target)
        assert not abandoned.exists()
        assert live.exists()
        assert fresh.exists()
    finally:
        holder.release()
    assert not target.exists()  # nothing was made at the target itself
