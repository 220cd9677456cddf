"""The merge rules of SYNC.md, as pure functions of a set of revisions: the same answer on every desk.

An import is a **union** of revisions keyed by their identity ``(origin_device, origin_seq)``. A key already held
with the same content is a duplicate (harmless: files overlap until receipts arrive); a key held with different
content is **equivocation**, a device that signed two different revisions under one number: the newcomer is
refused and reported, the revision held first stays.

For one record, ``analyse`` answers from its revisions alone, never from the order they arrived in:

- the **leaves** are the revisions that no other revision's version vector dominates; one leaf is the current
  row (fast-forward), several are a conflict, and all of them are kept;
- the **provisional winner** is the leaf with the greatest ``(not deleted, hlc, origin_device, origin_seq)``:
  an edit beats a deletion, then the later clock, then the device id, so every desk shows the same row. The
  clock is used for this tie-break only; leaves and labels never look at it;
- the **label**: *soft* when the leaves changed different fields (or the same field to the same value), *hard*
  when two leaves changed one field to different values, *delete* when a leaf is a tombstone and another is an
  edit (the edit is then the provisional winner). Leaves that are all tombstones agree: *soft*;
- fields changed are computed against the **common ancestor**, the latest revision that every leaf descends from.
  It is the revision whose vector is the leaves' meet (each device's lowest entry). When no held revision has
  that vector, the ancestor is unknown: it has not arrived yet (a lost or later delivery, revisions arriving
  before their parents) or the history has two latest common ancestors (two desks resolved the same conflict
  independently). Then nothing can show that a field was changed on one side only, so every field whose value
  differs between the leaves counts as changed by all of them: the label is *hard* if any field differs. This
  never calls a conflict soft that a complete history would call hard; once the ancestor arrives the label is
  recomputed from it. ``missing`` names the revisions that the record's vectors refer to and that are not held.

A field that a revision does not carry (a row written before a column existed) counts as null.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, NamedTuple

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.errors import DomainError
from mediation_desk.sync import vectors


class MergeError(DomainError):
    """Revisions or a resolution that the merge rules refuse. ``code`` names the reason for the import report."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code


