"""statistics summary: per (basis, month, organisation) and dimension, kept in the same transaction as every change

Revision ID: 0006
Revises: 0005
Create Date: 2027-02-10 12:00:00

New tables only, none of which travel in sync files (``store.stats_summary`` reads and keeps them):
- ``stats_summary``: every count of the statistics per (basis, month, organisation, dimension, key), the
  dimension the total (key ''), a category, a sub-type or a source;
- ``stats_case``: each case's contribution as last summed in (its keys and counts), which a change subtracts,
  with its dates and follow-up visits for the mediators' figures (read beside ``case_mediator``'s new covering
  index ``ix_case_mediator_stats``, in case order);
- ``stats_dirty``: the cases changed since the summary was last settled.
Triggers on ``dispute_case``, ``outcome`` and ``judicial_confirmation`` put every changed case into
``stats_dirty`` whatever writes it (the ORM, Core bulk inserts, a sync merge, a raw connection); the program
settles them at each commit, in the same transaction. The fill is set-based too: every case on file goes into
``stats_dirty`` here, and ``store.migrate.upgrade`` settles them once the database is at head, in the upgrade's
transaction (the settling statements are the application's, which match the head schema only).
Frozen: plain column types and SQL text, never the application's classes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTS = (
    "cases",
    "successful",
    "failed",
    "terminated",
    "refused",
    "pending",
    "written_agreements",
    "oral_agreements",
    "amount_fen",
    "persons",
    "group_cases",
    "group_persons",
    "performed",
    "partly_performed",
    "not_performed",
    "escalation_risk_cases",
    "escalation_risk_persons",
    "judicial_applied",
    "judicial_granted",
)

# the counted tables, the column naming their case, and the columns whose change can change a count
WATCHED = {
    "dispute_case": (
        "id",
        (
            "org_id",
            "intake_date",
            "source",
            "category",
            "subtype",
            "amount_fen",
            "persons",
            "group_dispute",
            "risk_flags",
            "status",
            "closing_date",
        ),
    ),
    "outcome": ("case_id", ("case_id", "kind", "decided_on", "performance")),
    "judicial_confirmation": ("case_id", ("case_id", "granted")),
    "follow_up": ("case_id", ("case_id",)),
}


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()
    op.execute("INSERT INTO stats_dirty (case_id) SELECT id FROM dispute_case")


def downgrade() -> None:
    raise NotImplementedError("the program never migrates a database down; restore a backup instead")


def _counts() -> list[sa.Column[int]]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in COUNTS]


def _tables() -> None:
    op.create_table(
        "stats_case",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("subtype", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("intake_month", sa.String(length=7), nullable=False),
        sa.Column("closing_month", sa.String(length=7), nullable=True),
        *_counts(),
        sa.Column("intake_date", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("follow_ups", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_stats_case")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("case_mediator", schema=None) as batch_op:
        batch_op.create_index("ix_case_mediator_stats", ["case_id", "recused", "mediator_id"], unique=False)
    op.create_table(
        "stats_summary",
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("basis", "month", "org_id", "dim", "key", name=op.f("pk_stats_summary")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stats_dirty",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_stats_dirty")),
    )


def _sqlite_mark(value: str) -> str:
    # not INSERT OR IGNORE: an outer statement's conflict policy would override the trigger's
    return (
        f"INSERT INTO stats_dirty (case_id) SELECT {value} "
        f"WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE case_id = {value});"
    )


def _sqlite_triggers() -> None:
    for table, (key, columns) in WATCHED.items():
        op.execute(
            f"CREATE TRIGGER stats_dirty_{table}_insert AFTER INSERT ON {table} BEGIN {_sqlite_mark(f'NEW.{key}')} END"
        )
        op.execute(
            f"CREATE TRIGGER stats_dirty_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
            f"BEGIN {_sqlite_mark(f'OLD.{key}')} {_sqlite_mark(f'NEW.{key}')} END"
        )
        op.execute(
            f"CREATE TRIGGER stats_dirty_{table}_delete AFTER DELETE ON {table} BEGIN {_sqlite_mark(f'OLD.{key}')} END"
        )


def _postgresql_triggers() -> None:
    """Statement-level triggers over the transition tables: one INSERT per statement, not per row."""
    for key in ("id", "case_id"):
        for name, sources in (("new", ("new_rows",)), ("old", ("old_rows",)), ("both", ("old_rows", "new_rows"))):
            union = " UNION ".join(f"SELECT {key} FROM {source}" for source in sources)
            op.execute(
                f"CREATE FUNCTION stats_dirty_{name}_{key}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"INSERT INTO stats_dirty (case_id) SELECT DISTINCT changed.{key} FROM ({union}) AS changed "
                f"ON CONFLICT DO NOTHING; RETURN NULL; END $$"
            )
    for table, (key, _columns) in WATCHED.items():
        for event, referencing, function in (
            ("INSERT", "NEW TABLE AS new_rows", "new"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "both"),
            ("DELETE", "OLD TABLE AS old_rows", "old"),
        ):
            op.execute(
                f"CREATE TRIGGER stats_dirty_{table}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION stats_dirty_{function}_{key}()"
            )
