"""Organisation units across desks, and which organisation each synced record belongs to.

An organisation unit is the same unit on every desk by its **code**; the id a desk gave it when it was set up is
its own (two desks that both entered "五云街道" made two ids). So the merge reads organisation ids through
``OrgIndex``: every id known for a code (this desk's rows, the ids in other desks' ``org_unit`` revisions, kept in
``sync_org_alias``, and the code's **canonical id**, ``uuid5`` of the code) leads to the code and from it to this
desk's row. The merge compares rows with organisation ids in canonical form, so two desks that name one unit by
two ids do not conflict over it, and a unit this desk learns from others is stored under its canonical id.

A unit this desk does not have is made from the ``org_unit`` revisions that name its code: the one by the unit's
own desk wins, then the one from the highest level (county, township, committee), then the later clock; so every
desk makes the same row whatever order the files came in. Units this desk made itself are never replaced.

``Owners`` tells which organisation a record belongs to: its own ``org_id``, or its case's (a party, a session…),
or its mediator's (an assessment); that is what scopes an export and what a village device may write.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import hlc as clock
from mediation_desk.services.sync.incoming import Incoming
from mediation_desk.services.sync.trust import Writer, rank
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.queries.sync import ORG_TABLE, LogRow
from mediation_desk.store.revisions import decode_row
from mediation_desk.store.sync_models import SyncOrgAlias

ORG_NAMESPACE = uuid.UUID("6f1d2c8e-4b7a-5e2f-9c3d-1a2b3c4d5e6f")


@functools.lru_cache(maxsize=4096)
def canonical_org_id(code: str) -> uuid.UUID:
    """The id every desk gives a unit it learned from others: derived from the code alone."""
    return uuid.uuid5(ORG_NAMESPACE, f"org-unit:{code}")


@dataclass
class OrgIndex:
    """Organisation units by code, with every id any desk gave them."""

    code_by_id: dict[uuid.UUID, str] = field(default_factory=dict)
    local_by_code: dict[str, uuid.UUID] = field(default_factory=dict)
    parent_of: dict[str, str | None] = field(default_factory=dict)
    level_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> OrgIndex:
        index = cls()
        rows = queries.org_rows(session)
        code_by_local = {org_id: code for org_id, code, _parent, _level in rows}
        for org_id, code, parent, level in rows:
            index.local_by_code[code] = org_id
            index.code_by_id[org_id] = code
            index.parent_of[code] = code_by_local.get(parent) if parent else None
            index.level_of[code] = level
        for foreign, code in session.execute(sa.select(SyncOrgAlias.foreign_id, SyncOrgAlias.code)):
            index.code_by_id.setdefault(foreign, code)
        for code in {*index.code_by_id.values(), *index.local_by_code}:
            index.code_by_id.setdefault(canonical_org_id(code), code)
        return index

    def code_of(self, value: Any) -> str | None:
        """The code of an organisation id (a UUID or its text), if any desk's id for it is known here."""
        if value is None:
            return None
        try:
            key = value if isinstance(value, uuid.UUID) else _id(value if isinstance(value, str) else str(value))
        except ValueError:
            return None
        return self.code_by_id.get(key)

    def local_id(self, value: Any) -> uuid.UUID | None:
        code = self.code_of(value)
        return self.local_by_code.get(code) if code is not None else None

    def ancestors(self, code: str) -> list[str]:
        """The units above ``code``, nearest first (as far as this desk knows the tree)."""
        found: list[str] = []
        current = self.parent_of.get(code)
        while current is not None and current not in found and current != code:
            found.append(current)
            current = self.parent_of.get(current)
        return found

    def within(self, code: str, top: str) -> bool:
        """Whether ``code`` is ``top`` or below it."""
        return code == top or top in self.ancestors(code)

    def subtree(self, top: str) -> set[str]:
        return {code for code in self.local_by_code if self.within(code, top)} | {top}


# ---------------------------------------------------------------------------------------------------------------
# Units learned from other desks


def _code(data: dict[str, Any]) -> str | None:
    value = data.get("code")
    return value if isinstance(value, str) and value else None


def learn_aliases(session: Session, rows: Iterable[tuple[uuid.UUID, dict[str, Any]]]) -> None:
    """Remember the id each ``org_unit`` revision gives its code."""
    wanted = {record: code for record, data in rows if (code := _code(data)) is not None}
    if not wanted:
        return
    known = set(session.scalars(sa.select(SyncOrgAlias.foreign_id).where(SyncOrgAlias.foreign_id.in_(list(wanted)))))
    fresh = [{"foreign_id": record, "code": code} for record, code in wanted.items() if record not in known]
    if fresh:
        session.connection().execute(sa.insert(SyncOrgAlias), fresh)


def _best(candidates: list[LogRow], code: str, writers: dict[uuid.UUID, Writer]) -> LogRow:
    def standing(row: LogRow) -> tuple[bool, int, int, str, int]:
        writer = writers.get(row.origin_device)
        own = writer is not None and writer.org == code
        return (own, rank(writer.role) if writer else 0, row.hlc, str(row.origin_device), row.origin_seq)

    return max(candidates, key=standing)


