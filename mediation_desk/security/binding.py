"""A desk's data key bound to its SQLAlchemy engine.

Every engine the store makes carries a ``KeyBinding`` on its dialect (each engine has its own dialect object), so
the encrypted column types (``security.columns``) find the key wherever a statement runs: ORM flushes, Core
statements, the bulk writer, migrations. The binding also keeps the blind index up to date: any INSERT or UPDATE
of ``party`` or ``mediator`` whose parameters set ``id_number`` gets ``id_number_index`` computed from it, so no
write path has to remember it.

``resolve`` reads the key id from the database and the key from the keyring (``DataKeyMissing`` when the keyring
does not hold it: nothing has been written then). A database from before field encryption gets a new key,
pending until the migration that encrypts its data saves it (``persist``): in the keyring first, then in the
database, so a committed key id always has its key.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Dialect, ExceptionContext

from mediation_desk.domain.errors import DomainError
from mediation_desk.security import datakey
from mediation_desk.security.datakey import DataKey, DataKeyError
from mediation_desk.security.fields import ENCRYPTED_COLUMNS, INDEX_COLUMN, INDEXED_COLUMN, FieldCipher

_ATTRIBUTE = "mediation_desk_key_binding"
# Schema versions from before the data key: such a database may get a new key (the migration saves it)
_BEFORE_DATA_KEY = frozenset({"0001", "0002", "0003"})
_SETTING = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
_INDEXED_TABLES = frozenset(name for name, columns in ENCRYPTED_COLUMNS.items() if INDEXED_COLUMN in columns)


class KeyBinding:
    """The data key of the database behind one engine, found when first needed."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = weakref.ref(engine)
        self._key: DataKey | None = None
        self._cipher: FieldCipher | None = None
        self.pending = False

    @property
    def resolved(self) -> bool:
        return self._key is not None

    @property
    def key(self) -> DataKey:
        if self._key is None:
            self.resolve()
        assert self._key is not None
        return self._key

    def resolve(self, connection: sa.Connection | None = None) -> None:
        """Find the key: from the keyring by the database's key id, or a new one for a database without one."""
        if self._key is not None:
            return
        if connection is None:
            engine = self._engine()
            if engine is None:
                raise DataKeyError("数据库已关闭，无法读取数据密钥")
            with engine.connect() as fresh:
                self.resolve(fresh)
            return
        key_id, check, version = _read_settings(connection)
        if key_id is not None:
            self._use(datakey.load(key_id, check or ""), pending=False)
        elif version is None or version in _BEFORE_DATA_KEY:
            self._use(datakey.new_data_key(), pending=True)
        else:
            raise DataKeyError("数据库缺少数据密钥编号（desk.data_key_id），可能已损坏；请从最近的备份恢复")

    def use(self, key: DataKey) -> None:
        """Bind ``key`` (a key just imported for this database)."""
        self._use(key, pending=False)

    def _use(self, key: DataKey, *, pending: bool) -> None:
        self._key = key
        self._cipher = FieldCipher(key)
        self.pending = pending

    def cipher(self) -> FieldCipher:
        """The cipher for reading; also for writing once the key is saved."""
        if self._cipher is None:
            self.resolve()
        assert self._cipher is not None
        return self._cipher

    def writing_cipher(self) -> FieldCipher:
        """The cipher for writing: never with a key that is not yet saved (data would be lost with it)."""
        cipher = self.cipher()
        if self.pending:
            raise DataKeyError("数据密钥尚未保存到系统钥匙串，不能写入加密数据；请重新打开工作台（数据库将先完成升级）")
        return cipher

    def persist(self, connection: sa.Connection) -> None:
        """Save a pending key: in the keyring, then its id and check value in the database (``setting``)."""
        self.resolve(connection)
        if not self.pending:
            return
        key = self.key
        datakey.save(key)
        names = (datakey.KEY_ID_SETTING, datakey.KEY_CHECK_SETTING)
        connection.execute(sa.delete(_SETTING).where(_SETTING.c.key.in_(names)))
        connection.execute(
            sa.insert(_SETTING),
            [
                {"key": datakey.KEY_ID_SETTING, "value": key.key_id},
                {"key": datakey.KEY_CHECK_SETTING, "value": key.check},
            ],
        )
        self.pending = False


def _read_settings(connection: sa.Connection) -> tuple[str | None, str | None, str | None]:
    """The key id, its check value and the schema version (``None`` for each that is not there)."""
    inspector = sa.inspect(connection)
    version = None
    if inspector.has_table("alembic_version"):
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    if not inspector.has_table("setting"):
        return None, None, version
    wanted = (datakey.KEY_ID_SETTING, datakey.KEY_CHECK_SETTING)
    rows = connection.execute(sa.select(_SETTING.c.key, _SETTING.c.value).where(_SETTING.c.key.in_(wanted)))
    found = {str(key): str(value) for key, value in rows}
    return found.get(datakey.KEY_ID_SETTING), found.get(datakey.KEY_CHECK_SETTING), version


# ---------------------------------------------------------------------------------------------------------------
# Engines


def attach(engine: sa.Engine) -> sa.Engine:
    """Give ``engine`` its key binding (found when first needed) and the blind-index upkeep; returns it."""
    setattr(engine.dialect, _ATTRIBUTE, KeyBinding(engine))
    event.listen(engine, "before_execute", _with_blind_index, retval=True)
    event.listen(engine, "handle_error", _key_errors_as_they_are)
    return engine


def _key_errors_as_they_are(context: ExceptionContext) -> None:
    """A key or decryption problem met while a statement's values were prepared is the user's message itself,
    not wrapped in a ``StatementError`` (whose text would carry the statement's values)."""
    if isinstance(context.original_exception, DomainError):
        raise context.original_exception


def binding(target: sa.Engine | sa.Connection | Dialect) -> KeyBinding:
    dialect = target if isinstance(target, Dialect) else target.dialect
    found = getattr(dialect, _ATTRIBUTE, None)
    if not isinstance(found, KeyBinding):
        raise DataKeyError("数据库连接没有绑定数据密钥")
    return found


def resolve(engine: sa.Engine) -> DataKey:
    """Bind the desk's key now (before anything is written); ``DataKeyMissing`` when the keyring lacks it."""
    bound = binding(engine)
    with engine.connect() as connection:
        bound.resolve(connection)
    return bound.key


def blind_index(target: sa.Engine | sa.Connection | Dialect, id_number: str) -> str | None:
    """The blind index of an ID number for the database behind ``target``, to look it up."""
    return binding(target).cipher().blind_index(id_number)


def _with_blind_index(
    connection: sa.Connection,
    statement: Any,
    multiparams: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    _options: Any,
) -> tuple[Any, Sequence[Mapping[str, Any]], Mapping[str, Any]]:
    if not isinstance(statement, sa.Insert | sa.Update):
        return statement, multiparams, params
    table = statement.table
    if not isinstance(table, sa.Table) or table.name not in _INDEXED_TABLES:
        return statement, multiparams, params
    if not any(INDEXED_COLUMN in each for each in (*multiparams, params)):
        return statement, multiparams, params
    cipher = binding(connection).cipher()

    def indexed(values: Mapping[str, Any]) -> Mapping[str, Any]:
        if INDEXED_COLUMN not in values:
            return values
        return {**values, INDEX_COLUMN: cipher.blind_index(values[INDEXED_COLUMN])}

    return statement, [indexed(each) for each in multiparams], indexed(params) if params else params