class RevisionKey(NamedTuple):
    """A revision's identity, never reused: the device that made it and that device's sequence number."""

    device: str
    seq: int

    def __str__(self) -> str:
        return f"{self.device}:{self.seq}"

    @classmethod
    def parse(cls, text: str) -> RevisionKey:
        """The key written as ``DEVICE:SEQ`` (as ``str`` writes it)."""
        device, _, seq = text.strip().rpartition(":")
        if not device or not seq.isdigit() or int(seq) < 1:
            raise MergeError(f"修订编号“{text}”无效：应为“设备编号:序号”", code="bad_key")
        return cls(device, int(seq))


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 1


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision of one record, as the merge sees it. ``vv`` and ``data`` are copies; treat them as read-only.

    ``data`` is the full row as canonical JSON values; a tombstone (``deleted``) carries none.
    """

    origin_device: str
    origin_seq: int
    table: str
    record_id: str
    vv: Mapping[str, int]
    hlc: int
    deleted: bool
    data: Mapping[str, JSONValue]

    def __post_init__(self) -> None:
        vv, data = self.vv, self.data
        if not isinstance(self.origin_device, str) or not self.origin_device or not _is_count(self.origin_seq):
            raise MergeError(f"修订 {self._named} 的来源设备或序号无效", code="malformed")
        if not isinstance(vv, Mapping) or not isinstance(data, Mapping):
            raise MergeError(f"修订 {self._named} 的版本向量或数据不是对象", code="malformed")
        for device, seq in vv.items():
            if not (isinstance(device, str) and device and _is_count(seq)):
                raise MergeError(f"修订 {self._named} 的版本向量无效", code="malformed")
        if vv.get(self.origin_device) != self.origin_seq:
            raise MergeError(f"修订 {self._named} 的版本向量中来源设备的序号不是 {self.origin_seq}", code="malformed")
        if type(self.hlc) is not int or self.hlc < 0 or type(self.deleted) is not bool:
            raise MergeError(f"修订 {self._named} 的时钟或删除标记无效", code="malformed")
        if self.deleted and data:
            raise MergeError(f"修订 {self._named} 是删除记录，却带有数据", code="malformed")
        object.__setattr__(self, "vv", dict(sorted(vv.items())) if len(vv) > 1 else dict(vv))
        object.__setattr__(self, "data", dict(data))

    @property
    def _named(self) -> str:
        return f"{self.origin_device}:{self.origin_seq}"

    def __hash__(self) -> int:
        return hash((self.origin_device, self.origin_seq))

    def without_data(self) -> Revision:
        """This revision with an empty row (what bookkeeping keeps of a settled record): a copy of a revision
        already checked, so not checked again."""
        copy = object.__new__(Revision)
        for name in _COPIED:
            object.__setattr__(copy, name, getattr(self, name))
        object.__setattr__(copy, "data", {})
        return copy

    def release_data(self) -> None:
        """Let go of the row in place (bookkeeping keeps of a settled record no row): only for a revision made for
        the caller alone, as the merge makes them for one settle, since the revision is otherwise read-only."""
        object.__setattr__(self, "data", {})

    @classmethod
    def checked(
        cls,
        origin_device: str,
        origin_seq: int,
        table: str,
        record_id: str,
        vv: dict[str, int],
        hlc: int,
        deleted: bool,
        data: dict[str, JSONValue],
    ) -> Revision:
        """A revision whose fields were checked already as ``__post_init__`` checks them (a line of a sync file
        read by ``sync.lines.parse_line``: its vector canonical, so sorted); ``vv`` and ``data`` are shared, not
        copied."""
        made = object.__new__(cls)
        setter = object.__setattr__
        setter(made, "origin_device", origin_device)
        setter(made, "origin_seq", origin_seq)
        setter(made, "table", table)
        setter(made, "record_id", record_id)
        setter(made, "vv", vv)
        setter(made, "hlc", hlc)
        setter(made, "deleted", deleted)
        setter(made, "data", data)
        return made

    @property
    def key(self) -> RevisionKey:
        return RevisionKey(self.origin_device, self.origin_seq)

    @property
    def record(self) -> tuple[str, str]:
        return (self.table, self.record_id)

    @property
    def rank(self) -> tuple[bool, int, str, int]:
        """What the provisional winner is the maximum of."""
        return (not self.deleted, self.hlc, self.origin_device, self.origin_seq)

    def content(self) -> str:
        """The canonical text of everything the origin signed, to tell a duplicate from equivocation."""
        body = {
            "origin_device": self.origin_device,
            "origin_seq": self.origin_seq,
            "table": self.table,
            "record_id": self.record_id,
            "vv": dict(self.vv),
            "hlc": self.hlc,
            "deleted": self.deleted,
            "data": dict(self.data),
        }
        return canonical.dumps(body)

    @classmethod
    def from_log(
        cls,
        origin_device: str | uuid.UUID,
        origin_seq: int,
        table: str,
        record_id: str | uuid.UUID,
        vv: str | Mapping[str, int],
        hlc: int,
        deleted: bool,
        data: str | Mapping[str, JSONValue],
    ) -> Revision:
        """A revision from the log's columns (``vv`` and ``data`` as their canonical JSON text or parsed)."""
        return cls(
            str(origin_device) if isinstance(origin_device, uuid.UUID) else origin_device,
            origin_seq,
            table,
            str(record_id),
            json.loads(vv) if isinstance(vv, str) else vv,
            hlc,
            deleted,
            json.loads(data) if isinstance(data, str) else data,
        )


_COPIED = ("origin_device", "origin_seq", "table", "record_id", "vv", "hlc", "deleted")


# ---------------------------------------------------------------------------------------------------------------
# The union of revisions


@dataclass(frozen=True, slots=True)
class Equivocation:
    """One key, two contents: ``kept`` was held first, ``refused`` arrived later and is not taken."""

    kept: Revision
    refused: Revision
    code: ClassVar[str] = "equivocation"

    @property
    def message(self) -> str:
        return f"设备 {self.kept.origin_device} 的第 {self.kept.origin_seq} 号修订有两种不同内容：后到的一份已拒收"


