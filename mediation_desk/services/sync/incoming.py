"""The revisions one import added to the log, kept as parsed so that the merge need not read them back.

``Logged`` is a revision of the log with its vector and row parsed: what ``apply.settle`` works on, whether it
came from the file in hand (``Incoming``) or was read from the log (``Logged.of``). ``Incoming`` holds an
import's new revisions by table and record, in the order they were added, together with ``mark``, the log's last
id before the import added any: every revision of the log above ``mark`` is in ``Incoming`` (the ones refused
later are taken out of both), so the merge reads from the database only the others: those at or below ``mark``
and any that another transaction wrote meanwhile (a server database has more than one writer).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from mediation_desk.store.queries.sync import LogRow

Key = tuple[uuid.UUID, int]


@dataclass(frozen=True, slots=True)
class Logged:
    """One revision with its version vector and row parsed."""

    origin_device: uuid.UUID
    origin_seq: int
    table_name: str
    record_id: uuid.UUID
    vv: dict[str, int]
    hlc: int
    deleted: bool
    data: dict[str, Any]
    case_id: uuid.UUID | None
    checked: bool = False  # read from a sync file by this import, every field checked (``sync.lines``)

    @property
    def key(self) -> Key:
        return (self.origin_device, self.origin_seq)

    @classmethod
    def of(cls, row: LogRow) -> Logged:
        """A revision read from the log."""
        return cls(
            row.origin_device,
            row.origin_seq,
            row.table_name,
            row.record_id,
            json.loads(row.vv),
            row.hlc,
            row.deleted,
            json.loads(row.data),
            row.case_id,
        )


CAPACITY = 40_000  # revisions of one import kept in hand; those after are read back from the log


class Incoming:
    """An import's new revisions, by table and record, in the order they were added to the log: the first
    ``capacity`` of them (a larger file's others are read back from the log, so that memory stays bounded);
    the case of every one."""

    def __init__(self, mark: int, change_id: int, capacity: int | None = None) -> None:
        self.mark = mark  # the log's last id before the import
        self.change_id = change_id  # the change set the import writes its revisions under
        self.capacity = CAPACITY if capacity is None else capacity
        self.upper: int | None = None  # once full: the log's last id when it filled (later ones are not here)
        self._count = 0
        self._by_record: dict[str, dict[uuid.UUID, list[Logged]]] = {}
        self._cases: dict[tuple[str, uuid.UUID], uuid.UUID] = {}

    @property
    def leave_out(self) -> tuple[int, int, int | None]:
        """What the log holds of this import that is here (above ``mark``, under ``change_id``, up to ``upper``):
        read from here instead."""
        return (self.mark, self.change_id, self.upper)

    def room(self, count: int, last_id: Callable[[], int]) -> bool:
        """Whether ``count`` more revisions are kept in hand; the first time not, the log's last id (before they
        are added) is taken as ``upper``: every revision of the import above it is read back from the log."""
        if self.upper is None and self._count + count <= self.capacity:
            self._count += count
            return True
        if self.upper is None:
            self.upper = last_id()
        return False

    def add(self, revision: Logged, *, keep: bool = True) -> None:
        if revision.case_id is not None:
            self._cases[(revision.table_name, revision.record_id)] = revision.case_id
        if keep:
            self._by_record.setdefault(revision.table_name, {}).setdefault(revision.record_id, []).append(revision)

    def of(self, table: str, record: uuid.UUID) -> list[Logged]:
        """The revisions of one record this import added and keeps in hand (oldest first)."""
        return self._by_record.get(table, {}).get(record, [])

    def of_records(self, table: str, records: Iterable[uuid.UUID]) -> list[Logged]:
        held = self._by_record.get(table, {})
        return [revision for record in records for revision in held.get(record, ())]

    def forget(self, table: str, records: Iterable[uuid.UUID]) -> None:
        """Let go of records' revisions once the merge has settled them (their organisations are known by then:
        the merge asked for each of them)."""
        held = self._by_record.get(table, {})
        for record in records:
            held.pop(record, None)

    def case_of(self, table: str, record: uuid.UUID) -> uuid.UUID | None:
        """The case of a record, as the latest of its revisions in this import that names one says."""
        return self._cases.get((table, record))

    def discard(self, table: str, keys: Collection[Key]) -> None:
        """Forget revisions removed from the log again (refused by the merge)."""
        held = self._by_record.get(table, {})
        for record, revisions in list(held.items()):
            kept = [revision for revision in revisions if revision.key not in keys]
            if len(kept) != len(revisions):
                held[record] = kept