def settle_orgs(session: Session, writers: dict[uuid.UUID, Writer]) -> OrgIndex:
    """Make or bring up to date the units this desk knows only from other desks' revisions; the fresh index."""
    logged = [row for row in queries.revisions_of_table(session, ORG_TABLE) if not row.deleted]
    parsed = [(row, json.loads(row.data)) for row in logged]
    learn_aliases(session, [(row.record_id, data) for row, data in parsed])
    index = OrgIndex.load(session)
    by_code: dict[str, list[tuple[LogRow, dict[str, Any]]]] = {}
    for row, data in parsed:
        code = _code(data)
        if code is not None and (
            code not in index.local_by_code or index.local_by_code[code] == canonical_org_id(code)
        ):
            by_code.setdefault(code, []).append((row, data))
    chosen = {code: _best([row for row, _data in items], code, writers) for code, items in by_code.items()}
    data_of = {row.key: data for items in by_code.values() for row, data in items}
    pending = dict(chosen)
    while pending:  # parents first: a unit's parent is made before it where both are new
        ready = [code for code, row in pending.items() if _parent_code(index, data_of[row.key]) not in pending]
        if not ready:
            ready = list(pending)
        for code in sorted(ready):
            _materialise(session, index, code, pending.pop(code), data_of)
        index = OrgIndex.load(session)
    return index


def _parent_code(index: OrgIndex, data: dict[str, Any]) -> str | None:
    return index.code_of(data.get("parent_id"))


def _materialise(
    session: Session, index: OrgIndex, code: str, row: LogRow, data_of: dict[tuple[uuid.UUID, int], dict[str, Any]]
) -> None:
    data = data_of[row.key]
    values = decode_row(ORG_TABLE, data)
    values["id"] = canonical_org_id(code)
    parent = index.code_of(data.get("parent_id"))
    values["parent_id"] = index.local_by_code.get(parent) if parent else None
    values["rev_device"], values["rev_seq"], values["rev_hlc"] = row.origin_device, row.origin_seq, clock.text(row.hlc)
    present = queries.live_stamps(session, ORG_TABLE, [values["id"]])
    if not present:
        queries.insert_rows(session, ORG_TABLE, [values])
        return
    current = (
        session.execute(sa.select(queries.table(ORG_TABLE)).where(queries.table(ORG_TABLE).c.id == values["id"]))
        .mappings()
        .one()
    )
    if any(current[name] != value for name, value in values.items()):
        queries.update_rows(session, ORG_TABLE, [values])


# ---------------------------------------------------------------------------------------------------------------
# Which organisation a record belongs to


def _link(table: str) -> tuple[str, str] | None:
    """How a table without its own organisation column finds one: its case, else its first synced parent."""
    refs = [(column, target) for column, target in queries.references()[table] if target in queries.synced_tables()]
    for column, target in refs:
        if column == "case_id":
            return column, target
    return refs[0] if refs else None


