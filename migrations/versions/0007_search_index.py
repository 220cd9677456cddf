"""case search index: each case's text bigrams and party-name pinyin, FTS5 over them on SQLite; list filter indexes

Revision ID: 0007
Revises: 0006
Create Date: 2027-03-01 12:00:00

New tables only, none of which travel in sync files (``store.search_index`` keeps them):
- ``search_text``: each case's tokens as last settled (``body``: bigrams of its number, title, facts and party
  names; ``pinyin``: its parties' pinyin spellings), keyed by a stable integer ``id``;
- ``search_dirty``: the cases changed since the index was last settled;
- on SQLite, when its build has FTS5: ``search_fts``, an external-content FTS5 table over ``search_text``
  (``tokenize='ascii'``: every non-ASCII character is a token character), kept in step with ``search_text`` by
  the standard external-content triggers. Without FTS5 the search reads the plain tables (and ``LIKE``).
Triggers on ``dispute_case`` (insert; update of number, title, facts; delete) and ``party`` (insert; update of
name or case_id; delete) put every changed case into ``search_dirty`` whatever writes it; the program settles
them at each commit (tokens are computed in Python). The fill: every case on file goes into ``search_dirty``
here, and ``store.migrate.upgrade`` settles them once the database is at head, in batches.

The list's filters get indexes in its order: ``(status, intake_date, number_seq)`` and ``(category, intake_date,
number_seq)`` replace the single-column indexes on ``status`` and ``category`` (their prefixes).
Frozen: plain column types and SQL text, never the application's classes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# the tables whose change can change a case's tokens, the column naming their case, and the columns read
WATCHED = {
    "dispute_case": ("id", ("number", "title", "facts")),
    "party": ("case_id", ("name", "case_id")),
}

FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, pinyin, content='search_text', content_rowid='id', "
    "tokenize='ascii', columnsize=0)"
)
FTS_TRIGGERS = (
    "CREATE TRIGGER search_text_insert AFTER INSERT ON search_text BEGIN "
    "INSERT INTO search_fts (rowid, body, pinyin) VALUES (NEW.id, NEW.body, NEW.pinyin); END",
    "CREATE TRIGGER search_text_delete AFTER DELETE ON search_text BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, body, pinyin) VALUES ('delete', OLD.id, OLD.body, OLD.pinyin); END",
    "CREATE TRIGGER search_text_update AFTER UPDATE ON search_text BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, body, pinyin) VALUES ('delete', OLD.id, OLD.body, OLD.pinyin); "
    "INSERT INTO search_fts (rowid, body, pinyin) VALUES (NEW.id, NEW.body, NEW.pinyin); END",
)


def upgrade() -> None:
    _tables()
    _indexes()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()
        if _has_fts5():
            op.execute(FTS)
            for trigger in FTS_TRIGGERS:
                op.execute(trigger)
    op.execute("INSERT INTO search_dirty (case_id) SELECT id FROM dispute_case")


def downgrade() -> None:
    raise NotImplementedError("the program never migrates a database down; restore a backup instead")


def _has_fts5() -> bool:
    """Whether this SQLite has FTS5 (Python on Windows brings its own build)."""
    connection = op.get_bind()
    try:
        connection.exec_driver_sql("CREATE VIRTUAL TABLE temp.search_fts_probe USING fts5(x)")
    except sa.exc.OperationalError:
        return False
    connection.exec_driver_sql("DROP TABLE temp.search_fts_probe")
    return True


def _tables() -> None:
    op.create_table(
        "search_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("pinyin", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_text")),
        sa.UniqueConstraint("case_id", name=op.f("uq_search_text_case_id")),
    )
    op.create_table(
        "search_dirty",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_search_dirty")),
    )


def _indexes() -> None:
    with op.batch_alter_table("dispute_case", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_case_status")
        batch_op.drop_index("ix_dispute_case_category")
        batch_op.create_index("ix_dispute_case_status_order", ["status", "intake_date", "number_seq"], unique=False)
        batch_op.create_index("ix_dispute_case_category_order", ["category", "intake_date", "number_seq"], unique=False)


def _sqlite_mark(value: str) -> str:
    # not INSERT OR IGNORE: an outer statement's conflict policy would override the trigger's
    return (
        f"INSERT INTO search_dirty (case_id) SELECT {value} "
        f"WHERE NOT EXISTS (SELECT 1 FROM search_dirty WHERE case_id = {value});"
    )


def _sqlite_triggers() -> None:
    for table, (key, columns) in WATCHED.items():
        op.execute(
            f"CREATE TRIGGER search_dirty_{table}_insert AFTER INSERT ON {table} BEGIN {_sqlite_mark(f'NEW.{key}')} END"
        )
        op.execute(
            f"CREATE TRIGGER search_dirty_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
            f"BEGIN {_sqlite_mark(f'OLD.{key}')} {_sqlite_mark(f'NEW.{key}')} END"
        )
        op.execute(
            f"CREATE TRIGGER search_dirty_{table}_delete AFTER DELETE ON {table} BEGIN {_sqlite_mark(f'OLD.{key}')} END"
        )


def _postgresql_triggers() -> None:
    """Statement-level triggers over the transition tables: one INSERT per statement, not per row."""
    for key in ("id", "case_id"):
        for name, sources in (("new", ("new_rows",)), ("old", ("old_rows",)), ("both", ("old_rows", "new_rows"))):
            union = " UNION ".join(f"SELECT {key} FROM {source}" for source in sources)
            op.execute(
                f"CREATE FUNCTION search_dirty_{name}_{key}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"INSERT INTO search_dirty (case_id) SELECT DISTINCT changed.{key} FROM ({union}) AS changed "
                f"ON CONFLICT DO NOTHING; RETURN NULL; END $$"
            )
    for table, (key, _columns) in WATCHED.items():
        for event, referencing, function in (
            ("INSERT", "NEW TABLE AS new_rows", "new"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "both"),
            ("DELETE", "OLD TABLE AS old_rows", "old"),
        ):
            op.execute(
                f"CREATE TRIGGER search_dirty_{table}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION search_dirty_{function}_{key}()"
            )
