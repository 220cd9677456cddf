"""personal data at rest: identity and phone numbers encrypted, a blind index for ID numbers, revisions sealed

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-10 12:00:00

The desk gets its data key (32 random bytes, kept in the keyring; its id and check value in ``setting``) before
anything is encrypted; the engine running the migration carries it (``security.binding``). Then:
- ``party.id_number_index`` and ``mediator.id_number_index``: the keyed blind index of the ID number, indexed;
- every existing ``id_number``, ``phone`` and ``agent_phone`` becomes a ``v1:`` AES-GCM token in place (empty
  values stay empty); on PostgreSQL those columns become ``TEXT`` (a token is longer than the value; SQLite keeps
  the declared length, which it never enforces);
- the same fields inside every stored revision's ``data`` are sealed.
Frozen: reflected tables and the version-1 token format of ``security.fields``, never the application's classes.
"""
from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

from mediation_desk.security.binding import binding
from mediation_desk.security.fields import FieldCipher, column_context, is_token, seal_revision_data

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ENCRYPTED = {"party": ("id_number", "phone", "agent_phone"), "mediator": ("id_number", "phone")}
CHUNK = 1000


def upgrade() -> None:
    bind = op.get_bind()
    key = binding(bind)
    key.persist(bind)  # in the keyring first, then its id in the database
    cipher = key.writing_cipher()
    for table, columns in ENCRYPTED.items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.add_column(sa.Column("id_number_index", sa.String(length=32), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_id_number_index"), ["id_number_index"], unique=False)
        if bind.dialect.name != "sqlite":
            for column in columns:
                op.alter_column(table, column, type_=sa.Text(), existing_nullable=table == "mediator")
        _encrypt_table(bind, cipher, table)
    _seal_revisions(bind, cipher)


def downgrade() -> None:
    raise NotImplementedError("the program never migrates a database down; restore a backup instead")


def _chunks(rows: list[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _encrypt_table(bind: sa.Connection, cipher: FieldCipher, name: str) -> None:
    columns = ENCRYPTED[name]
    table = sa.table(name, sa.column("id"), *(sa.column(column, sa.Text()) for column in columns))
    changes = []
    for row in bind.execute(sa.select(table)).mappings():
        values = {f"new_{column}": _encrypted(cipher, name, column, row[column]) for column in columns}
        if any(values[f"new_{column}"] != row[column] for column in columns):
            number = row["id_number"]
            index = cipher.blind_index(number) if isinstance(number, str) and not is_token(number) else None
            changes.append({"record": row["id"], "new_index": index, **values})
    statement = (
        sa.update(sa.table(name, sa.column("id"), sa.column("id_number_index"), *(sa.column(c) for c in columns)))
        .where(sa.column("id") == sa.bindparam("record"))
        .values(
            id_number_index=sa.bindparam("new_index"),
            **{column: sa.bindparam(f"new_{column}") for column in columns},
        )
    )
    for chunk in _chunks(changes):
        bind.execute(statement, chunk)


def _encrypted(cipher: FieldCipher, table: str, column: str, value: object) -> object:
    if not isinstance(value, str) or not value or is_token(value):
        return value
    return cipher.encrypt(value, column_context(table, column))


def _seal_revisions(bind: sa.Connection, cipher: FieldCipher) -> None:
    log = sa.table("revision", sa.column("id"), sa.column("table_name"), sa.column("data", sa.Text()))
    query = sa.select(log.c.id, log.c.data).where(log.c.table_name.in_(sorted(ENCRYPTED)))
    changes = []
    for record, data in bind.execute(query):
        sealed = seal_revision_data(cipher, data)
        if sealed != data:
            changes.append({"record": record, "sealed": sealed})
    statement = log.update().where(log.c.id == sa.bindparam("record")).values(data=sa.bindparam("sealed"))
    for chunk in _chunks(changes):
        bind.execute(statement, chunk)
