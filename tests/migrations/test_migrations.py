"""Schema migrations and the safety of the data folder at start-up (DESIGN.md "Data folder and start-up").

- An empty database upgraded to head has exactly the models' tables and columns, and Alembic's autogenerate
  comparison finds no difference: the models and the migrations cannot drift apart.
- A database from a newer version is refused and left byte for byte as it was.
- A pending migration is preceded by a backup; a migration that fails leaves the database as it was.
- Every saved database of a released schema (fixtures/) opens, migrates, and reads back what it held.
- One desk per data folder; a missing folder and a busy database give clear messages.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.resources import migrations_path
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, DatabaseBusy, Desk
from mediation_desk.services.setup import initialise
from mediation_desk.store import backup, engine, migrate
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir, DataFolderError, InstanceLock
from mediation_desk.store.engine import create_engine, sqlite_url
from mediation_desk.store.models import Base
from tests.conftest import VILLAGE_CODE, village_setup
from tests.migrations.make_fixtures import FIXTURES
from tests.scenario import populate, snapshot

FIXTURE_FILES = sorted(FIXTURES.glob("schema_*.sqlite3"))


def _actor() -> Actor:
    return Actor.local_operator("test")


def _revision(path: Path) -> str | None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return str(row[0]) if row else None


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


# The case search's FTS5 table (migration 0007) and its shadow tables: virtual, so not in the models' metadata.
FTS_TABLES = frozenset({"search_fts", *(f"search_fts_{shadow}" for shadow in ("data", "idx", "config", "docsize"))})


def _model_tables(names: list[str]) -> set[str]:
    return set(names) - FTS_TABLES


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    made = create_engine(sqlite_url(tmp_path / "empty.sqlite3"))
    yield made
    made.dispose()


# ---------------------------------------------------------------------------------------------------------------
# Models and migrations agree


def test_upgrade_from_empty_creates_every_model_table(empty_engine: sa.Engine) -> None:
    assert migrate.migration_state(empty_engine).current is None
    migrate.upgrade(empty_engine)
    assert migrate.migration_state(empty_engine).pending is False
    inspector = sa.inspect(empty_engine)
    assert _model_tables(inspector.get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    for name, table in Base.metadata.tables.items():
        columns = {column["name"]: column for column in inspector.get_columns(name)}
        assert set(columns) == {column.name for column in table.columns}, name
        for column in table.columns:
            assert bool(columns[column.name]["nullable"]) == column.nullable, f"{name}.{column.name} nullable"
        assert set(inspector.get_pk_constraint(name)["constrained_columns"]) == {c.name for c in table.primary_key}
        indexes = {index["name"] for index in inspector.get_indexes(name)}
        assert indexes == {index.name for index in table.indexes}, f"{name} indexes"
        foreign = {(tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in inspector.get_foreign_keys(name)}
        expected = {(tuple(fk.column_keys), fk.referred_table.name) for fk in table.foreign_key_constraints}
        assert foreign == expected, f"{name} foreign keys"


def _differences(connection: sa.Connection, metadata: sa.MetaData) -> list[object]:
    def include_name(name: str | None, kind: str, _parents: object) -> bool:
        return not (kind == "table" and name in FTS_TABLES)

    opts = {"compare_type": True, "compare_server_default": True, "include_name": include_name}
    context = MigrationContext.configure(connection, opts=opts)
    return list(compare_metadata(context, metadata))


def test_models_and_migrations_do_not_drift(empty_engine: sa.Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert _differences(connection, Base.metadata) == []
        # and the comparison does see a difference when there is one
        drifted = sa.MetaData(naming_convention=Base.metadata.naming_convention)
        for table in Base.metadata.tables.values():
            table.to_metadata(drifted)
        drifted.tables["party"].append_column(sa.Column("nickname", sa.String(20)))
        assert any("nickname" in repr(diff) for diff in _differences(connection, drifted))


# ---------------------------------------------------------------------------------------------------------------
# Refusing a newer database


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    desk = initialise(tmp_path / "desk", village_setup(), _actor())
    data_dir = desk.data_dir
    desk.close()
    connection = sqlite3.connect(data_dir.database)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = _files(data_dir.root)
    with pytest.raises(migrate.DatabaseTooNew, match="更新版本") as raised:
        Database.open(data_dir)
    assert "9999_from_the_future" in str(raised.value)
    assert _files(data_dir.root) == before  # the database byte for byte, and no backup, no journal left behind


# ---------------------------------------------------------------------------------------------------------------
# A pending migration: backup first


def _migrations_with_extra(tmp_path: Path, body: str) -> Path:
    """A copy of the shipped migrations/ with one more, test-only revision after the real head.

    This is the honest way to make a migration pending: the real start-up code (``Database.open``) then sees a
    database one revision behind head, exactly as after a program update, without faking its version table.
    """
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_path(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    script = f'''
        """test only: one migration after the real head"""
        import sqlalchemy as sa
        from alembic import op

        revision = "9000_test_only"
        down_revision = "{head}"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table("test_only_marker", sa.Column("id", sa.Integer, primary_key=True))
            op.execute("INSERT INTO test_only_marker (id) VALUES (1)")
            op.execute("UPDATE dispute_case SET notes = 'touched by 9000'")
        {textwrap.indent(textwrap.dedent(body), "    ")}

        def downgrade() -> None:
            raise NotImplementedError
    '''
    (folder / "versions" / "9000_test_only.py").write_text(textwrap.dedent(script), encoding="utf-8")
    return folder


@pytest.fixture
def desk_at_head(tmp_path: Path) -> DataDir:
    """A closed desk at the real head, holding a few cases."""
    desk = initialise(tmp_path / "desk", village_setup(), _actor())
    populate(desk, [VILLAGE_CODE], 6)
    data_dir = desk.data_dir
    desk.close()
    return data_dir


def test_a_pending_migration_is_preceded_by_a_backup(
    desk_at_head: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = migrate.head_revision()
    assert backup.list_backups(desk_at_head) == []
    extended = _migrations_with_extra(tmp_path, "")
    monkeypatch.setattr(migrate, "migrations_path", lambda: extended)
    database = Database.open(desk_at_head)
    database.close()

    assert _revision(desk_at_head.database) == "9000_test_only"
    assert "test_only_marker" in _tables(desk_at_head.database)
    (saved,) = backup.list_backups(desk_at_head)
    assert saved.reason == "pre-migration"
    # the backup was taken before the migration ran: it is the database as it was
    assert _revision(saved.path) == head
    assert "test_only_marker" not in _tables(saved.path)
    with sqlite3.connect(saved.path) as connection:
        assert connection.execute("SELECT count(*) FROM dispute_case WHERE notes = ''").fetchone() == (6,)


def test_a_failed_migration_leaves_the_database_as_it_was(
    desk_at_head: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = migrate.head_revision()
    desk = Desk.open(desk_at_head.root, _actor())
    before = snapshot(desk)
    desk.close()
    failing = _migrations_with_extra(tmp_path, 'raise RuntimeError("this migration fails on purpose")')
    monkeypatch.setattr(migrate, "migrations_path", lambda: failing)
    with pytest.raises(RuntimeError, match="fails on purpose"):
        Database.open(desk_at_head)

    assert [info.reason for info in backup.list_backups(desk_at_head)] == ["pre-migration"]
    assert _revision(desk_at_head.database) == head  # the migration ran in one transaction, rolled back
    assert "test_only_marker" not in _tables(desk_at_head.database)
    monkeypatch.undo()
    desk = Desk.open(desk_at_head.root, _actor())
    try:
        assert snapshot(desk) == before
    finally:
        desk.close()


# ---------------------------------------------------------------------------------------------------------------
# Saved databases of released schemas


def test_every_released_schema_has_a_fixture() -> None:
    assert FIXTURES / "schema_0001.sqlite3" in FIXTURE_FILES


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[path.stem for path in FIXTURE_FILES])
def test_a_released_schema_opens_migrates_and_keeps_its_cases(fixture: Path, tmp_path: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    original = fixture.read_bytes()
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(fixture, data_dir.database)
    assert _revision(data_dir.database) == expected["revision"]

    desk = Desk.open(data_dir.root, _actor(), lock=True)
    try:
        held = snapshot(desk)
        assert migrate.migration_state(desk.database.engine).pending is False
    finally:
        desk.close()
    assert fixture.read_bytes() == original  # the committed file itself is never opened
    assert held["cases"] == expected["cases"]
    assert held["statistics"] == expected["statistics"]
    # 0002 made audit_event one row per change set; the rows it held before are legacy_history's. 0004 records the
    # desk's data key (its id and check value) in setting.
    common = (expected["rows"].keys() & held["rows"].keys()) - {"audit_event", "setting"}
    assert {name: held["rows"][name] for name in common} == {name: expected["rows"][name] for name in common}
    migrated = expected["revision"] != migrate.head_revision()
    assert [info.reason for info in backup.list_backups(data_dir)] == (["pre-migration"] if migrated else [])


# ---------------------------------------------------------------------------------------------------------------
# The data folder


def test_a_second_desk_on_the_same_folder_is_refused(desk: Desk) -> None:
    second = InstanceLock(desk.data_dir)
    with pytest.raises(DataFolderError, match="另一个调解工作台正在使用数据文件夹"):
        Desk.open(desk.data_dir.root, _actor(), lock=True)
    # the lock is held by the first desk (initialise takes it), also against another process
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mediation_desk.store.datadir import DataDir, DataFolderError, InstanceLock\n"
        "try:\n"
        "    InstanceLock(DataDir(Path(sys.argv[1]))).acquire()\n"
        "except DataFolderError as error:\n"
        "    print(error)\n"
        "    sys.exit(3)\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(desk.data_dir.root)], capture_output=True, text=True, check=False, timeout=60
    )
    assert other.returncode == 3, other.stderr
    assert "另一个调解工作台正在使用数据文件夹" in other.stdout
    desk.close()
    second.acquire()  # free once the first desk has closed
    second.release()


def test_a_missing_data_folder_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFolderError, match="不存在"):
        Database.open(DataDir(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFolderError, match="没有工作台数据库"):
        Database.open(DataDir(tmp_path / "empty"))
    assert not (tmp_path / "nowhere").exists()
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_busy_database_fails_the_write_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeout_ms = 300
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", timeout_ms)
    desk = initialise(tmp_path / "desk", village_setup(), _actor())
    try:
        before = snapshot(desk)["rows"]
        blocker = sqlite3.connect(desk.data_dir.database, isolation_level=None, timeout=0)
        try:
            blocker.execute("BEGIN IMMEDIATE")
            data = CaseInput(
                intake_date=date(2025, 3, 1),
                source=CaseSource.APPLICATION,
                category="02",
                parties=[
                    PartyInput("周甲", PartyRole.APPLICANT),
                    PartyInput("吴乙", PartyRole.RESPONDENT),
                ],
            )
            started = time.monotonic()
            with pytest.raises(DatabaseBusy, match="本次操作未保存任何内容"):
                cases.register_case(desk, data)
            waited = time.monotonic() - started
        finally:
            blocker.rollback()
            blocker.close()
        assert waited >= timeout_ms / 1000 * 0.8  # it waited for the other writer before giving up
        assert snapshot(desk)["rows"] == before
        assert cases.register_case(desk, data).value.number  # and works again once the other writer is gone
    finally:
        desk.close()


# ---------------------------------------------------------------------------------------------------------------
# The application id and a lost migration table


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[path.stem for path in FIXTURE_FILES])
def test_a_released_schema_gets_the_application_id_when_it_opens(fixture: Path, tmp_path: Path) -> None:
    original = fixture.read_bytes()
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(fixture, data_dir.database)
    Database.open(data_dir).close()
    with sqlite3.connect(data_dir.database) as connection:
        assert connection.execute("PRAGMA application_id").fetchone() == (backup.APPLICATION_ID,)
    assert fixture.read_bytes() == original
    for saved in backup.list_backups(data_dir):  # the pre-migration backup is the file as it was
        assert _revision(saved.path) == _revision(fixture)


def test_the_program_tables_without_the_migration_table_are_damage_not_a_new_schema(desk_at_head: DataDir) -> None:
    with sqlite3.connect(desk_at_head.database) as connection:
        connection.execute("DROP TABLE alembic_version")
    connection.close()

    def data() -> dict[str, bytes]:  # -shm is SQLite's shared index of the log, an empty -wal an empty log: no data
        found = _files(desk_at_head.root).items()
        return {name: data for name, data in found if not name.endswith("-shm") and (data or "-wal" not in name)}

    before = data()
    with pytest.raises(DataFolderError, match="alembic_version") as raised:
        Database.open(desk_at_head)
    assert "already exists" not in str(raised.value)
    assert data() == before
