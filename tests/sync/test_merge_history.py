"""Incomplete and odd histories: ancestors that have not arrived (children before parents, lost deliveries),
two latest common ancestors, sequence gaps, and clocks in 2001, in 2035 or going backwards."""

from __future__ import annotations

import pytest

from mediation_desk.sync.gaps import Gap, gaps, watermarks
from mediation_desk.sync.merge import Label, Revision, analyse
from mediation_desk.sync.resolve import Choice, resolve
from tests.sync.test_merge_support import A, B, C, at, keys, rev

# ---------------------------------------------------------------------------------------------------------------
# A missing common ancestor


def test_a_child_before_its_parent_is_accepted_and_names_the_parent() -> None:
    parent = rev(A, 1)
    child = rev(B, 1, parent, place="西村")
    state = analyse([child])
    assert state.label is Label.NONE
    assert state.winner is child
    assert state.missing == ((A, 1),)
    assert analyse([child, parent]).missing == ()
    assert analyse([child, parent]).leaves == (child,)


def test_without_the_common_ancestor_every_difference_is_hard() -> None:
    base = rev(A, 1)
    here, there = rev(A, 2, base, place="西村"), rev(B, 1, base, amount=300)
    state = analyse([here, there])  # the base was lost on the way
    assert state.base is None
    assert state.missing == ((A, 1),)
    assert state.label is Label.HARD
    assert state.hard_fields == ("amount", "place")
    assert analyse([here, there, base]).label is Label.SOFT  # once it arrives, the true label


def test_without_the_common_ancestor_identical_leaves_are_soft() -> None:
    base = rev(A, 1)
    state = analyse([rev(A, 2, base, place="西村"), rev(B, 1, base, place="西村")])
    assert state.base is None
    assert state.label is Label.SOFT


def test_an_older_ancestor_never_stands_in_for_a_missing_one() -> None:
    # The truth: after ``middle`` set the place, one side set it back and the other changed it again: hard.
    # Measured against ``first`` instead, the side that set it back would seem not to have changed it: soft.
    first = rev(A, 1, place="东村")
    middle = rev(B, 1, first, place="西村")
    back, again = rev(A, 2, middle, place="东村"), rev(C, 1, middle, place="北村")
    assert analyse([first, middle, back, again]).label is Label.HARD
    state = analyse([first, back, again])
    assert state.base is None
    assert state.missing == ((B, 1),)
    assert state.label is Label.HARD


def test_two_latest_common_ancestors_are_classified_without_one() -> None:
    base = rev(A, 1)
    here, there = rev(A, 2, base, place="西村"), rev(B, 1, base, place="北村")
    conflict = analyse([base, here, there])
    same_a = resolve(conflict, Choice(take=here.key), device=A, seq=3, hlc=at(2024, 2))
    same_c = resolve(conflict, Choice(take=here.key), device=C, seq=1, hlc=at(2024, 3))
    agreeing = analyse([base, here, there, same_a, same_c])
    assert len(agreeing.leaves) == 2
    assert agreeing.base is None
    assert agreeing.missing == ()
    assert agreeing.label is Label.SOFT  # both resolutions chose alike
    other_c = resolve(conflict, Choice(take=there.key), device=C, seq=1, hlc=at(2024, 3))
    disagreeing = analyse([base, here, there, same_a, other_c])
    assert disagreeing.label is Label.HARD
    assert disagreeing.hard_fields == ("place",)


# ---------------------------------------------------------------------------------------------------------------
# Sequence gaps


def test_seq_58_before_57_is_a_gap_and_no_conflict() -> None:
    line: list[Revision] = [rev(A, 1)]
    for seq in range(2, 59):
        line.append(rev(A, seq, line[-1], amount=seq))
    held = [*line[:56], line[57]]  # 1 … 56 and 58
    assert [r.origin_seq for r in held][-2:] == [56, 58]
    state = analyse(held)
    assert state.label is Label.NONE
    assert state.leaves == (line[57],)
    assert gaps(r.key for r in held) == (Gap(A, 57, 57),)
    assert "第 57 号" in gaps(r.key for r in held)[0].message
    assert watermarks(r.key for r in held) == {A: 56}
    everything = [*held, line[56]]
    assert analyse(everything).leaves == (line[57],)
    assert gaps(r.key for r in everything) == ()
    assert watermarks(r.key for r in everything) == {A: 58}


def test_gaps_are_runs_per_device() -> None:
    held = [(A, 1), (A, 2), (A, 5), (A, 9), (B, 3), (C, 1), (C, 1)]
    assert gaps(held) == (Gap(A, 3, 4), Gap(A, 6, 8), Gap(B, 1, 2))
    assert Gap(A, 3, 4).count == 2
    assert "共 2 条" in Gap(A, 3, 4).message
    assert watermarks(held) == {A: 2, B: 0, C: 1}


def test_an_expected_last_number_makes_a_lost_last_file_a_gap() -> None:
    assert gaps([(A, 1), (A, 2)], expected={A: 4, B: 2}) == (Gap(A, 3, 4), Gap(B, 1, 2))
    assert gaps([(A, 1), (A, 2)], expected={A: 1}) == ()


# ---------------------------------------------------------------------------------------------------------------
# Clocks


def _history(stamps: list[int]) -> list[Revision]:
    """A soft conflict, a hard one on top of its resolution, and a deletion, stamped with ``stamps``."""
    base = rev(A, 1, hlc=stamps[0])
    here, there = rev(A, 2, base, hlc=stamps[1], place="西村"), rev(B, 1, base, hlc=stamps[2], amount=5)
    merged = resolve(analyse([base, here, there]), Choice(), device=C, seq=1, hlc=stamps[3])
    one, two = rev(A, 3, merged, hlc=stamps[4], facts="甲说"), rev(B, 2, merged, hlc=stamps[5], facts="乙说")
    gone = rev(C, 2, merged, hlc=stamps[6], deleted=True)
    return [base, here, there, merged, one, two, gone]


@pytest.mark.parametrize(
    "stamps",
    [
        [at(2001, 1, day) for day in range(1, 8)],  # a laptop whose clock says 2001
        [at(2035, 1, day) for day in range(1, 8)],  # and one that says 2035
        [at(2024, 1, 8 - day) for day in range(1, 8)],  # clocks going backwards at every step
        [at(2035), at(2001), at(2024), at(2001), at(2035), at(2001), at(2024)],
        [0, 0, 0, 0, 0, 0, 0],
    ],
)
def test_clocks_never_change_leaves_or_labels(stamps: list[int]) -> None:
    reference = analyse(_history([at(2024, 1, day) for day in range(1, 8)]))
    history = _history(stamps)
    for order in (history, history[::-1]):
        state = analyse(order)
        assert set(keys(state.leaves)) == set(keys(reference.leaves))
        assert state.label is reference.label is Label.DELETE
        assert state.hard_fields == reference.hard_fields == ("facts",)
        assert {name: set(by) for name, by in state.changed.items()} == {
            name: set(by) for name, by in reference.changed.items()
        }
        assert state.base is not None
        assert reference.base is not None
        assert state.base.key == reference.base.key
        assert not state.winner.deleted  # the tie-break may follow the clocks; an edit still beats a tombstone
