"""Flush hooks: every change of a synced record made through the ORM appends its revision to the log.

Doing this in the session's flush rather than in each service means no write path can forget it: a service
sets who is acting (``session.info["actor"]``) and what it is doing (``session.info["operation"]``), and the
hooks record the rest in the same transaction as the change, through ``store.revisions`` (the same path the
bulk writer takes). ``before_flush`` stamps each changed object with this device's next revision, so the stamp
is written with the row; ``after_flush`` reads the rows as written (defaults filled in) and appends their
revisions with one ``executemany``.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from mediation_desk.store import revisions
from mediation_desk.store.models import AuditEvent, Revision, Synced
from mediation_desk.store.types import utcnow

_PENDING = "revisions_pending"


def _columns(obj: Synced) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs]


def _table(obj: Synced) -> str:
    return str(obj.__tablename__)  # type: ignore[attr-defined]


def _previous(obj: Synced) -> tuple[uuid.UUID, int] | None:
    """The revision an existing object had before this flush (its committed stamp)."""
    state = inspect(obj)
    device = state.attrs.rev_device.history
    seq = state.attrs.rev_seq.history
    old_device = device.deleted[0] if device.deleted else (device.unchanged[0] if device.unchanged else None)
    old_seq = seq.deleted[0] if seq.deleted else (seq.unchanged[0] if seq.unchanged else None)
    if old_device is None or old_seq is None:
        return None
    return old_device, old_seq


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    created = [obj for obj in session.new if isinstance(obj, Synced)]
    changed = [
        obj for obj in session.dirty if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False)
    ]
    deleted = [obj for obj in session.deleted if isinstance(obj, Synced)]
    if not (created or changed or deleted):
        return
    pending: list[tuple[Synced, revisions.Change]] = []
    now = utcnow()  # set here, not by the columns' defaults, so the row and its revision hold the same instant
    for obj in created:
        if obj.id is None:
            obj.id = uuid.uuid4()
        if obj.created_at is None:
            obj.created_at = now
        if obj.updated_at is None:
            obj.updated_at = obj.created_at
        pending.append((obj, revisions.Change(_table(obj), obj.id, {})))
    for obj in changed:
        obj.updated_at = now
        pending.append((obj, revisions.Change(_table(obj), obj.id, {}, _previous(obj))))
    for obj in deleted:
        pending.append((obj, revisions.Change(_table(obj), obj.id, None, _previous(obj))))
    for (obj, change), stamp in zip(pending, revisions.stamp(session, len(pending)), strict=True):
        change.stamp = stamp
        if change.row is not None:
            obj.rev_device, obj.rev_seq, obj.rev_hlc = stamp.device, stamp.seq, stamp.hlc_text
    session.info.setdefault(_PENDING, []).extend(pending)


def _after_flush(session: Session, _context: Any) -> None:
    """The rows as written (defaults included) go into the log, in the same transaction."""
    pending: list[tuple[Synced, revisions.Change]] = session.info.pop(_PENDING, None) or []
    case_ids: dict[uuid.UUID, uuid.UUID] = {}
    for obj, change in pending:
        if change.row is not None:
            change.row = {key: getattr(obj, key) for key in _columns(obj)}
        else:
            case_id = getattr(obj, "case_id", None)
            if isinstance(case_id, uuid.UUID):
                case_ids[change.record_id] = case_id
    revisions.append(session, [change for _obj, change in pending], case_ids=case_ids)


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        revisions.forget_change_set(session)
        session.info.pop(_PENDING, None)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_transaction_end", _transaction_ended)


def audit_count(session: Session) -> int:
    """How many change sets (transactions that changed something) the audit trail holds."""
    return int(session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0)


def revision_count(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Revision)) or 0)
