"""Opening a desk's database: create or open, back up if a migration is pending, migrate, refuse newer ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from mediation_desk.store import backup, migrate
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.engine import create_engine, make_sessionmaker, sqlite_url


class Database:
    """An engine and its session factory, at the current schema."""

    def __init__(self, engine: sa.Engine, data_dir: DataDir | None = None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.sessions: sessionmaker[Session] = make_sessionmaker(engine)

    @classmethod
    def open(cls, data_dir: DataDir, *, create: bool = False) -> Database:
        """Open (or, with ``create``, make) the desk in ``data_dir`` and bring its schema to head."""
        if create:
            data_dir.create()
        else:
            data_dir.require()
        engine = create_engine(sqlite_url(data_dir.database))
        try:
            state = migrate.migration_state(engine)
            if state.pending and state.current is not None:
                backup.create_backup(data_dir, "pre-migration")
            if state.pending:
                migrate.upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, data_dir)

    @classmethod
    def open_url(cls, url: str) -> Database:
        """A database by URL (PostgreSQL for aggregation), migrated to head."""
        engine = create_engine(url)
        migrate.migration_state(engine)
        migrate.upgrade(engine)
        return cls(engine)

    def daily_backup_if_due(self, now: datetime | None = None) -> backup.BackupInfo | None:
        if self.data_dir is None:
            return None
        now = now or datetime.now(UTC)
        latest = [info for info in backup.list_backups(self.data_dir) if info.reason == "daily"]
        if latest and now - latest[0].created < timedelta(days=1):
            return None
        return backup.create_backup(self.data_dir, "daily")

    def close(self) -> None:
        self.engine.dispose()
