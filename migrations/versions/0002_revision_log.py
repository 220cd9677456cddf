"""revision log (SYNC.md): one revision per change of a synced record; the audit trail keeps who did it

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 19:00:00

An existing database is carried over with its history:
- every synced record gets one revision holding its current row, keyed by the stamp it already carries
  (``rev_device``, ``rev_seq``), with a version vector of that stamp and a clock tick from ``rev_hlc``;
- the old field-level audit trail becomes ``legacy_history``, who changed which fields of what and when, with
  the field names only (the values it held stay out of the history);
- ``audit_event`` becomes one row per change set (at, actor, operation, details).
Frozen: plain column types and reflected tables, never the application's classes.
"""
from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SYNCED = (
    "org_unit",
    "mediator",
    "mediator_pairing",
    "mediator_assessment",
    "dispute_case",
    "party",
    "case_mediator",
    "investigation_record",
    "session_record",
    "outcome",
    "attachment",
    "agreement",
    "follow_up",
    "judicial_confirmation",
    "screening_round",
)
STAMPS = ("rev_device", "rev_seq", "rev_hlc")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    bind = op.get_bind()
    _create_tables()
    _carry_history(bind)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_case_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_record_id"))
    op.execute("DELETE FROM audit_event")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))
        for name in ("changes", "action", "case_id", "table_name", "record_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("device_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hlc", sa.BigInteger(), nullable=False, server_default="0"))
    _baseline_revisions(bind)
    for table, column in (("audit_event", "details"), ("device_state", "hlc")):  # the models declare no default
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    raise NotImplementedError("the program never migrates a database down; restore a backup instead")


def _create_tables() -> None:
    op.create_table(
        "legacy_history",
        sa.Column("id", BIGINT, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("operation", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legacy_history")),
    )
    with op.batch_alter_table("legacy_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legacy_history_case_id"), ["case_id"], unique=False)
    op.create_table(
        "revision",
        sa.Column("id", BIGINT, nullable=False),
        sa.Column("origin_device", sa.Uuid(), nullable=False),
        sa.Column("origin_seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("change_id", BIGINT, nullable=True),
        sa.ForeignKeyConstraint(["change_id"], ["audit_event.id"], name=op.f("fk_revision_change_id_audit_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("origin_device", "origin_seq", name="uq_revision_origin"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revision_change_id"), ["change_id"], unique=False)
        batch_op.create_index("ix_revision_record", ["table_name", "record_id"], unique=False)


def _carry_history(bind: sa.Connection) -> None:
    old = sa.Table("audit_event", sa.MetaData(), autoload_with=bind)
    legacy = sa.Table("legacy_history", sa.MetaData(), autoload_with=bind)
    rows = [
        {
            "at": row.at,
            "actor": row.actor,
            "action": row.action,
            "table_name": row.table_name,
            "record_id": row.record_id,
            "case_id": row.case_id,
            "operation": row.operation,
            "fields": sorted(row.changes or {}),
        }
        for row in bind.execute(sa.select(old).order_by(old.c.id))
    ]
    if rows:
        bind.execute(sa.insert(legacy), rows)


# -- one revision per record, as it stands ----------------------------------------------------------------------


def _plain(value: object, column: sa.Column[object]) -> object:
    """A stored value in the canonical JSON form (domain/canonical.py, frozen here)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        when = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if isinstance(column.type, sa.CHAR) and column.type.length == 32 and len(value) == 32:
            return str(uuid.UUID(hex=value))  # a UUID as SQLite stores it
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_plain(item, column) for item in value]
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", str(key)): _plain(item, column) for key, item in value.items()}
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _tick(text: str | None, last: int) -> int:
    """A clock tick (ms × 2¹⁶ + counter, domain/hlc.py) from an old stamp's wall time, after ``last``."""
    physical = 0
    if text:
        try:
            when = datetime.strptime(text.split("Z", 1)[0], "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
            physical = ((when - _EPOCH) // timedelta(milliseconds=1)) << 16
        except ValueError:
            physical = 0
    return max(last + 1, physical)


def _hlc_text(value: int) -> str:
    when = _EPOCH + timedelta(milliseconds=value >> 16)
    return f"{when:%Y%m%dT%H%M%S}.{when.microsecond // 1000:03d}Z-{value & 0xFFFF:05d}"


def _revision_table() -> sa.Table:
    """Declared, not reflected, so that UUIDs are bound the way the dialect stores them."""
    return sa.Table(
        "revision",
        sa.MetaData(),
        sa.Column("id", BIGINT, primary_key=True),
        *(sa.Column(key, sa.Uuid()) for key in ("origin_device", "record_id", "case_id")),
        *(sa.Column(key, sa.BigInteger()) for key in ("origin_seq", "hlc", "change_id")),
        *(sa.Column(key, sa.Text()) for key in ("table_name", "vv", "data")),
        sa.Column("deleted", sa.Boolean()),
        sa.Column("signature", sa.LargeBinary()),
    )


class _Device:
    """This desk's device and counters, for records that were never stamped."""

    def __init__(self, bind: sa.Connection) -> None:
        state = bind.execute(sa.text("SELECT device_id, last_seq FROM device_state WHERE id = 1")).first()
        self.exists = state is not None
        device = state[0] if state else None
        self.device = uuid.UUID(hex=device) if isinstance(device, str) else device
        self.last_seq = int(state[1]) if state else 0
        self.clock = 0

    def stamp_of(self, record: sa.RowMapping) -> tuple[uuid.UUID, int]:
        origin, seq = record["rev_device"], record["rev_seq"]
        if origin is None or seq is None:  # never stamped: it becomes this device's next revision
            if self.device is None:
                self.device = uuid.uuid4()
            self.last_seq += 1
            return self.device, self.last_seq
        return (uuid.UUID(hex=origin) if isinstance(origin, str) else origin), int(seq)


def _baseline(name: str, table: sa.Table, record: sa.RowMapping, device: _Device) -> tuple[dict, dict]:
    origin, seq = device.stamp_of(record)
    device.clock = _tick(record["rev_hlc"], device.clock)
    data = {c.name: _plain(record[c.name], c) for c in table.columns if c.name not in STAMPS}
    record_id = uuid.UUID(str(data["id"]))
    case = record_id if name == "dispute_case" else data.get("case_id")
    revision = {
        "origin_device": origin,
        "origin_seq": seq,
        "table_name": name,
        "record_id": record_id,
        "vv": _dumps({str(origin): seq}),
        "hlc": device.clock,
        "deleted": False,
        "data": _dumps(data),
        "signature": None,
        "case_id": uuid.UUID(str(case)) if case else None,
        "change_id": None,
    }
    return revision, {"key": record["id"], "d": origin, "s": seq, "h": _hlc_text(device.clock)}


def _baseline_revisions(bind: sa.Connection) -> None:
    device = _Device(bind)
    revision_table = _revision_table()
    for name in SYNCED:
        table = sa.Table(name, sa.MetaData(), autoload_with=bind)
        records = bind.execute(sa.select(table).order_by(table.c.rev_seq, table.c.id)).mappings()
        pairs = [_baseline(name, table, record, device) for record in records]
        if not pairs:
            continue
        bind.execute(sa.insert(revision_table), [revision for revision, _stamp in pairs])
        bind.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("key"))
            .values(rev_device=sa.bindparam("d", type_=sa.Uuid()), rev_seq=sa.bindparam("s"), rev_hlc=sa.bindparam("h")),
            [stamp for _revision, stamp in pairs],
        )
    if device.exists:
        bind.execute(
            sa.text("UPDATE device_state SET hlc = :hlc, last_seq = :seq WHERE id = 1"),
            {"hlc": device.clock, "seq": device.last_seq},
        )
