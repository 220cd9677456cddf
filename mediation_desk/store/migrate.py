"""Alembic at start-up: back up before a pending migration, refuse a database from a newer version.

Alembic itself (a tenth of a second of imports, and it loads every migration script) is imported only when it
is needed: ``migration_state`` first reads the database's revision with one query and compares it with the head
found by reading the scripts' ``revision``/``down_revision`` lines (``script_head``). Only a database that is not
at that head (a pending migration, a newer or unknown revision, no revision table) goes through Alembic, which
decides; ``tests/unit/test_migrate_fast.py`` checks that both give the same head.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError
from mediation_desk.resources import migrations_path
from mediation_desk.store import search_index, stats_summary

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]+)?=\s*(.+)$", re.MULTILINE)


class DatabaseTooNew(DomainError):
    """The database was written by a newer Mediation Desk."""


@dataclass(frozen=True, slots=True)
class MigrationState:
    current: str | None
    head: str
    pending: bool


def alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def script_head() -> str | None:
    """The single head of the migration scripts, read from their ``revision = ...`` and ``down_revision = ...``
    lines without Alembic; ``None`` when the scripts do not show exactly one head plainly (Alembic then decides)."""
    return _script_head(migrations_path())


@functools.cache
def _script_head(folder: Path) -> str | None:
    """``script_head`` of the scripts in ``folder`` (read once per folder and process)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((folder / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"].strip())
            down = ast.literal_eval(found["down_revision"].strip())
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: sa.Engine) -> str | None:
    """The database's Alembic revision by one plain query; ``None`` when it cannot be read so simply."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    except sa.exc.DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def migration_state(engine: sa.Engine) -> MigrationState:
    head = script_head()
    if head is not None and _current_revision(engine) == head:
        return MigrationState(head, head, False)  # at head: Alembic is not needed
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        try:
            known = script.get_revision(current)
        except Exception:  # alembic raises several types for an unknown id
            known = None
        if known is None:
            raise DatabaseTooNew(
                "此数据库由更新版本的调解工作台建立（数据库版本 "
                f"{current}），本程序无法打开；请升级调解工作台后再试，数据未作任何改动"
            )
    return MigrationState(current, head, current != head)


def upgrade(engine: sa.Engine) -> None:
    """Run every pending migration, each in its own transaction (see migrations/env.py)."""
    from alembic import command

    with engine.connect() as connection:
        connection.info[stats_summary.DEFER] = True  # settle only at head: its statements are the head schema's
        try:
            command.upgrade(alembic_config(connection), "head")
        finally:
            connection.info.pop(stats_summary.DEFER, None)
        if stats_summary.has_summary(connection):
            stats_summary.settle(connection)  # what the migrations changed (0006: every case, the summary's fill)
        if search_index.has_index(connection):
            search_index.settle(connection)  # 0007: every case, the search index's fill (in batches)
        connection.commit()
