"""A desk's database on a PostgreSQL server (a county's or a province's merged data).

The SQLite-only parts of a desk (the application id, ``quick_check``, file backups, read-only files) do not
apply: the server looks after its own pages, and it is backed up with the server's tools (``pg_dump``).
"""

from __future__ import annotations

import sqlalchemy as sa

from mediation_desk.store.datadir import DataFolderError


def without_password(url: str) -> str:
    """``url`` as it may be written to a file: the password left out (libpq finds it in ``~/.pgpass`` or
    ``PGPASSWORD``)."""
    parsed = sa.engine.make_url(url)  # URL.set(password=None) would keep the password: None means "unchanged"
    kept = sa.engine.URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query
    )
    return kept.render_as_string(hide_password=False)


def shown(url: str) -> str:
    """``url`` for messages: the password masked."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def holds_desk(url: str) -> bool:
    """Whether the server database at ``url`` holds a desk (its migration table); an unreachable server is a
    clear error, not "no desk"."""
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            return sa.inspect(connection).has_table("alembic_version")
    except sa.exc.OperationalError as error:
        raise DataFolderError(f"无法连接数据库服务器 {shown(url)}：{str(error.orig).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()
