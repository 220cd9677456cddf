"""Column types that keep personal data encrypted at rest, with the key their engine carries (``binding``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from mediation_desk.security.binding import binding
from mediation_desk.security.fields import column_context, holds_sealed, needs_sealing, seal_revision_data
from mediation_desk.security.fields import unseal_revision_data as _unseal


class EncryptedText(TypeDecorator[str]):
    """A text column stored as an AES-GCM token whose associated data names ``table`` and ``column``.

    On SQLite the column keeps the declared length it had before encryption (SQLite does not enforce lengths, and
    the tables that refer to it need not be rebuilt); elsewhere it is ``TEXT``, since a token is longer than the
    value.
    """

    impl = sa.Text
    cache_ok = True

    def __init__(self, table: str, column: str, sqlite_length: int) -> None:
        super().__init__()
        self.table = table
        self.column = column
        self.sqlite_length = sqlite_length
        self._context = column_context(table, column)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # the generic types themselves: ``type_descriptor`` would turn TEXT into psycopg's VARCHAR
        if dialect.name == "sqlite":
            return sa.String(self.sqlite_length)
        return sa.Text()

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return binding(dialect).writing_cipher().encrypt(value, self._context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return binding(dialect).cipher().decrypt(value, self._context)


class SealedRevisionData(TypeDecorator[str]):
    """A revision's canonical JSON: its identity and phone numbers sealed at rest, plain when read."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not needs_sealing(value):
            return value
        return seal_revision_data(binding(dialect).writing_cipher(), value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not holds_sealed(value):
            return value
        return _unseal(binding(dialect).cipher(), value)
