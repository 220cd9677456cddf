"""``sync export --to ORG_CODE -o FILE [--full]``: a sync file for one pinned peer (SYNC.md "Export").

**Scope.** Up the tree (a village to its township, a township to the county) a file carries the records of this
desk's own subtree; down the tree (a township to a village, the county to a township) only the records of the
recipient's subtree, so a village's file holds that village's records and nothing of its neighbours'. Units of
the organisation tree travel with the records: those in scope and the units above them.

**Incremental.** A file carries what the recipient has not acknowledged: revisions added to the log after the
last file of this desk it acknowledged by a receipt (each export remembers how far the log went), and none that
its receipts say it holds (per origin device, every revision up to a number) or that it made itself. Until a
receipt comes back, files overlap, which is harmless; ``--full`` carries everything in scope. A file with
nothing new is still a valid file (the "零上报" of a quiet month).

**Signatures.** This desk's own revisions are signed here, lazily, and the signatures kept in the log in the same
transaction; revisions from elsewhere travel with their original signatures. A township adds the certificates
it issued; every file carries the receipts owed to the recipient. The file is written atomically
(``sync.fileformat``).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import canonical
from mediation_desk.domain import hlc as clock
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import trust
from mediation_desk.services.sync.common import SyncDesk, open_sync, schema_version
from mediation_desk.services.sync.orgs import OrgIndex, Owners
from mediation_desk.services.sync.trust import PeerInfo, rank
from mediation_desk.store import revisions
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.queries.sync import ORG_TABLE, Entry, LogRow
from mediation_desk.store.sync_models import SyncExport, SyncPeer, SyncReceipt, SyncReceiptQueue
from mediation_desk.sync.fileformat import Outgoing, WrittenFile, write_sync_file
from mediation_desk.sync.keys import REVISION_DOMAIN, DeviceKey
from mediation_desk.sync.lines import SignedRevision, from_stored
from mediation_desk.sync.trust import Certificate, Receipt, sign_receipt


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    file_id: uuid.UUID
    peer: PeerInfo
    kind: str
    revisions: int
    tables: dict[str, int]
    certificates: int
    receipts: int
    unsigned: int  # own revisions whose key is gone: left out
    size: int
    sha256: str
    scope: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "file_id": str(self.file_id),
            "to": {"org": self.peer.org, "name": self.peer.org_name, "device": str(self.peer.device)},
            "kind": self.kind,
            "revisions": self.revisions,
            "tables": self.tables,
            "certificates": self.certificates,
            "receipts": self.receipts,
            "unsigned": self.unsigned,
            "size": self.size,
            "sha256": self.sha256,
            "scope": list(self.scope),
        }


def _peer(session: Session, code: str) -> DeviceKey:
    rows = list(session.scalars(sa.select(SyncPeer).where(SyncPeer.org_code == code).order_by(SyncPeer.pinned_at)))
    if not rows:
        raise NotFound(
            f"本工作台还没有信任组织 {code} 的公钥；请先取得对方的公钥文件（keys export），核对指纹后用 keys trust 导入"
        )
    row = rows[-1]  # the device pinned last: a replaced laptop's new key
    return DeviceKey(row.org_code, row.org_name, row.device, row.role, row.signing_key, row.age_recipient)


def _scope(sync: SyncDesk, peer: DeviceKey, index: OrgIndex) -> tuple[set[str], set[str]]:
    """The organisations whose records go to ``peer``, and the units that travel (those and the ones above)."""
    own = sync.keys.key
    if rank(peer.role) > rank(own.role):
        orgs = index.subtree(own.org)
    elif rank(peer.role) < rank(own.role):
        orgs = index.subtree(peer.org)
    else:
        raise ValidationError(f"{peer.org_name}与本工作台同级；同步文件只在上下级之间交换")
    units = set(orgs)
    for code in orgs:
        units.update(index.ancestors(code))
    return orgs, units


def _acknowledged(session: Session, peer: uuid.UUID) -> tuple[int, dict[str, int]]:
    """How far the peer acknowledged this desk's log, and what its receipts say it holds."""
    frontier = session.scalar(
        sa.select(sa.func.max(SyncExport.frontier)).where(
            SyncExport.peer_device == peer, SyncExport.acknowledged_at.is_not(None)
        )
    )
    holds: dict[str, int] = {}
    for text in session.scalars(sa.select(SyncReceipt.holds).where(SyncReceipt.by_device == peer)):
        for device, seq in json.loads(text).items():
            holds[device] = max(holds.get(device, 0), int(seq))
    return int(frontier or 0), holds


