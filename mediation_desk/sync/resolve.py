"""Resolving a conflict (SYNC.md): a new revision that joins all the leaves, so it dominates them wherever it goes.

A clerk either takes one leaf whole (``Choice(take=key)``: for a delete conflict, taking the edit keeps it and
taking the tombstone confirms the deletion) or picks, field by field, which leaf's value stands
(``Choice(fields={name: key})``). Fields not named follow the merge: a field that only one side changed (or that
both changed alike) keeps the change, a field nobody changed keeps its value. A field changed differently on two
sides must be named, and so must the way out of a delete conflict: the merge never decides those on its own.

The new revision's vector is the join of the leaves' vectors with this device's next sequence number, so it
dominates every leaf on every desk, and where it meets a revision it has not seen, a new conflict is shown there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync import vectors
from mediation_desk.sync.merge import Label, MergeError, RecordState, Revision, RevisionKey, field_names


@dataclass(frozen=True, slots=True)
class Choice:
    """How a conflict is resolved: one leaf whole, or a leaf per field (nothing named: the merge's own answer)."""

    take: RevisionKey | None = None
    fields: Mapping[str, RevisionKey] = field(default_factory=dict)


def resolve(state: RecordState, choice: Choice, *, device: str, seq: int, hlc: int) -> Revision:
    """The resolution of ``state``'s conflict by ``device`` as its revision number ``seq``, stamped ``hlc``."""
    if not state.conflict:
        raise MergeError("这条记录没有冲突，无需解决", code="no_conflict")
    if choice.take is not None and choice.fields:
        raise MergeError("整条采用某一方与逐字段选择只能用一种", code="bad_choice")
    vector = vectors.join(leaf.vv for leaf in state.leaves)
    if seq <= vector.get(device, 0):
        raise MergeError(f"解决冲突的修订序号 {seq} 不大于本设备已用过的序号", code="stale_seq")
    vector[device] = seq
    if choice.take is not None:
        chosen = state.leaf(choice.take)
        deleted, data = chosen.deleted, dict(chosen.data)
    else:
        deleted, data = _merged(state, choice.fields)
    return Revision(device, seq, state.table, state.record_id, vector, hlc, deleted, data)


def keep_edit(state: RecordState, *, device: str, seq: int, hlc: int) -> Revision:
    """A delete conflict resolved for the edit: the provisional winner (an edit) stands whole."""
    if state.label is not Label.DELETE:
        raise MergeError("这条记录没有删除冲突", code="not_a_delete_conflict")
    return resolve(state, Choice(take=state.winner.key), device=device, seq=seq, hlc=hlc)


def confirm_delete(state: RecordState, *, device: str, seq: int, hlc: int) -> Revision:
    """A delete conflict resolved for the deletion: a tombstone that dominates the edit."""
    if state.label is not Label.DELETE:
        raise MergeError("这条记录没有删除冲突", code="not_a_delete_conflict")
    tombstone = next(leaf for leaf in state.leaves if leaf.deleted)
    return resolve(state, Choice(take=tombstone.key), device=device, seq=seq, hlc=hlc)


def _merged(state: RecordState, chosen: Mapping[str, RevisionKey]) -> tuple[bool, dict[str, JSONValue]]:
    edits = [leaf for leaf in state.leaves if not leaf.deleted]
    if not edits:  # every leaf is a tombstone: they agree
        if chosen:
            raise MergeError("这条记录已被删除，没有字段可选", code="bad_choice")
        return True, {}
    if state.label is Label.DELETE and not chosen:
        raise MergeError("一方删除了这条记录：请选择保留修改的一方或确认删除", code="delete_needs_choice")
    names = field_names(edit.data for edit in edits)
    _check_fields(state, chosen, names)
    data: dict[str, JSONValue] = {}
    for name in names:
        if name in chosen:
            source = state.leaf(chosen[name])
        elif name in state.changed:  # changed on one side, or alike on several
            source = state.leaf(state.changed[name][0])
        else:
            source = edits[0]
        data[name] = source.data.get(name)
    return False, data


def _check_fields(state: RecordState, chosen: Mapping[str, RevisionKey], names: list[str]) -> None:
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        raise MergeError(f"这条记录没有字段：{'、'.join(unknown)}", code="unknown_field", field=unknown[0])
    for name, key in chosen.items():
        if state.leaf(key).deleted:
            raise MergeError(f"字段 {name} 选了删除的一方，删除的一方没有字段可选", code="bad_choice", field=name)
    open_fields = [name for name in state.hard_fields if name not in chosen]
    if open_fields:
        raise MergeError(
            f"这些字段两边改得不同，请逐一选择采用哪一方：{'、'.join(open_fields)}",
            code="fields_need_choice",
            field=open_fields[0],
        )


@dataclass(frozen=True, slots=True)
class Difference:
    """One field of a conflict, for the side-by-side review: its value in the common ancestor and in each leaf."""

    name: str
    base: JSONValue
    values: Mapping[RevisionKey, JSONValue]  # the edit leaves, the provisional winner first
    changed_by: tuple[RevisionKey, ...]
    hard: bool


def differences(state: RecordState) -> list[Difference]:
    """The fields that some leaf changed, in name order (nothing for a record without a conflict)."""
    edits = [leaf for leaf in state.leaves if not leaf.deleted]
    base = state.base.data if state.base is not None else {}
    return [
        Difference(
            name,
            base.get(name),
            {edit.key: edit.data.get(name) for edit in edits},
            changers,
            name in state.hard_fields,
        )
        for name, changers in sorted(state.changed.items())
    ]
