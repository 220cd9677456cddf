"""Failures of the database itself (a damaged file, a lost connection), told apart from every other error, so
that the command line can name them in one line without importing the database library."""

from __future__ import annotations

import sqlalchemy.exc

__all__ = ["database_error_detail"]


def database_error_detail(error: BaseException) -> str | None:
    """The first line of the database's own message when ``error`` comes from the database, else ``None``."""
    if not isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return None
    return str(getattr(error, "orig", None) or error).splitlines()[0]
