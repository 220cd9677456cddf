"""The desk's sync bookkeeping (SYNC.md): whom it trusts, what it sent and received, and what is left to settle.

None of these rows travel in sync files; they are this desk's own record of its exchanges:

- ``sync_peer``: the devices this desk pinned (``keys trust``), each with its public key file;
- ``sync_device``: every device whose revisions this desk holds, with the organisation it writes for;
- ``sync_certificate``: the certificates a township issued for the devices it pinned, shipped in its files;
- ``sync_export`` and ``sync_import``: the files written and the files merged (the import log), so that a file
  imported twice is recognised and a receipt can say which export it acknowledges;
- ``sync_receipt``: receipts received (a peer holds what one of this desk's files carried), and
  ``sync_receipt_queue``: receipts owed to peers for their files, sent with the next file to them;
- ``sync_conflict``: records with concurrent leaves (open until a resolution or a local edit joins them);
- ``sync_held``: records whose revisions are in the log but cannot be shown yet (their case, organisation or
  another row they refer to has not arrived), retried after every import;
- ``sync_org_alias``: the ids other desks gave to organisation units, each with its code: an organisation unit is
  the same unit on every desk by its code, whatever id a desk made for it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mediation_desk.store.models import Base
from mediation_desk.store.types import UTCDateTime, utcnow

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


class SyncPeer(Base):
    """A device this desk trusts, pinned after its fingerprint was compared."""

    __tablename__ = "sync_peer"

    device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    org_code: Mapped[str] = mapped_column(sa.String(20), index=True)
    org_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    signing_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), unique=True)
    age_recipient: Mapped[str] = mapped_column(sa.String(100))
    key_file: Mapped[str] = mapped_column(sa.Text)  # the public key file as it was trusted (canonical JSON)
    pinned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncDevice(Base):
    """A device whose revisions this desk holds, as the file that brought them vouched for it (pinned here, or
    certified by ``certified_by``, a pinned township): which organisation may it write for."""

    __tablename__ = "sync_device"

    device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    org_code: Mapped[str] = mapped_column(sa.String(20), index=True)
    org_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    certified_by: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncCertificate(Base):
    """A certificate this desk (a township) issued for a pinned device, as ``certs.json`` carries it."""

    __tablename__ = "sync_certificate"

    subject_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    issued: Mapped[date] = mapped_column(sa.Date)
    body: Mapped[str] = mapped_column(sa.Text)  # canonical JSON of the certificate, signature included


class SyncExport(Base):
    """A file this desk wrote. ``frontier`` is the highest local revision id at that moment: once the peer
    acknowledges the file, it holds everything in its scope up to there."""

    __tablename__ = "sync_export"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, unique=True)
    peer_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    peer_org: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frontier: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    revisions: Mapped[int] = mapped_column(default=0)
    receipts: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncImport(Base):
    """The import log: one row per file merged (a refused file changes nothing, so it leaves no row)."""

    __tablename__ = "sync_import"
    __table_args__ = (sa.Index("ix_sync_import_file", "file_id", "sha256"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    sender_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    sender_org: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(10))
    file_created: Mapped[datetime] = mapped_column(UTCDateTime)  # the sender's wall clock, for display only
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(80), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    messages: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)


class SyncReceipt(Base):
    """A receipt a peer sent: it imported one of this desk's files and holds ``holds`` (per origin device, every
    revision up to that number)."""

    __tablename__ = "sync_receipt"
    __table_args__ = (sa.UniqueConstraint("file_id", "by_device", name="uq_sync_receipt_file_by"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    by_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    by_org: Mapped[str] = mapped_column(sa.String(20))
    imported: Mapped[datetime] = mapped_column(UTCDateTime)
    holds: Mapped[str] = mapped_column(sa.Text)  # canonical JSON {device: seq}
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncReceiptQueue(Base):
    """A receipt owed to a peer for a file imported from it; signed and sent with every file to that peer until
    one of those files is acknowledged."""

    __tablename__ = "sync_receipt_queue"
    __table_args__ = (sa.UniqueConstraint("file_id", "for_device", name="uq_sync_receipt_queue_file_for"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    for_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    for_org: Mapped[str] = mapped_column(sa.String(20))
    imported: Mapped[datetime] = mapped_column(UTCDateTime)
    first_export: Mapped[int | None] = mapped_column(sa.BigInteger)  # sync_export.id of the first file carrying it
    delivered: Mapped[bool] = mapped_column(default=False)


class SyncConflict(Base):
    """A record whose revisions have several leaves. ``leaves`` lists their keys (``DEVICE:SEQ``), the
    provisional winner first; ``closed_by`` is the revision that joined them (a resolution or a local edit)."""

    __tablename__ = "sync_conflict"
    __table_args__ = (sa.Index("ix_sync_conflict_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, index=True)
    label: Mapped[str] = mapped_column(sa.String(10))
    leaves: Mapped[str] = mapped_column(sa.Text)  # canonical JSON list of keys
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_by: Mapped[str | None] = mapped_column(sa.String(80))


class SyncHeld(Base):
    """A record in the log that is not shown yet: ``waiting_for`` names what it needs (``dispute_case:<id>``,
    ``org:<id>`` …)."""

    __tablename__ = "sync_held"

    table_name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    waiting_for: Mapped[str] = mapped_column(sa.String(100))
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncOrgAlias(Base):
    """An organisation unit's id on another desk, and its code (the unit's identity on every desk)."""

    __tablename__ = "sync_org_alias"

    foreign_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), index=True)


SYNC_TABLES = (
    SyncPeer,
    SyncDevice,
    SyncCertificate,
    SyncExport,
    SyncImport,
    SyncReceipt,
    SyncReceiptQueue,
    SyncConflict,
    SyncHeld,
    SyncOrgAlias,
)
