"""The merge rules of SYNC.md, one by one: version vectors, revision identity, union and equivocation, leaves,
the provisional winner, and the labels none / soft / hard / delete against the common ancestor."""

from __future__ import annotations

import itertools
import unicodedata
import uuid

import pytest

from mediation_desk.sync import vectors
from mediation_desk.sync.merge import (
    Label,
    MergeError,
    Revision,
    RevisionKey,
    analyse,
    by_record,
    leaves,
    superseded_by_edit,
    union,
    winner,
)
from mediation_desk.sync.vectors import Order
from tests.sync.test_merge_support import BASE_ROW, RECORD, TABLE, A, B, C, at, keys, rev

# ---------------------------------------------------------------------------------------------------------------
# Version vectors


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ({A: 1}, {A: 1}, Order.EQUAL),
        ({}, {}, Order.EQUAL),
        ({A: 1}, {A: 2}, Order.BEFORE),
        ({A: 2, B: 1}, {A: 2}, Order.AFTER),
        ({A: 2}, {B: 1}, Order.CONCURRENT),
        ({A: 3, B: 1}, {A: 2, B: 2}, Order.CONCURRENT),
        ({A: 1, B: 0}, {A: 1}, Order.EQUAL),  # an absent device counts as 0
    ],
)
def test_compare(a: dict[str, int], b: dict[str, int], order: Order) -> None:
    assert vectors.compare(a, b) is order
    mirrored = {Order.BEFORE: Order.AFTER, Order.AFTER: Order.BEFORE}.get(order, order)
    assert vectors.compare(b, a) is mirrored
    assert vectors.dominates(a, b) == (order is Order.AFTER)
    assert vectors.descends(a, b) == (order in (Order.AFTER, Order.EQUAL))
    assert vectors.concurrent(a, b) == (order is Order.CONCURRENT)


def test_join_and_meet() -> None:
    assert vectors.join([{A: 3, B: 1}, {B: 4}, {}]) == {A: 3, B: 4}
    assert vectors.join([]) == {}
    assert vectors.meet([{A: 3, B: 1}, {A: 2, B: 4, C: 1}]) == {A: 2, B: 1}
    assert vectors.meet([{A: 3}, {B: 4}]) == {}
    assert vectors.meet([]) == {}
    joined = vectors.join([{A: 3, B: 1}, {A: 2, B: 4, C: 1}])
    assert vectors.descends(joined, {A: 3, B: 1})
    assert vectors.descends(joined, {A: 2, B: 4, C: 1})


# ---------------------------------------------------------------------------------------------------------------
# Revisions and their identity


def test_a_revisions_identity_is_device_and_sequence_number() -> None:
    first = rev(A, 1)
    assert first.key == RevisionKey(A, 1) == (A, 1)
    assert str(first.key) == f"{A}:1"
    assert RevisionKey.parse(f" {A}:1 ") == first.key
    assert RevisionKey.parse("0a00-uuid:with:colons:12") == RevisionKey("0a00-uuid:with:colons", 12)


@pytest.mark.parametrize("text", ["", "dev-a", "dev-a:", ":3", "dev-a:0", "dev-a:-1", "dev-a:x"])
def test_a_bad_key_is_refused(text: str) -> None:
    with pytest.raises(MergeError, match="修订编号") as caught:
        RevisionKey.parse(text)
    assert caught.value.code == "bad_key"


@pytest.mark.parametrize(
    "fields",
    [
        {"origin_seq": 0, "vv": {A: 0}},
        {"origin_seq": True, "vv": {A: 1}},
        {"vv": {A: 2}},  # the vector's own entry must be the revision's number
        {"vv": {B: 1}},
        {"vv": {A: 1, B: 0}},
        {"vv": [A, 1]},
        {"hlc": -1},
        {"deleted": 1},
        {"deleted": True},  # a tombstone carries no data
        {"origin_device": ""},
    ],
)
def test_a_malformed_revision_is_refused(fields: dict[str, object]) -> None:
    values: dict[str, object] = {
        "origin_device": A,
        "origin_seq": 1,
        "table": TABLE,
        "record_id": RECORD,
        "vv": {A: 1},
        "hlc": 5,
        "deleted": False,
        "data": BASE_ROW,
    }
    values.update(fields)
    with pytest.raises(MergeError) as caught:
        Revision(**values)  # type: ignore[arg-type]
    assert caught.value.code == "malformed"