def _readable(sync: SyncDesk, peer: DeviceKey) -> Callable[[uuid.UUID], bool]:
    """Whose revisions the peer can verify: up the tree, everyone's (a township certifies its committees); down,
    none of another committee's (the revisions of its units are not the recipient's business)."""
    if rank(peer.role) > rank(sync.keys.key.role):
        return lambda _device: True
    writers = sync.writers()

    def readable(device: uuid.UUID) -> bool:
        writer = writers.get(device)
        return writer is not None and (writer.org == peer.org or rank(writer.role) > 1)

    return readable


def _chosen(sync: SyncDesk, peer: DeviceKey, index: OrgIndex, full: bool) -> tuple[list[Entry], set[str]]:
    """The revisions in scope that the peer has not acknowledged, parents' tables first."""
    session = sync.session
    orgs, units = _scope(sync, peer, index)
    frontier, holds = (0, {}) if full else _acknowledged(session, peer.device)
    readable = _readable(sync, peer)
    entries = [
        entry
        for entry in queries.entries_after(session, frontier)
        if readable(entry.origin_device)
        and (full or (entry.origin_device != peer.device and entry.origin_seq > holds.get(str(entry.origin_device), 0)))
    ]
    owners = Owners(session, index)
    by_table: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        by_table.setdefault(entry.table_name, set()).add(entry.record_id)
    owners.prime("dispute_case", {entry.case_id for entry in entries if entry.case_id is not None})
    for table, records in by_table.items():
        owners.prime(table, records)
    order = {table: number for number, table in enumerate(queries.synced_tables())}
    chosen = []
    for entry in entries:
        if entry.table_name not in order:
            continue
        if entry.table_name == ORG_TABLE:
            code = index.code_of(entry.record_id)
            wanted = code is not None and code in units
        else:
            code = owners.org_of(entry.table_name, entry.record_id, {}, entry.case_id)
            wanted = code is not None and code in orgs
        if wanted:
            chosen.append(entry)
    chosen.sort(key=lambda entry: (order[entry.table_name], entry.id))
    return chosen, orgs


class _Signed:
    """The chosen revisions read in chunks, this desk's own signed on the way (signatures kept in the log)."""

    def __init__(self, sync: SyncDesk, chosen: list[Entry]) -> None:
        self.sync = sync
        self.chosen = chosen
        self.unsigned = 0
        self.tables: dict[str, int] = {}

    def __iter__(self) -> Iterator[SignedRevision]:
        for chunk in queries.chunks([entry.id for entry in self.chosen]):
            rows = {row.id: row for row in queries.revisions_by_id(self.sync.session, chunk)}
            signed: list[tuple[int, bytes]] = []
            for number in chunk:
                revision = self._revision(rows[number], signed)
                if revision is not None:
                    self.tables[revision.table] = self.tables.get(revision.table, 0) + 1
                    yield revision
            queries.store_signatures(self.sync.session, signed)

    def _revision(self, row: LogRow, signed: list[tuple[int, bytes]]) -> SignedRevision | None:
        revision = from_stored(
            origin_device=row.origin_device,
            origin_seq=row.origin_seq,
            table=row.table_name,
            record_id=row.record_id,
            vv_text=row.vv,
            hlc=row.hlc,
            deleted=row.deleted,
            data_text=row.data,
            signature=row.signature or b"",
        )
        if row.signature is not None:
            return revision
        signer = self.sync.keys.signer_for(row.origin_device)
        if signer is None:
            self.unsigned += 1
            return None
        signature = signer.sign(REVISION_DOMAIN, canonical.canonical_bytes(revision.body()))
        signed.append((row.id, signature))
        return dataclasses.replace(revision, signature=signature)