class Owners:
    """The organisation (code) each record belongs to, from a batch of revisions, the live rows and the log."""

    def __init__(self, session: Session, index: OrgIndex, incoming: Incoming | None = None) -> None:
        self.session = session
        self.index = index
        self.incoming = incoming  # an import's new revisions, in hand: the log above its mark
        self._known: dict[tuple[str, uuid.UUID], str | None] = {}
        # the live rows' stamps (``queries.live_stamps``) read along with their organisations since ``stamps_from``
        self._stamps: dict[str, dict[uuid.UUID, tuple[Any, Any] | None]] | None = None

    def stamps_from(self) -> None:
        """Keep the stamps of the live rows ``prime`` reads from now on (and none read before): for a merge that
        plans its rows before it writes any, so that it need not read those rows again."""
        self._stamps = {}

    def take_stamps(
        self, table: str, records: Collection[uuid.UUID]
    ) -> tuple[dict[uuid.UUID, tuple[Any, Any]], list[uuid.UUID]]:
        """The stamps of those of ``records`` whose live rows ``prime`` read since ``stamps_from`` (taken: asked
        once), and the records it did not read."""
        read = self._stamps.pop(table, {}) if self._stamps is not None else {}
        found: dict[uuid.UUID, tuple[Any, Any]] = {}
        others: list[uuid.UUID] = []
        for record in records:
            if record not in read:
                others.append(record)
                continue
            stamp = read[record]
            if stamp is not None:
                found[record] = stamp
        return found, others

    def learn(self, table: str, record_id: uuid.UUID, data: dict[str, Any]) -> None:
        """A record's organisation as a revision in hand says (its newest revision should come last)."""
        code = self._from_data(table, data)
        if code is not None:
            self._known[(table, record_id)] = code

    def _from_data(self, table: str, data: dict[str, Any]) -> str | None:
        if not data:
            return None
        if table == ORG_TABLE:
            return _code(data)
        columns = queries.org_columns().get(table)
        if columns:
            return self.index.code_of(data.get(columns[0]))
        link = _link(table)
        if link is None:
            return None
        target = data.get(link[0])
        return self.record_org(link[1], _id(target)) if isinstance(target, str) else None

    def org_of(self, table: str, record_id: uuid.UUID, data: dict[str, Any], case_id: uuid.UUID | None) -> str | None:
        """The organisation a revision writes for (``None`` while its case or unit is not known here)."""
        if data:
            return self._from_data(table, data)
        if case_id is not None and table != "dispute_case":
            return self.record_org("dispute_case", case_id)
        return self.record_org(table, record_id)

    def record_org(self, table: str, record_id: uuid.UUID) -> str | None:
        key = (table, record_id)
        if key not in self._known:
            self.prime(table, [record_id])
        return self._known.get(key)

    def prime(self, table: str, record_ids: Collection[uuid.UUID]) -> None:
        """Find the organisations of many records of one table at once (live rows first, then the log)."""
        wanted = [record for record in record_ids if (table, record) not in self._known]
        if not wanted:
            return
        for record in wanted:
            self._known[(table, record)] = None
        columns = queries.org_columns().get(table)
        link = None if columns or table == ORG_TABLE else _link(table)
        live = queries.table(table)
        if table == ORG_TABLE:
            for record in wanted:
                self._known[(table, record)] = self.index.code_of(record)
            return
        column = columns[0] if columns else (link[0] if link else None)
        if column is None:
            return
        found = self._read_live(live, column, wanted)
        missing = [record for record in wanted if record not in found]
        found.update(self._from_log(table, column, missing))
        if link is not None:
            self.prime(link[1], [_as_id(value) for value in found.values() if value is not None])
        for record, value in found.items():
            if columns:
                self._known[(table, record)] = self.index.code_of(value)
            elif link is not None and value is not None:
                self._known[(table, record)] = self._known.get((link[1], _as_id(value)))

    def _read_live(self, live: sa.Table, column: str, wanted: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """``column`` of the live rows of ``wanted`` that are there (their stamps kept, after ``stamps_from``)."""
        found: dict[uuid.UUID, Any] = {}
        stamps = self._stamps.setdefault(live.name, {}) if self._stamps is not None else None
        if stamps is not None:
            stamps.update(dict.fromkeys(wanted))
        for chunk in queries.chunks(queries.ordered(wanted)):
            query = sa.select(live.c.id, live.c[column], live.c.rev_device, live.c.rev_seq)
            for record, value, device, seq in self.session.execute(query.where(live.c.id.in_(list(chunk)))):
                found[record] = value
                if stamps is not None:
                    stamps[record] = (device, seq)
        return found

    def _from_log(self, table: str, column: str, records: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """Each record's ``column`` as its latest revision with it says: from the revisions in hand and the log."""
        incoming = self.incoming
        found: dict[uuid.UUID, Any] = {}
        if incoming is not None:
            for record in records:
                value = _latest(column, [(revision.deleted, revision.data) for revision in incoming.of(table, record)])
                if value is not None:
                    found[record] = value
            if incoming.upper is None:  # all of the import in hand: the log is asked only about the others
                records = [record for record in records if record not in found]
        if not records:
            return found
        leave_out = incoming.leave_out if incoming is not None else None
        read = queries.revisions_of_records(self.session, table, records, leave_out=leave_out)
        read.sort(key=lambda row: row.id)
        by_record: dict[uuid.UUID, list[LogRow]] = {}
        for row in read:
            by_record.setdefault(row.record_id, []).append(row)
        mark = incoming.mark if incoming is not None else None
        for record, rows in by_record.items():
            earlier = [(row.deleted, json.loads(row.data)) for row in rows if mark is None or row.id <= mark]
            later = [(row.deleted, json.loads(row.data)) for row in rows if mark is not None and row.id > mark]
            for value in (_latest(column, later), found.get(record), _latest(column, earlier)):
                if value is not None:  # the latest: after the import's in hand, then those, then before them
                    found[record] = value
                    break
        return found


def _latest(column: str, revisions: Iterable[tuple[bool, dict[str, Any]]]) -> Any:
    """``column`` of the latest of ``revisions`` (oldest first) that is a row naming it, else ``None``."""
    value = None
    for deleted, data in revisions:
        if not deleted and data.get(column) is not None:
            value = data[column]
    return value


@functools.lru_cache(maxsize=16_384)
def _id(text: str) -> uuid.UUID:
    """An id named in rows (a unit, a case: named by many rows one after the other); ``ValueError`` if it is
    not one."""
    return uuid.UUID(text)


def _as_id(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else _id(str(value))


def canonical_data(table: str, data: dict[str, Any], index: OrgIndex) -> dict[str, Any]:
    """A row with its organisation ids in canonical form (as the merge compares them)."""
    columns = queries.org_columns().get(table, ())
    if not data or not columns:
        return data
    fixed = dict(data)
    for column in columns:
        code = index.code_of(fixed.get(column))
        if code is not None:
            fixed[column] = str(canonical_org_id(code))
    return fixed