def test_a_revision_from_the_logs_columns() -> None:
    device = uuid.UUID("12345678-1234-4234-8234-123456789abc")
    made = Revision.from_log(device, 7, TABLE, uuid.UUID(RECORD), f'{{"{device}":7}}', 99, False, '{"id":"x","n":1}')
    assert made.key == (str(device), 7)
    assert made.record_id == RECORD
    assert made.vv == {str(device): 7}
    assert made.data == {"id": "x", "n": 1}
    assert Revision.from_log(str(device), 7, TABLE, RECORD, {str(device): 7}, 99, False, {"id": "x", "n": 1}) == made


def test_a_revision_keeps_its_own_copies() -> None:
    vector, data = {A: 1}, dict(BASE_ROW)
    made = Revision(A, 1, TABLE, RECORD, vector, 1, False, data)
    vector[B], data["facts"] = 5, "changed afterwards"
    assert made.vv == {A: 1}
    assert made.data == BASE_ROW


# ---------------------------------------------------------------------------------------------------------------
# Union and equivocation


def test_union_adds_new_revisions_and_recognises_duplicates() -> None:
    first, second = rev(A, 1), rev(A, 2, rev(A, 1), facts="补充")
    held = {first.key: first}
    result = union(held, [second, first, second])
    assert keys(result.added) == [second.key]
    assert keys(result.present) == [first.key, second.key]
    assert result.equivocations == ()
    assert held == {first.key: first}  # the held set is not changed


def test_equivocation_is_reported_and_the_newcomer_refused() -> None:
    honest = rev(A, 1, facts="原样")
    forged = rev(A, 1, facts="篡改")
    result = union({honest.key: honest}, [forged])
    assert result.added == ()
    (found,) = result.equivocations
    assert found.kept is honest
    assert found.refused is forged
    assert found.code == "equivocation"
    assert A in found.message
    assert "拒收" in found.message


def test_equivocation_within_one_batch_keeps_the_first() -> None:
    honest, forged = rev(A, 1, hlc=10), rev(A, 1, hlc=11)
    result = union({}, [honest, forged])
    assert result.added == (honest,)
    assert [(e.kept, e.refused) for e in result.equivocations] == [(honest, forged)]


def test_nfc_and_nfd_spellings_of_one_revision_are_the_same_revision() -> None:
    name = "阮氏越"  # a name with a precomposed character in NFC
    composed = rev(A, 1, facts=unicodedata.normalize("NFC", name + "é"))
    decomposed = rev(A, 1, facts=unicodedata.normalize("NFD", name + "é"))
    assert composed.data != decomposed.data
    assert union({composed.key: composed}, [decomposed]).present == (decomposed,)


def test_by_record_groups_revisions() -> None:
    mine = rev(A, 1)
    other = Revision(A, 2, "party", "p-1", {A: 2}, 3, False, {"id": "p-1"})
    assert by_record([mine, other, mine]) == {(TABLE, RECORD): [mine, mine], ("party", "p-1"): [other]}


# ---------------------------------------------------------------------------------------------------------------
# Leaves and the provisional winner


def test_one_revision_is_the_current_row() -> None:
    only = rev(A, 1)
    state = analyse([only])
    assert state.label is Label.NONE
    assert state.leaves == (only,)
    assert state.winner is only
    assert not state.conflict
    assert state.missing == ()


def test_a_line_of_edits_fast_forwards_to_the_last() -> None:
    first = rev(A, 1)
    second = rev(B, 1, first, place="西村")
    third = rev(A, 2, second, amount=100)
    for order in itertools.permutations([first, second, third]):
        state = analyse(order)
        assert state.leaves == (third,)
        assert state.label is Label.NONE
    assert winner([first, third, second]) is third


def test_the_winner_is_an_edit_then_the_later_clock_then_the_device() -> None:
    base = rev(A, 1)
    early = rev(A, 2, base, hlc=at(2024, 5), place="甲")
    late = rev(B, 1, base, hlc=at(2024, 6), place="乙")
    assert winner([base, early, late]) is late
    tie_a, tie_c = rev(A, 2, base, hlc=at(2024, 6), place="甲"), rev(C, 1, base, hlc=at(2024, 6), place="丙")
    assert winner([base, tie_a, tie_c]) is tie_c  # same clock: the greater device id
    gone = rev(C, 1, base, hlc=at(2035), deleted=True)
    assert winner([base, early, gone]) is early  # an edit beats a later deletion


def test_leaves_are_the_same_in_every_order_and_with_duplicates() -> None:
    base = rev(A, 1)
    one, two, three = rev(A, 2, base, place="甲"), rev(B, 1, base, amount=5), rev(C, 1, base, facts="又一说")
    expected = analyse([base, one, two, three])
    assert len(expected.leaves) == 3
    for order in itertools.permutations([base, one, two, three, two]):
        assert analyse(order) == expected
        assert leaves(order) == expected.leaves