@dataclass(frozen=True, slots=True)
class Union:
    """What an import's revisions add to those held."""

    added: tuple[Revision, ...]  # new keys, in the order they came
    present: tuple[Revision, ...]  # duplicates of revisions already held (or earlier in the same batch)
    equivocations: tuple[Equivocation, ...]


def union(held: Mapping[RevisionKey, Revision], incoming: Iterable[Revision]) -> Union:
    """Sort ``incoming`` into new revisions, duplicates and equivocations; ``held`` is not changed."""
    added: dict[RevisionKey, Revision] = {}
    present: list[Revision] = []
    equivocations: list[Equivocation] = []
    for revision in incoming:
        key = revision.key
        first = held.get(key) or added.get(key)
        if first is None:
            added[key] = revision
        elif first is revision or first.content() == revision.content():
            present.append(revision)
        else:
            equivocations.append(Equivocation(first, revision))
    return Union(tuple(added.values()), tuple(present), tuple(equivocations))


def by_record(revisions: Iterable[Revision]) -> dict[tuple[str, str], list[Revision]]:
    """Revisions grouped by the record they belong to, ready for ``analyse``."""
    groups: dict[tuple[str, str], list[Revision]] = {}
    for revision in revisions:
        groups.setdefault(revision.record, []).append(revision)
    return groups


# ---------------------------------------------------------------------------------------------------------------
# One record: leaves, provisional winner, label


class Label(StrEnum):
    NONE = "none"
    SOFT = "soft"
    HARD = "hard"
    DELETE = "delete"

    @property
    def text(self) -> str:
        return _LABEL_TEXT[self]


_LABEL_TEXT = {
    Label.NONE: "无冲突",
    Label.SOFT: "并行修改（改的是不同字段）",
    Label.HARD: "冲突（同一字段改得不同）",
    Label.DELETE: "删除冲突（一方删除，一方修改）",
}


@dataclass(frozen=True, slots=True)
class RecordState:
    """What the merge says about one record."""

    table: str
    record_id: str
    leaves: tuple[Revision, ...]  # the provisional winner first, then by the same rank
    label: Label
    base: Revision | None  # the common ancestor of the leaves; None when there is one leaf or it is unknown
    changed: Mapping[str, tuple[RevisionKey, ...]]  # field → the edit leaves that changed it
    hard_fields: tuple[str, ...]  # fields that edit leaves changed to different values
    missing: tuple[RevisionKey, ...]  # revisions this record's vectors name that are not held

    @property
    def winner(self) -> Revision:
        return self.leaves[0]

    @property
    def conflict(self) -> bool:
        return len(self.leaves) > 1

    def leaf(self, key: RevisionKey) -> Revision:
        for leaf in self.leaves:
            if leaf.key == key:
                return leaf
        raise MergeError(f"修订 {key} 不是这条记录当前的分支之一", code="not_a_leaf")


def _distinct(revisions: Iterable[Revision]) -> dict[RevisionKey, Revision]:
    held: dict[RevisionKey, Revision] = {}
    for revision in revisions:
        first = held.setdefault(revision.key, revision)
        if first is not revision and first.content() != revision.content():
            raise MergeError(Equivocation(first, revision).message, code=Equivocation.code)
    if not held:
        raise MergeError("没有可合并的修订", code="empty")
    records = {revision.record for revision in held.values()}
    if len(records) > 1:
        raise MergeError("一次只能合并同一条记录的修订", code="mixed_records")
    return held


def leaves(revisions: Iterable[Revision]) -> tuple[Revision, ...]:
    """The revisions no other one dominates, the provisional winner first."""
    return _leaves(_distinct(revisions).values())


def _leaves(revisions: Iterable[Revision]) -> tuple[Revision, ...]:
    # A dominating vector has a larger sum, and whatever dominates a revision is itself dominated by a leaf, which
    # a larger sum puts before it: comparing with the leaves found so far is enough.
    found: list[Revision] = []
    for revision in sorted(revisions, key=lambda r: sum(r.vv.values()), reverse=True):
        if not any(vectors.dominates(leaf.vv, revision.vv) for leaf in found):
            found.append(revision)
    return tuple(sorted(found, key=lambda r: r.rank, reverse=True))


