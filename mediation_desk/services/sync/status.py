"""``sync status``: the state of every peer (a township's villages, the county's townships, a village's township).

Per peer: the last file merged from it (when it was imported, and the date the sender wrote it), how many files
came, the sequence gaps in the logs this desk should hold whole (the peer's own, and for a township at the county
the logs of the villages it certified), its open conflicts, and whether it sent nothing this month (a village's
"零上报" is a file too, so silence means no report). The last file this desk sent it, and whether a receipt came
back, complete the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import identity, trust
from mediation_desk.services.sync.orgs import OrgIndex, Owners
from mediation_desk.services.sync.trust import PeerInfo, rank
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.sync_models import SyncConflict, SyncDevice, SyncExport, SyncHeld, SyncImport
from mediation_desk.sync.gaps import Gap, gaps


@dataclass
class PeerStatus:
    peer: PeerInfo
    files: int = 0
    last_imported: datetime | None = None
    last_written: datetime | None = None  # the sender's own clock, for display
    last_status: str | None = None
    gaps: list[Gap] = field(default_factory=list)
    conflicts: int = 0
    silent_this_month: bool = False
    last_export: datetime | None = None
    last_export_acknowledged: bool = False

    def to_json(self) -> dict[str, Any]:
        peer = self.peer
        return {
            "org": peer.org,
            "org_name": peer.org_name,
            "role": peer.role,
            "device": str(peer.device),
            "files": self.files,
            "last_imported": self.last_imported.isoformat() if self.last_imported else None,
            "last_written": self.last_written.isoformat() if self.last_written else None,
            "last_status": self.last_status,
            "gaps": [{"device": gap.device, "first": gap.first, "last": gap.last} for gap in self.gaps],
            "gap_revisions": sum(gap.count for gap in self.gaps),
            "open_conflicts": self.conflicts,
            "silent_this_month": self.silent_this_month,
            "last_export": self.last_export.isoformat() if self.last_export else None,
            "last_export_acknowledged": self.last_export_acknowledged,
        }


@dataclass
class SyncStatus:
    org: str
    org_name: str
    month: str
    peers: list[PeerStatus]
    open_conflicts: int
    held: int

    @property
    def silent(self) -> list[PeerStatus]:
        return [status for status in self.peers if status.silent_this_month]

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "org_name": self.org_name,
            "month": self.month,
            "open_conflicts": self.open_conflicts,
            "held_records": self.held,
            "silent_this_month": [status.peer.org for status in self.silent],
            "peers": [status.to_json() for status in self.peers],
        }


def _imports(session: Session, status: PeerStatus, month_start: datetime) -> None:
    query = (
        sa.select(SyncImport.imported_at, SyncImport.file_created, SyncImport.status)
        .where(SyncImport.sender_device == status.peer.device)
        .order_by(SyncImport.imported_at)
    )
    rows = list(session.execute(query))
    status.files = len(rows)
    if rows:
        status.last_imported, status.last_written, status.last_status = rows[-1]
    status.silent_this_month = status.last_imported is None or status.last_imported < month_start


def _exports(session: Session, status: PeerStatus) -> None:
    last = session.scalars(
        sa.select(SyncExport)
        .where(SyncExport.peer_device == status.peer.device)
        .order_by(SyncExport.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        status.last_export = last.created_at
        status.last_export_acknowledged = last.acknowledged_at is not None


def _gaps(session: Session, status: PeerStatus) -> None:
    """Gaps in the logs this desk should hold whole for the peer: its own, and the devices it certified."""
    devices = {status.peer.device}
    devices |= set(session.scalars(sa.select(SyncDevice.device).where(SyncDevice.certified_by == status.peer.device)))
    for device in sorted(devices, key=str):
        status.gaps.extend(gaps((str(device), seq) for seq in queries.seqs_of(session, device)))


def _conflicts(session: Session, index: OrgIndex) -> dict[str, int]:
    """Open conflicts per organisation code."""
    owners = Owners(session, index)
    counts: dict[str, int] = {}
    for table, record in session.execute(
        sa.select(SyncConflict.table_name, SyncConflict.record_id).where(SyncConflict.closed_at.is_(None))
    ):
        code = owners.record_org(table, record) or ""
        counts[code] = counts.get(code, 0) + 1
    return counts


def sync_status(desk: Desk, today: date | None = None) -> SyncStatus:
    """The state of every pinned peer (peers below first)."""
    today = today or datetime.now(UTC).astimezone().date()
    month_start = datetime(today.year, today.month, 1).astimezone(UTC)
    with desk.read() as session:
        org = identity.own_org(session)
        index = OrgIndex.load(session)
        by_org = _conflicts(session, index)
        statuses = []
        for peer in sorted(trust.peers(session), key=lambda item: (-rank(org.level.value) + rank(item.role), item.org)):
            status = PeerStatus(peer)
            _imports(session, status, month_start)
            _exports(session, status)
            if rank(peer.role) < rank(org.level.value):
                _gaps(session, status)
                status.conflicts = sum(count for code, count in by_org.items() if code and index.within(code, peer.org))
            else:
                status.silent_this_month = False  # a desk above sends when it has something
            statuses.append(status)
        held = int(session.scalar(sa.select(sa.func.count()).select_from(SyncHeld)) or 0)
        return SyncStatus(org.code, org.name, f"{today:%Y-%m}", statuses, sum(by_org.values()), held)


__all__ = ["PeerStatus", "SyncStatus", "sync_status"]
