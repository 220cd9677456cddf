"""Flush hooks: every change of a synced record is stamped with a revision and written to the audit trail.

Doing this in ``before_flush`` rather than in each service means no write path can forget either: a service
sets who is acting (``session.info["actor"]``) and what it is doing (``session.info["operation"]``), and the
hook records the rest in the same transaction as the change.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from mediation_desk.store.models import AuditEvent, DeviceState, DisputeCase, Synced

_SKIPPED = frozenset({"created_at", "updated_at", "rev_device", "rev_seq", "rev_hlc"})


def _plain(value: Any) -> Any:
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


def _columns(obj: Synced) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in _SKIPPED]


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
    return f"{now.strftime('%Y%m%dT%H%M%S.%f')}Z-{seq:010d}"


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    created = [obj for obj in session.new if isinstance(obj, Synced)]
    changed = [obj for obj in session.dirty if isinstance(obj, Synced) and session.is_modified(obj)]
    deleted = [obj for obj in session.deleted if isinstance(obj, Synced)]
    if not (created or changed or deleted):
        return
    actor = str(session.info.get("actor", "system"))
    operation = str(session.info.get("operation", ""))
    state = device_state(session)
    now = datetime.now(UTC)
    for obj in (*created, *changed):
        if obj.id is None:
            obj.id = uuid.uuid4()
        state.last_seq += 1
        obj.rev_device = state.device_id
        obj.rev_seq = state.last_seq
        obj.rev_hlc = _hlc(now, state.last_seq)
    events: list[AuditEvent] = []
    for obj in created:
        fields = {key: [None, _plain(getattr(obj, key))] for key in _columns(obj) if getattr(obj, key) is not None}
        events.append(_event(actor, operation, "insert", obj, fields, now))
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
            events.append(_event(actor, operation, "update", obj, fields, now))
    for obj in deleted:
        events.append(_event(actor, operation, "delete", obj, {}, now))
    session.add_all(events)


def _event(actor: str, operation: str, action: str, obj: Synced, fields: dict[str, Any], now: datetime) -> AuditEvent:
    table = getattr(obj, "__tablename__", type(obj).__name__)
    return AuditEvent(
        at=now,
        actor=actor,
        action=action,
        table_name=table,
        record_id=str(obj.id),
        case_id=_case_id(obj),
        operation=operation,
        changes=fields,
    )


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)


def audit_count(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0)
