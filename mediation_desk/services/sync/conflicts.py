"""``sync conflicts`` and ``sync resolve``: the records that desks changed concurrently, and settling them.

A conflict is listed with its label (soft, hard, delete), its leaves (who made each, when by its clock) and the
fields that differ, each leaf's value beside the common ancestor's (identity and phone numbers masked). A
resolution takes one leaf whole (``--take DEVICE:SEQ``) or a leaf per field (``--field NAME=DEVICE:SEQ``): it is a
new revision of this desk whose version vector joins all the leaves (``sync.resolve``), so it dominates them on
every desk it reaches; it is written into the live table at once, closes the conflict, and travels in the next
export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import canonical
from mediation_desk.domain import hlc as clock
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import apply, identity, trust
from mediation_desk.services.sync.common import open_sync
from mediation_desk.services.sync.orgs import OrgIndex, Owners
from mediation_desk.services.sync.report import table_name
from mediation_desk.store import revisions
from mediation_desk.store.models import DisputeCase
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.sync_models import SyncConflict
from mediation_desk.sync.merge import Label, RecordState, RevisionKey, analyse
from mediation_desk.sync.resolve import Choice, differences, resolve

_MASKED = {"id_number": mask_id_number, "phone": mask_phone, "agent_phone": mask_phone}


def _shown(name: str, value: JSONValue) -> JSONValue:
    mask = _MASKED.get(name)
    return mask(value) if mask is not None and isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class Leaf:
    key: str
    org: str  # who made it: "某某村（331122001001）"
    clock: str  # its clock reading, for display only
    deleted: bool
    winner: bool


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    base: JSONValue
    values: dict[str, JSONValue]  # leaf key → value
    hard: bool


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: int
    table: str
    record_id: uuid.UUID
    case_number: str | None
    label: str
    leaves: tuple[Leaf, ...]
    fields: tuple[Field, ...]
    case_id: uuid.UUID | None = None  # the case the record belongs to (the GUI opens it)

    @property
    def label_text(self) -> str:
        return Label(self.label).text

    @property
    def table_text(self) -> str:
        return table_name(self.table)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "table": self.table,
            "record_id": str(self.record_id),
            "case_number": self.case_number,
            "label": self.label,
            "label_text": self.label_text,
            "leaves": [
                {
                    "revision": leaf.key,
                    "by": leaf.org,
                    "clock": leaf.clock,
                    "deleted": leaf.deleted,
                    "winner": leaf.winner,
                }
                for leaf in self.leaves
            ],
            "fields": [
                {"name": item.name, "base": item.base, "values": item.values, "hard": item.hard} for item in self.fields
            ],
        }


def _state(session: Session, table: str, record: uuid.UUID, index: OrgIndex) -> RecordState:
    logged = queries.revisions_of_records(session, table, [record])
    return analyse(apply.merge_revision(row, index) for row in logged)


def _view(
    session: Session, labels: dict[str, str], row: SyncConflict, state: RecordState, writers: dict[uuid.UUID, Any]
) -> ConflictView:
    def who(device: str) -> str:
        writer = writers.get(uuid.UUID(device))
        return labels.get(writer.org, writer.org) if writer is not None else device

    leaves = tuple(
        Leaf(str(leaf.key), who(leaf.origin_device), clock.text(leaf.hlc), leaf.deleted, number == 0)
        for number, leaf in enumerate(state.leaves)
    )
    fields = tuple(
        Field(
            item.name,
            _shown(item.name, item.base),
            {str(key): _shown(item.name, value) for key, value in item.values.items()},
            item.hard,
        )
        for item in differences(state)
    )
    number = None
    if row.case_id is not None:
        number = session.scalar(sa.select(DisputeCase.number).where(DisputeCase.id == row.case_id))
    return ConflictView(row.id, row.table_name, row.record_id, number, state.label.value, leaves, fields, row.case_id)


def list_conflicts(desk: Desk) -> list[ConflictView]:
    """The open conflicts, oldest first, field by field."""
    with desk.read() as session:
        org = identity.own_org(session)
        labels = trust.org_label(session)
        index = OrgIndex.load(session)
        writers = trust.writers(session, identity.own_devices(session), org.code, org.level.value)
        rows = session.scalars(
            sa.select(SyncConflict).where(SyncConflict.closed_at.is_(None)).order_by(SyncConflict.id)
        )
        return [
            _view(session, labels, row, _state(session, row.table_name, row.record_id, index), writers) for row in rows
        ]


def _choice(take: str | None, fields: dict[str, str]) -> Choice:
    if take is not None and fields:
        raise ValidationError("--take 与 --field 只能用一种：整条采用某一方，或逐字段选择")
    if take is None and not fields:
        raise ValidationError("请用 --take 修订编号 整条采用某一方，或用 --field 字段=修订编号 逐字段选择")
    if take is not None:
        return Choice(take=RevisionKey.parse(take))
    return Choice(fields={name: RevisionKey.parse(key) for name, key in fields.items()})


def _with_bookkeeping(data: Any, deleted: bool, now: datetime) -> str:
    """The resolution's row, stamped as changed now (the merge leaves ``updated_at`` out of its comparison)."""
    if deleted:
        return "{}"
    return canonical.dumps({**dict(data), "updated_at": canonical.datetime_text(now)})


@dataclass(frozen=True, slots=True)
class Resolved:
    conflict_id: int
    table: str
    record_id: uuid.UUID
    revision: str  # the resolution's key
    deleted: bool


def resolve_conflict(
    desk: Desk, conflict_id: int, *, take: str | None = None, fields: dict[str, str] | None = None
) -> Resolved:
    """Settle an open conflict with a new revision that joins all its leaves; written and closed at once."""
    choice = _choice(take, dict(fields or {}))
    with desk.write("sync.resolve", Permission.RESOLVE_CONFLICTS) as work:
        session = work.session
        row = session.get(SyncConflict, conflict_id)
        if row is None or row.closed_at is not None:
            raise NotFound(f"没有编号为 {conflict_id} 的未解决冲突；用 sync conflicts 查看")
        sync = open_sync(session)
        index = OrgIndex.load(session)
        state = _state(session, row.table_name, row.record_id, index)
        [stamp] = revisions.stamp(session, 1, sync.now)
        resolution = resolve(state, choice, device=str(stamp.device), seq=stamp.seq, hlc=stamp.hlc)
        queries.insert_revisions(
            session,
            [
                {
                    "origin_device": stamp.device,
                    "origin_seq": stamp.seq,
                    "table_name": row.table_name,
                    "record_id": row.record_id,
                    "vv": canonical.dumps(dict(resolution.vv)),
                    "hlc": stamp.hlc,
                    "deleted": resolution.deleted,
                    "data": _with_bookkeeping(resolution.data, resolution.deleted, sync.now),
                    "signature": None,
                    "case_id": row.case_id,
                    "change_id": revisions.change_set(session, sync.now),
                }
            ],
        )
        writers = sync.writers()
        context = apply.Context(index, Owners(session, index), writers, sync.keys.devices, sync.labels, sync.now)
        apply.settle(session, {row.table_name: {row.record_id}}, set(), context)
        work.changed(row.table_name, "sync_conflict")
        return Resolved(conflict_id, row.table_name, row.record_id, str(resolution.key), resolution.deleted)
