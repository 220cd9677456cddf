"""Failures of the database itself (a damaged file, a lost connection), told apart from every other error, so
that the command line can name them in one line without importing the database library.

A damaged SQLite file and a read-only one are turned into ``DomainError`` messages by the store itself
(``store.database``), with the way to recover; what reaches :func:`database_error_detail` is anything else the
database reported.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc

__all__ = ["database_error_detail"]


def database_error_detail(error: BaseException) -> str | None:
    """The first line of the database's own message when ``error`` comes from the database, else ``None``."""
    if not isinstance(error, sqlalchemy.exc.SQLAlchemyError | sqlite3.Error):
        return None
    lines = str(getattr(error, "orig", None) or error).splitlines()
    return lines[0] if lines else type(error).__name__
