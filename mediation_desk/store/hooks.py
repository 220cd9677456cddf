"""Flush hooks: every change of a synced record is stamped with a revision and written to the audit trail.

Doing this in ``before_flush`` rather than in each service means no write path can forget either: a service
sets who is acting (``session.info["actor"]``) and what it is doing (``session.info["operation"]``), and the
hook records the rest in the same transaction as the change. Audit rows are gathered before the flush and
written after it with one Core ``executemany`` (as ORM objects they cost as much as the change itself).
"""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from mediation_desk.store.models import AuditEvent, DeviceState, DisputeCase, Synced

_PENDING = "audit_rows_pending"
_SKIPPED = frozenset({"created_at", "updated_at", "rev_device", "rev_seq", "rev_hlc"})


_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # most values: answered before the isinstance chain
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_COLUMNS: dict[type, tuple[str, ...]] = {}


def _columns(obj: Synced) -> tuple[str, ...]:
    kind = type(obj)
    columns = _COLUMNS.get(kind)
    if columns is None:
        columns = tuple(attr.key for attr in inspect(kind).column_attrs if attr.key not in _SKIPPED)
        _COLUMNS[kind] = columns
    return columns


def _case_id(obj: Synced) -> uuid.UUID | None:
    if isinstance(obj, DisputeCase):
        return obj.id
    value = getattr(obj, "case_id", None)
    return value if isinstance(value, uuid.UUID) else None


def device_state(session: Session) -> DeviceState:
    """This desk's device row, made on first use."""
    with session.no_autoflush:
        state = session.get(DeviceState, 1)
        if state is None:
            state = DeviceState(id=1, device_id=uuid.uuid4(), last_seq=0)
            session.add(state)
    return state


def _hlc(now: datetime, seq: int) -> str:
    return f"{_clock(now)}Z-{seq:010d}"


@functools.lru_cache(maxsize=4)
def _clock(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S.%f")


def next_revision(state: DeviceState, now: datetime) -> tuple[uuid.UUID, int, str]:
    """The next revision of this device: (device, sequence number, clock), never reused."""
    state.last_seq += 1
    return state.device_id, state.last_seq, _hlc(now, state.last_seq)


def actor_and_operation(session: Session) -> tuple[str, str]:
    return str(session.info.get("actor", "system")), str(session.info.get("operation", ""))


def insert_audit_row(
    actor: str, operation: str, table: str, values: dict[str, Any], case_id: uuid.UUID | None, now: datetime
) -> dict[str, Any]:
    """The audit row of an insert: the values given, as the ORM path records them (defaults are not given)."""
    fields = {key: [None, _plain(value)] for key, value in values.items() if key not in _SKIPPED and value is not None}
    return {
        "at": now,
        "actor": actor,
        "action": "insert",
        "table_name": table,
        "record_id": str(values["id"]),
        "case_id": case_id,
        "operation": operation,
        "changes": fields,
    }


def write_audit_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(sa.insert(AuditEvent), rows)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    session.info.pop(_PENDING, None)  # rows of a flush that failed part-way were rolled back with it
    created = [obj for obj in session.new if isinstance(obj, Synced)]
    changed = [obj for obj in session.dirty if isinstance(obj, Synced) and session.is_modified(obj)]
    deleted = [obj for obj in session.deleted if isinstance(obj, Synced)]
    if not (created or changed or deleted):
        return
    actor, operation = actor_and_operation(session)
    state = device_state(session)
    now = datetime.now(UTC)
    for obj in (*created, *changed):
        if obj.id is None:
            obj.id = uuid.uuid4()
        obj.rev_device, obj.rev_seq, obj.rev_hlc = next_revision(state, now)
    rows: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    for obj in created:
        values = inspect(obj).dict
        fields = {key: [None, _plain(values[key])] for key in _columns(obj) if values.get(key) is not None}
        rows.append(_audit_row(actor, operation, "insert", obj, fields, now))
    for obj in changed:
        fields = {}
        insp = inspect(obj)
        for key in _columns(obj):
            history = insp.attrs[key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                fields[key] = [_plain(old), _plain(new)]
        if fields:
            rows.append(_audit_row(actor, operation, "update", obj, fields, now))
    for obj in deleted:
        rows.append(_audit_row(actor, operation, "delete", obj, {}, now))


def _audit_row(
    actor: str, operation: str, action: str, obj: Synced, fields: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "table_name": getattr(obj, "__tablename__", type(obj).__name__),
        "record_id": str(obj.id),
        "case_id": _case_id(obj),
        "operation": operation,
        "changes": fields,
    }


def _after_flush(session: Session, _context: Any) -> None:
    """Write the audit rows of this flush in one executemany, inside the same transaction."""
    write_audit_rows(session, session.info.pop(_PENDING, None) or [])


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)


def audit_count(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0)
