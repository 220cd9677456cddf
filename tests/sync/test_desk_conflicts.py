"""Conflicts between real desks: a township and a village change one case concurrently. Hard, soft and delete
conflicts get the same label, leaves and provisional winner on every desk; a resolution at the township clears
them at the township, the village and the county; a local edit of a record in conflict joins its leaves."""

from __future__ import annotations

import uuid

import pytest

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.sync.conflicts import list_conflicts, resolve_conflict
from mediation_desk.store.models import DisputeCase
from tests.sync.test_desk_support import (
    COUNTY,
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    content,
    edit_case,
    ledger,
    open_conflicts,
    receive,
    send,
    world,
    world_template,
)

__all__ = ["world", "world_template"]
VILLAGE = VILLAGES[0][0]


def _shared_case(world: World) -> uuid.UUID:
    """A village case that the township holds too (and the village holds the township's receipt)."""
    ledger(world.village_a, world.files, 2, seed=31)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))
    assert receive(world.township, world.file("a0.mdsync")).ok
    return case_ids(world.village_a)[0]


def _exchange(world: World, tag: str) -> None:
    """The village's news to the township, the township's to the village."""
    send(world.village_a, TOWNSHIP[0], world.file(f"a-{tag}.mdsync"))
    send(world.township, VILLAGE, world.file(f"t-{tag}.mdsync"))
    assert receive(world.township, world.file(f"a-{tag}.mdsync")).ok
    assert receive(world.village_a, world.file(f"t-{tag}.mdsync")).ok


def _facts(desk: object, case: uuid.UUID) -> str | None:
    with desk.read() as session:  # type: ignore[attr-defined]
        row = session.get(DisputeCase, case)
        return None if row is None else row.facts


@pytest.mark.parametrize(
    ("township_edit", "village_edit", "label"),
    [
        ({"facts": "乡镇改的案情"}, {"facts": "村里改的案情"}, "hard"),
        ({"place": "乡镇写的地点"}, {"facts": "村里改的案情"}, "soft"),
    ],
    ids=["hard", "soft"],
)
def test_a_concurrent_edit_is_the_same_conflict_at_both_desks(
    world: World, township_edit: dict[str, str], village_edit: dict[str, str], label: str
) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, **township_edit)
    edit_case(world.village_a, case, **village_edit)
    _exchange(world, "1")
    at_township, at_village = open_conflicts(world.township), open_conflicts(world.village_a)
    assert at_township == at_village
    assert len(at_township) == 1
    [(table, record, found_label, _leaves)] = at_township
    assert (table, record, found_label) == ("dispute_case", str(case), label)
    shown = content(world.township, ["dispute_case"], portable=True)
    assert shown == content(world.village_a, ["dispute_case"], portable=True)  # one provisional winner everywhere
    [listed] = list_conflicts(world.township)
    assert listed.label == label
    assert len(listed.leaves) == 2
    changed = {field.name for field in listed.fields}
    assert set(township_edit) | set(village_edit) <= changed
    assert all(field.hard == (label == "hard") for field in listed.fields if field.name in village_edit)


def test_a_delete_against_an_edit_shows_the_edit(world: World) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, facts="乡镇补充的案情")
    with world.village_a.write("test.delete", Permission.EDIT_CASE) as work:
        row = work.session.get(DisputeCase, case)
        assert row is not None
        work.session.delete(row)
    _exchange(world, "1")
    labels = {(table, label) for table, _record, label, _leaves in open_conflicts(world.township)}
    assert ("dispute_case", "delete") in labels
    assert open_conflicts(world.township) == open_conflicts(world.village_a)
    assert _facts(world.township, case) == _facts(world.village_a, case) == "乡镇补充的案情"


def test_a_resolution_at_the_township_clears_the_conflict_everywhere(world: World) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情", place="村委会")
    _exchange(world, "1")
    [conflict] = list_conflicts(world.township)
    village_leaf = next(leaf.key for leaf in conflict.leaves if "示例村" in leaf.org)
    township_leaf = next(leaf.key for leaf in conflict.leaves if "五云街道" in leaf.org)
    with pytest.raises(DomainError, match="facts"):
        resolve_conflict(world.township, conflict.id, fields={"place": village_leaf})  # facts must be chosen too
    resolved = resolve_conflict(world.township, conflict.id, fields={"facts": township_leaf, "place": village_leaf})
    assert open_conflicts(world.township) == set()
    with world.township.read() as session:
        row = session.get(DisputeCase, case)
        assert row is not None
        assert (row.facts, row.place) == ("乡镇改的案情", "村委会")
        assert f"{row.rev_device}:{row.rev_seq}" == resolved.revision
    send(world.township, VILLAGE, world.file("t-2.mdsync"))
    assert receive(world.village_a, world.file("t-2.mdsync")).ok
    assert open_conflicts(world.village_a) == set()
    assert _facts(world.village_a, case) == "乡镇改的案情"
    send(world.township, COUNTY[0], world.file("up.mdsync"))
    assert receive(world.county, world.file("up.mdsync")).ok
    assert open_conflicts(world.county) == set()
    assert _facts(world.county, case) == "乡镇改的案情"
    assert content(world.county, ["dispute_case"], portable=True) == content(
        world.township, ["dispute_case"], portable=True
    )


def test_the_county_sees_the_conflict_and_the_resolution_clears_it_there(world: World) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情")
    _exchange(world, "1")
    send(world.township, COUNTY[0], world.file("up1.mdsync"))
    assert receive(world.county, world.file("up1.mdsync")).ok
    assert open_conflicts(world.county) == open_conflicts(world.township)
    [conflict] = list_conflicts(world.township)
    resolve_conflict(world.township, conflict.id, take=conflict.leaves[-1].key)
    send(world.township, COUNTY[0], world.file("up2.mdsync"))
    assert receive(world.county, world.file("up2.mdsync")).ok
    assert open_conflicts(world.county) == set()


def test_a_local_edit_of_a_record_in_conflict_joins_all_its_leaves(world: World) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情")
    _exchange(world, "1")
    assert len(open_conflicts(world.township)) == 1
    edit_case(world.township, case, facts="乡镇看过两边后定的案情")
    assert open_conflicts(world.township) == set()  # the edit supersedes both branches
    send(world.township, VILLAGE, world.file("t-2.mdsync"))
    assert receive(world.village_a, world.file("t-2.mdsync")).ok
    assert open_conflicts(world.village_a) == set()
    assert _facts(world.village_a, case) == "乡镇看过两边后定的案情"


def test_resolving_needs_an_open_conflict_and_a_leaf(world: World) -> None:
    case = _shared_case(world)
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情")
    _exchange(world, "1")
    [conflict] = list_conflicts(world.township)
    with pytest.raises(DomainError, match="不是这条记录当前的分支"):
        resolve_conflict(world.township, conflict.id, take=f"{uuid.uuid4()}:1")
    with pytest.raises(DomainError, match="修订编号"):
        resolve_conflict(world.township, conflict.id, take="nonsense")
    with pytest.raises(DomainError, match="没有编号为 999"):
        resolve_conflict(world.township, 999, take=conflict.leaves[0].key)
    resolve_conflict(world.township, conflict.id, take=conflict.leaves[0].key)
    with pytest.raises(DomainError, match="未解决冲突"):
        resolve_conflict(world.township, conflict.id, take=conflict.leaves[0].key)
