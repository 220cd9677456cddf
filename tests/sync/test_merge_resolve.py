"""Resolutions: one leaf whole, a leaf per field, the merge's own answer for a soft conflict, and both ways out of a
delete conflict; each a revision whose vector joins the leaves, so it dominates them wherever it travels."""

from __future__ import annotations

import itertools

import pytest

from mediation_desk.sync import vectors
from mediation_desk.sync.merge import Label, MergeError, RecordState, Revision, RevisionKey, analyse
from mediation_desk.sync.resolve import Choice, confirm_delete, differences, keep_edit, resolve
from tests.sync.test_merge_support import BASE_ROW, A, B, C, at, rev

TOWNSHIP = "dev-township"


def _soft() -> tuple[list[Revision], Revision, Revision]:
    base = rev(A, 1)
    here, there = rev(A, 2, base, place="西村"), rev(B, 1, base, hlc=at(2024, 6), amount=300)
    return [base, here, there], here, there


def _hard() -> tuple[list[Revision], Revision, Revision]:
    base = rev(A, 1)
    here, there = (
        rev(A, 2, base, place="西村", facts="甲方补充"),
        rev(B, 1, base, hlc=at(2024, 6), place="北村", amount=300),
    )
    return [base, here, there], here, there


def _delete() -> tuple[list[Revision], Revision, Revision]:
    base = rev(A, 1)
    edit, gone = rev(A, 2, base, place="西村"), rev(B, 1, base, deleted=True)
    return [base, edit, gone], edit, gone


def _settles(history: list[Revision], resolution: Revision) -> RecordState:
    """The resolution dominates every leaf, in every order the revisions are merged in."""
    for leaf in analyse(history).leaves:
        assert vectors.dominates(resolution.vv, leaf.vv)
    states = [analyse(order) for order in itertools.permutations([*history, resolution])]
    state = states[0]
    assert all(other == state for other in states)
    assert state.label is Label.NONE
    assert state.winner is resolution
    return state


def test_taking_one_leaf_whole() -> None:
    history, here, _there = _hard()
    resolution = resolve(analyse(history), Choice(take=here.key), device=TOWNSHIP, seq=1, hlc=at(2024, 7))
    assert resolution.data == here.data
    assert resolution.key == (TOWNSHIP, 1)
    assert resolution.vv == {A: 2, B: 1, TOWNSHIP: 1}
    assert resolution.hlc == at(2024, 7)
    _settles(history, resolution)


def test_a_field_by_field_choice() -> None:
    history, _here, there = _hard()
    state = analyse(history)
    resolution = resolve(state, Choice(fields={"place": there.key}), device=TOWNSHIP, seq=4, hlc=0)
    # the hard field as chosen; the fields only one side changed keep their change
    assert resolution.data == {**BASE_ROW, "place": "北村", "facts": "甲方补充", "amount": 300}
    _settles(history, resolution)


def test_a_soft_conflict_resolves_to_both_changes() -> None:
    history, _, _ = _soft()
    resolution = resolve(analyse(history), Choice(), device=TOWNSHIP, seq=1, hlc=0)
    assert resolution.data == {**BASE_ROW, "place": "西村", "amount": 300}
    assert not resolution.deleted
    _settles(history, resolution)


def test_a_hard_field_must_be_chosen() -> None:
    history, here, _ = _hard()
    state = analyse(history)
    for choice in (Choice(), Choice(fields={"amount": here.key})):
        with pytest.raises(MergeError, match="place") as caught:
            resolve(state, choice, device=TOWNSHIP, seq=1, hlc=0)
        assert caught.value.code == "fields_need_choice"
        assert caught.value.field == "place"


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        (Choice(take=RevisionKey(C, 9)), "not_a_leaf"),
        (Choice(take=RevisionKey(A, 1)), "not_a_leaf"),  # the common ancestor is no longer a leaf
        (Choice(fields={"place": RevisionKey(C, 9)}), "not_a_leaf"),
        (Choice(fields={"place": RevisionKey(B, 1), "nonsense": RevisionKey(B, 1)}), "unknown_field"),
        (Choice(take=RevisionKey(A, 2), fields={"place": RevisionKey(B, 1)}), "bad_choice"),
    ],
)
def test_a_choice_that_does_not_fit_is_refused(choice: Choice, code: str) -> None:
    history, _, _ = _hard()
    with pytest.raises(MergeError) as caught:
        resolve(analyse(history), choice, device=TOWNSHIP, seq=1, hlc=0)
    assert caught.value.code == code