def winner(revisions: Iterable[Revision]) -> Revision:
    """The provisional winner: the current row on every desk, whatever the order the revisions arrived in."""
    return leaves(revisions)[0]


def analyse(revisions: Iterable[Revision]) -> RecordState:
    """Leaves, provisional winner, common ancestor and label of one record's revisions (duplicates allowed)."""
    if isinstance(revisions, list | tuple) and len(revisions) == 1:
        return _alone(revisions[0])
    held = _distinct(revisions)
    tips = _leaves(held.values())
    first = tips[0]
    missing = tuple(sorted({RevisionKey(*entry) for r in held.values() for entry in r.vv.items()} - held.keys()))
    if len(tips) == 1:
        return RecordState(first.table, first.record_id, tips, Label.NONE, None, {}, (), missing)
    base = common_ancestor(held, tips)
    edits = [leaf for leaf in tips if not leaf.deleted]
    changed, hard = _changes(base, edits)
    return RecordState(first.table, first.record_id, tips, _label(tips, edits, hard), base, changed, hard, missing)


def _alone(revision: Revision) -> RecordState:
    """``analyse`` of a record with one revision (most records an import brings): it is the one leaf, and the
    revisions its vector names besides itself are missing."""
    own = (revision.origin_device, revision.origin_seq)
    missing = tuple(sorted(RevisionKey(*entry) for entry in revision.vv.items() if entry != own))
    return RecordState(revision.table, revision.record_id, (revision,), Label.NONE, None, {}, (), missing)


def _label(tips: tuple[Revision, ...], edits: list[Revision], hard: tuple[str, ...]) -> Label:
    if len(edits) < len(tips):  # a tombstone among the leaves
        return Label.DELETE if edits else Label.SOFT
    return Label.HARD if hard else Label.SOFT


def superseded_by_edit(state: RecordState, device: str) -> tuple[Revision, ...]:
    """The losing leaves that ``device`` would supersede, unseen, by editing the current row.

    A local edit's vector is the current row's with the device's next number, which is above all the device's
    earlier numbers: a losing leaf that the device made itself, and that holds nothing else the current row lacks,
    is then dominated although its changes are not in the row. When this is not empty, the record's conflict
    should be resolved before (or as) it is edited.
    """
    vector = {**state.winner.vv, device: sys.maxsize}
    return tuple(leaf for leaf in state.leaves[1:] if vectors.descends(vector, leaf.vv))


def common_ancestor(held: Mapping[RevisionKey, Revision], tips: Iterable[Revision]) -> Revision | None:
    """The held revision whose vector is the meet of ``tips``' vectors, if there is one."""
    met = vectors.meet(tip.vv for tip in tips)
    for device, seq in met.items():  # such a revision's own entry is one of the meet's entries
        candidate = held.get(RevisionKey(device, seq))
        if candidate is not None and candidate.vv == met:
            return candidate
    return None


def field_names(rows: Iterable[Mapping[str, JSONValue]]) -> list[str]:
    return sorted({name for row in rows for name in row})


def _text(value: JSONValue) -> str:
    return canonical.dumps(value)


def _changes(
    base: Revision | None, edits: list[Revision]
) -> tuple[dict[str, tuple[RevisionKey, ...]], tuple[str, ...]]:
    """Which edit leaves changed which field, and the fields changed to different values."""
    changed: dict[str, tuple[RevisionKey, ...]] = {}
    hard: list[str] = []
    rows = [edit.data for edit in edits] + ([base.data] if base is not None else [])
    for name in field_names(rows):
        values = {edit.key: _text(edit.data.get(name)) for edit in edits}
        if base is None:  # no ancestor to tell one side's change from the other's: every difference counts twice
            changers = tuple(values) if len(set(values.values())) > 1 else ()
        else:
            before = _text(base.data.get(name))
            changers = tuple(key for key, value in values.items() if value != before)
        if changers:
            changed[name] = changers
            if len({values[key] for key in changers}) > 1:
                hard.append(name)
    return changed, tuple(hard)
