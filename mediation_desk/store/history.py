"""A case's history, read from the revision log (what changed) and the audit trail (who, when, doing what).

The log holds each record's full row after every change, so which fields a change touched is the difference
between a revision and the one before it of the same record; nothing keeps the history a second time. A
database from before the log keeps its older history in ``legacy_history``, shown first.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store.models import AuditEvent, LegacyHistory, Revision

_NOT_FIELDS = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    actor: str
    action: str  # insert, update, delete
    table: str
    operation: str
    fields: tuple[str, ...]


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    """The fields a change set (insert: those given a value; update: those that differ; delete: none)."""
    if after is None:
        return ()
    if before is None:
        return tuple(sorted(key for key, value in after.items() if value is not None and key not in _NOT_FIELDS))
    keys = (before.keys() | after.keys()) - _NOT_FIELDS
    return tuple(sorted(key for key in keys if before.get(key) != after.get(key)))


def case_history(session: Session, case_id: uuid.UUID) -> list[HistoryRow]:
    """Every change of the case and of the records under it, oldest first."""
    rows = [
        HistoryRow(e.at, e.actor, e.action, e.table_name, e.operation, tuple(e.fields))
        for e in session.scalars(
            sa.select(LegacyHistory).where(LegacyHistory.case_id == case_id).order_by(LegacyHistory.id)
        )
    ]
    query = (
        sa.select(Revision, AuditEvent)
        .outerjoin(AuditEvent, AuditEvent.id == Revision.change_id)
        .where(Revision.case_id == case_id)
        .order_by(Revision.id)
    )
    last: dict[uuid.UUID, dict[str, Any]] = {}
    for revision, event in session.execute(query):
        after = None if revision.deleted else json.loads(revision.data)
        before = last.get(revision.record_id)
        if after is not None:
            last[revision.record_id] = after
        if event is None:  # a baseline revision carried over from before the log: covered by legacy history
            continue
        action = "delete" if after is None else ("update" if before is not None else "insert")
        fields = changed_fields(before, after)
        if action == "update" and not fields:
            continue
        rows.append(HistoryRow(event.at, event.actor, action, revision.table_name, event.operation, fields))
    return rows
