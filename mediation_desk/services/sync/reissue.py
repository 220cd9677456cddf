"""After a new device identity whose old keys are lost: the rows whose last revision can no longer be signed are
issued again under the new identity, so that nothing this desk holds is kept from its peers.

A revision is signed when it is first exported, by the key of the device that made it. When that key is gone
from the keyring, the revisions its device made and never sent cannot travel. Each live row whose current
revision is such a one gets a new revision of the same row under the new device (its vector descends from the
old one, so it supersedes it everywhere), and the row is stamped with it; the old revisions stay in the log as
history.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store import revisions
from mediation_desk.store.queries import sync as queries


def _stranded(session: Session, table: str, signable: Collection[uuid.UUID]) -> list[dict[str, Any]]:
    """The live rows of ``table`` whose current revision is unsigned and made by a device without a key here."""
    live = queries.table(table)
    log = queries.LOG
    query = (
        sa.select(live)
        .join(log, sa.and_(log.c.origin_device == live.c.rev_device, log.c.origin_seq == live.c.rev_seq))
        .where(log.c.signature.is_(None), live.c.rev_device.not_in(list(signable)))
    )
    return [dict(row) for row in session.execute(query).mappings()]


def reissue(session: Session, signable: Collection[uuid.UUID]) -> int:
    """Issue again, under this desk's current device, every row whose last revision cannot be signed; how many."""
    changes: list[revisions.Change] = []
    for table in queries.synced_tables():  # parents first
        for row in _stranded(session, table, signable):
            changes.append(revisions.Change(table, row["id"], row, (row["rev_device"], row["rev_seq"])))
    if not changes:
        return 0
    for change, stamp in zip(changes, revisions.stamp(session, len(changes)), strict=True):
        change.stamp = stamp
    revisions.append(session, changes)
    by_table: dict[str, list[revisions.Change]] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    for table, group in by_table.items():
        live = queries.table(table)
        statement = (
            sa.update(live)
            .where(live.c.id == sa.bindparam("record"))
            .values(rev_device=sa.bindparam("device"), rev_seq=sa.bindparam("seq"), rev_hlc=sa.bindparam("tick"))
        )
        stamps = [change.stamp for change in group]
        session.connection().execute(
            statement,
            [
                {"record": change.record_id, "device": stamp.device, "seq": stamp.seq, "tick": stamp.hlc_text}
                for change, stamp in zip(group, stamps, strict=True)
                if stamp is not None
            ],
        )
    return len(changes)