def test_no_conflict_no_resolution() -> None:
    with pytest.raises(MergeError, match="没有冲突") as caught:
        resolve(analyse([rev(A, 1)]), Choice(), device=TOWNSHIP, seq=1, hlc=0)
    assert caught.value.code == "no_conflict"


def test_the_resolutions_number_must_be_new_for_its_device() -> None:
    history, here, _ = _hard()
    state = analyse(history)
    with pytest.raises(MergeError) as caught:
        resolve(state, Choice(take=here.key), device=A, seq=2, hlc=0)  # A's 2 is one of the leaves
    assert caught.value.code == "stale_seq"
    assert resolve(state, Choice(take=here.key), device=A, seq=3, hlc=0).vv == {A: 3, B: 1}


def test_a_delete_conflict_kept_as_the_edit() -> None:
    history, edit, _gone = _delete()
    state = analyse(history)
    kept = keep_edit(state, device=TOWNSHIP, seq=1, hlc=0)
    assert kept == resolve(state, Choice(take=edit.key), device=TOWNSHIP, seq=1, hlc=0)
    assert not kept.deleted
    assert kept.data == edit.data
    _settles(history, kept)


def test_a_delete_conflict_confirmed_as_a_tombstone() -> None:
    history, _edit, _gone = _delete()
    state = analyse(history)
    confirmed = confirm_delete(state, device=TOWNSHIP, seq=1, hlc=at(2001))
    assert confirmed.deleted
    assert confirmed.data == {}
    assert _settles(history, confirmed).winner.deleted


def test_a_delete_conflict_needs_a_decision() -> None:
    history, edit, gone = _delete()
    state = analyse(history)
    with pytest.raises(MergeError) as caught:
        resolve(state, Choice(), device=TOWNSHIP, seq=1, hlc=0)
    assert caught.value.code == "delete_needs_choice"
    with pytest.raises(MergeError) as caught:
        resolve(state, Choice(fields={"place": gone.key}), device=TOWNSHIP, seq=1, hlc=0)
    assert caught.value.code == "bad_choice"
    by_field = resolve(state, Choice(fields={"place": edit.key}), device=TOWNSHIP, seq=1, hlc=0)
    assert by_field.data == edit.data
    soft_history, _, _ = _soft()
    for helper in (keep_edit, confirm_delete):
        with pytest.raises(MergeError) as caught:
            helper(analyse(soft_history), device=TOWNSHIP, seq=1, hlc=0)
        assert caught.value.code == "not_a_delete_conflict"


def test_two_deletions_resolve_to_a_tombstone() -> None:
    base = rev(A, 1)
    state = analyse([base, rev(A, 2, base, deleted=True), rev(B, 1, base, deleted=True)])
    assert resolve(state, Choice(), device=TOWNSHIP, seq=1, hlc=0).deleted
    with pytest.raises(MergeError):
        resolve(state, Choice(fields={"place": RevisionKey(A, 2)}), device=TOWNSHIP, seq=1, hlc=0)


def test_a_resolution_meeting_an_edit_it_has_not_seen_is_a_new_conflict() -> None:
    history, here, _there = _hard()
    resolution = resolve(analyse(history), Choice(take=here.key), device=TOWNSHIP, seq=1, hlc=0)
    unseen = rev(C, 1, history[0], place="南村", amount=7)  # made at a third desk on the old base
    state = analyse([*history, resolution, unseen])
    assert {leaf.key for leaf in state.leaves} == {resolution.key, unseen.key}
    assert state.base is history[0]
    assert state.label is Label.HARD  # the place: 西村 as resolved, 南村 at the third desk
    assert state.hard_fields == ("place",)
    assert state.changed["amount"] == (unseen.key,)  # the resolution kept the base's amount


def test_differences_for_the_side_by_side_review() -> None:
    history, here, there = _hard()
    found = {d.name: d for d in differences(analyse(history))}
    assert sorted(found) == ["amount", "facts", "place"]
    place = found["place"]
    assert place.hard
    assert place.base == BASE_ROW["place"]
    assert place.values == {there.key: "北村", here.key: "西村"}
    assert list(place.values) == [there.key, here.key]  # the provisional winner first
    assert not found["amount"].hard
    assert found["amount"].changed_by == (there.key,)
    assert differences(analyse([rev(A, 1)])) == []
