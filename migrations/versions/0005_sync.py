"""sync bookkeeping (SYNC.md): pinned peers, certificates, files written and merged, receipts, conflicts

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-20 12:00:00

New tables only, none of which travel in sync files:
- ``sync_peer`` (devices pinned with ``keys trust``), ``sync_device`` (every device whose revisions the desk holds,
  with the organisation it writes for) and ``sync_certificate`` (certificates a township issued);
- ``sync_export`` (files written, with the log position they covered) and ``sync_import`` (the import log);
- ``sync_receipt`` (receipts received) and ``sync_receipt_queue`` (receipts owed to peers);
- ``sync_conflict`` (records with concurrent leaves), ``sync_held`` (records waiting for their case or another
  row) and ``sync_org_alias`` (other desks' ids of organisation units, with their codes).
The signing keys and age identities live in the keyring, never here; their fingerprints go into ``setting`` when
they are made. Frozen: plain column types, never the application's classes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    _trust()
    _files()
    _receipts()
    _merge()


def downgrade() -> None:
    raise NotImplementedError("the program never migrates a database down; restore a backup instead")


def _trust() -> None:
    op.create_table(
        "sync_peer",
        sa.Column("device", sa.Uuid(), nullable=False),
        sa.Column("org_code", sa.String(length=20), nullable=False),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("age_recipient", sa.String(length=100), nullable=False),
        sa.Column("key_file", sa.Text(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device", name=op.f("pk_sync_peer")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_sync_peer_fingerprint")),
    )
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_peer_org_code"), ["org_code"], unique=False)
    op.create_table(
        "sync_device",
        sa.Column("device", sa.Uuid(), nullable=False),
        sa.Column("org_code", sa.String(length=20), nullable=False),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("certified_by", sa.Uuid(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device", name=op.f("pk_sync_device")),
    )
    with op.batch_alter_table("sync_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_device_org_code"), ["org_code"], unique=False)
    op.create_table(
        "sync_certificate",
        sa.Column("subject_device", sa.Uuid(), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("subject_device", name=op.f("pk_sync_certificate")),
    )


def _files() -> None:
    op.create_table(
        "sync_export",
        sa.Column("id", _ID, nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("peer_device", sa.Uuid(), nullable=False),
        sa.Column("peer_org", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("frontier", sa.BigInteger(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_export")),
        sa.UniqueConstraint("file_id", name=op.f("uq_sync_export_file_id")),
    )
    with op.batch_alter_table("sync_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_export_peer_device"), ["peer_device"], unique=False)
    op.create_table(
        "sync_import",
        sa.Column("id", _ID, nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sender_device", sa.Uuid(), nullable=False),
        sa.Column("sender_org", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("file_created", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_import")),
    )
    with op.batch_alter_table("sync_import", schema=None) as batch_op:
        batch_op.create_index("ix_sync_import_file", ["file_id", "sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_import_sender_device"), ["sender_device"], unique=False)


def _receipts() -> None:
    op.create_table(
        "sync_receipt",
        sa.Column("id", _ID, nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("by_device", sa.Uuid(), nullable=False),
        sa.Column("by_org", sa.String(length=20), nullable=False),
        sa.Column("imported", sa.DateTime(), nullable=False),
        sa.Column("holds", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_receipt")),
        sa.UniqueConstraint("file_id", "by_device", name="uq_sync_receipt_file_by"),
    )
    with op.batch_alter_table("sync_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_receipt_by_device"), ["by_device"], unique=False)
    op.create_table(
        "sync_receipt_queue",
        sa.Column("id", _ID, nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("for_device", sa.Uuid(), nullable=False),
        sa.Column("for_org", sa.String(length=20), nullable=False),
        sa.Column("imported", sa.DateTime(), nullable=False),
        sa.Column("first_export", sa.BigInteger(), nullable=True),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_receipt_queue")),
        sa.UniqueConstraint("file_id", "for_device", name="uq_sync_receipt_queue_file_for"),
    )
    with op.batch_alter_table("sync_receipt_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_receipt_queue_for_device"), ["for_device"], unique=False)


def _merge() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("id", _ID, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.Column("leaves", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index("ix_sync_conflict_record", ["table_name", "record_id"], unique=False)
    op.create_table(
        "sync_held",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("waiting_for", sa.String(length=100), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "record_id", name=op.f("pk_sync_held")),
    )
    op.create_table(
        "sync_org_alias",
        sa.Column("foreign_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("foreign_id", name=op.f("pk_sync_org_alias")),
    )
    with op.batch_alter_table("sync_org_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_org_alias_code"), ["code"], unique=False)