def _certificates(sync: SyncDesk, peer: DeviceKey) -> list[Certificate]:
    """A township's certificates that the recipient needs: for the county, those of the committees below; for a
    committee, the county's (whose resolutions the township relays)."""
    if sync.keys.key.role != "township":
        return []
    own = rank(sync.keys.key.role)
    going_up = rank(peer.role) > own
    return [
        cert
        for cert in trust.certificates(sync.session)
        if cert.subject.device != peer.device
        and (rank(cert.subject.role) < own if going_up else rank(cert.subject.role) > own)
    ]


def _receipts(sync: SyncDesk, peer: DeviceKey) -> tuple[list[Receipt], list[SyncReceiptQueue]]:
    queued = list(
        sync.session.scalars(
            sa.select(SyncReceiptQueue)
            .where(SyncReceiptQueue.for_device == peer.device, SyncReceiptQueue.delivered.is_(False))
            .order_by(SyncReceiptQueue.id)
        )
    )
    if not queued:
        return [], []
    holds = queries.watermarks(sync.session)
    own = sync.keys.key
    receipts = [
        sign_receipt(
            Receipt(
                item.file_id, item.file_sha256, own.org, own.device, item.for_org, item.for_device, item.imported, holds
            ),
            sync.keys.signer,
        )
        for item in queued
    ]
    return receipts, queued


def _remember(
    sync: SyncDesk, written: WrittenFile, peer: DeviceKey, frontier: int, queued: list[SyncReceiptQueue]
) -> None:
    """The export's row (how far the log went, for the receipt that will acknowledge it); the receipts it carried
    are marked as sent."""
    export = SyncExport(
        file_id=written.file_id,
        peer_device=peer.device,
        peer_org=peer.org,
        kind=written.manifest.kind,
        created_at=sync.now,
        frontier=frontier,
        revisions=written.manifest.counts.revisions,
        receipts=len(queued),
        sha256=written.sha256,
    )
    sync.session.add(export)
    sync.session.flush()
    for item in queued:
        if item.first_export is None:
            item.first_export = export.id


def export_file(desk: Desk, to_org: str, target: Path, *, full: bool = False) -> ExportSummary:
    """Write the sync file for the peer of organisation ``to_org`` to ``target`` (replaced whole)."""
    if target.is_dir():
        raise ValidationError(f"{target} 是文件夹；请给出要写入的文件名")
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹 {target.parent} 不存在")
    with desk.write("sync.export", Permission.SYNC_EXPORT) as work:
        session = work.session
        sync = open_sync(session)
        peer = _peer(session, to_org.strip())
        frontier = queries.last_revision_id(session)
        chosen, orgs = _chosen(sync, peer, OrgIndex.load(session), full)
        stream = _Signed(sync, chosen)
        certificates = _certificates(sync, peer)
        receipts, queued = _receipts(sync, peer)
        state = revisions.device_state(session)
        state.hlc = clock.tick(state.hlc or 0, sync.now)
        kind = "full" if full else "incremental"
        written = write_sync_file(
            target,
            Outgoing(sync.keys.key, sync.keys.signer, peer),
            stream,
            schema_version=schema_version(),
            created_hlc=state.hlc,
            kind=kind,
            scope=sorted(orgs),
            certificates=certificates,
            receipts=receipts,
            now=sync.now,
        )
        _remember(sync, written, peer, frontier, queued)
        work.changed("sync_export")
    return ExportSummary(
        written.path,
        written.file_id,
        PeerInfo.of(peer),
        kind,
        written.manifest.counts.revisions,
        dict(stream.tables),
        len(certificates),
        len(receipts),
        stream.unsigned,
        written.size,
        written.sha256,
        tuple(sorted(orgs)),
    )
