"""Alembic at start-up: back up before a pending migration, refuse a database from a newer version."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from mediation_desk.domain.errors import DomainError
from mediation_desk.resources import migrations_path


class DatabaseTooNew(DomainError):
    """The database was written by a newer Mediation Desk."""


@dataclass(frozen=True, slots=True)
class MigrationState:
    current: str | None
    head: str
    pending: bool


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def migration_state(engine: sa.Engine) -> MigrationState:
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
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
