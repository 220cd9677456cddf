"""Alembic environment. The program passes its own connection (``config.attributes["connection"]``)."""

from __future__ import annotations

from alembic import context

from mediation_desk.store import sync_models  # noqa: F401  (its tables are part of the metadata)
from mediation_desk.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the ``alembic`` command line, used only to write new migrations
        import sqlalchemy as sa

        url = config.get_main_option("sqlalchemy.url") or "sqlite:///alembic-dev.sqlite3"
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        transaction_per_migration=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; the program migrates its own database")
run_migrations_online()