@pytest.mark.parametrize(
    ("revisions", "code"),
    [
        ([], "empty"),
        ([rev(A, 1), Revision(A, 2, "party", "p-1", {A: 2}, 3, False, {})], "mixed_records"),
        ([rev(A, 1, hlc=1), rev(A, 1, hlc=2)], "equivocation"),
    ],
)
def test_analyse_refuses_what_is_not_one_records_revisions(revisions: list[Revision], code: str) -> None:
    with pytest.raises(MergeError) as caught:
        analyse(revisions)
    assert caught.value.code == code


# ---------------------------------------------------------------------------------------------------------------
# Labels


def test_different_fields_changed_is_soft() -> None:
    base = rev(A, 1)
    here, there = rev(A, 2, base, place="西村"), rev(B, 1, base, hlc=at(2024, 6), amount=300)
    for order in itertools.permutations([base, here, there]):
        state = analyse(order)
        assert state.label is Label.SOFT
        assert state.base is base
        assert state.changed == {"place": (here.key,), "amount": (there.key,)}
        assert state.hard_fields == ()
        assert state.winner is there  # the later clock


def test_the_same_field_changed_differently_is_hard() -> None:
    base = rev(A, 1)
    here, there = rev(A, 2, base, place="西村", amount=1), rev(B, 1, base, hlc=at(2024, 6), place="北村")
    for order in itertools.permutations([base, here, there]):
        state = analyse(order)
        assert state.label is Label.HARD
        assert state.hard_fields == ("place",)
        assert state.changed == {"amount": (here.key,), "place": (there.key, here.key)}


def test_the_same_field_changed_alike_is_soft() -> None:
    base = rev(A, 1)
    state = analyse([base, rev(A, 2, base, place="西村"), rev(B, 1, base, place="西村")])
    assert state.label is Label.SOFT
    assert state.hard_fields == ()
    assert set(state.changed["place"]) == {(A, 2), (B, 1)}


def test_a_concurrent_delete_and_edit_is_a_delete_conflict_won_by_the_edit() -> None:
    base = rev(A, 1)
    edit, gone = rev(A, 2, base, hlc=at(2024, 3), place="西村"), rev(B, 1, base, hlc=at(2024, 9), deleted=True)
    for order in itertools.permutations([base, edit, gone]):
        state = analyse(order)
        assert state.label is Label.DELETE
        assert state.winner is edit
        assert state.leaves == (edit, gone)
        assert state.changed == {"place": (edit.key,)}


def test_two_deletions_agree() -> None:
    base = rev(A, 1)
    state = analyse([base, rev(A, 2, base, deleted=True), rev(B, 1, base, deleted=True)])
    assert state.label is Label.SOFT
    assert state.winner.deleted


def test_three_sides_with_a_delete_among_them() -> None:
    base = rev(A, 1)
    one, two, gone = rev(A, 2, base, place="甲"), rev(B, 1, base, place="乙"), rev(C, 1, base, deleted=True)
    state = analyse([gone, two, base, one])
    assert state.label is Label.DELETE
    assert state.hard_fields == ("place",)
    assert not state.winner.deleted


def test_a_field_a_revision_does_not_carry_counts_as_null() -> None:
    base = rev(A, 1)
    newer = rev(B, 1, base, notes=None)  # a column added later, still empty
    other = rev(A, 2, base, place="西村")
    state = analyse([base, newer, other])
    assert state.label is Label.SOFT
    assert "notes" not in state.changed


def test_the_common_ancestor_is_the_latest_revision_all_leaves_descend_from() -> None:
    first = rev(A, 1)
    middle = rev(B, 1, first, facts="经调查补充")
    here, there = rev(A, 2, middle, place="西村"), rev(C, 1, middle, facts="又改")
    state = analyse([first, middle, here, there])
    assert state.base is middle
    assert state.label is Label.SOFT  # against ``first`` both would have changed the facts


def test_an_edit_of_the_current_row_would_supersede_the_editors_own_losing_leaf() -> None:
    base = rev(A, 1)
    mine, theirs = rev(A, 2, base, hlc=at(2024, 2), place="西村"), rev(B, 1, base, hlc=at(2024, 3), amount=3)
    state = analyse([base, mine, theirs])
    assert state.winner is theirs
    assert superseded_by_edit(state, A) == (mine,)  # A's next edit, made on B's row, would dominate A's own change
    assert superseded_by_edit(state, B) == ()
    assert superseded_by_edit(state, C) == ()
    edit = rev(A, 3, theirs, facts="再改")
    assert analyse([base, mine, theirs, edit]).leaves == (edit,)
    assert superseded_by_edit(analyse([base]), A) == ()
