"""Order, gaps and clocks on real desks: the same files in every order give the same content and conflicts; a
revision before the one it follows is a gap, not a conflict; clocks in 2001 or 2035, or going backwards, change
nothing that merges."""

from __future__ import annotations

import itertools
import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.domain import hlc as clock
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.sync.conflicts import list_conflicts, resolve_conflict
from mediation_desk.store.models import DeviceState, DisputeCase, Revision
from mediation_desk.sync.lines import SignedRevision
from tests.sync.test_desk_support import (
    COUNTY,
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    craft,
    edit_case,
    ledger,
    log_set,
    open_conflicts,
    receive,
    send,
    signed,
    synced_hash,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


@dataclass
class Files:
    at_township: list[Path]  # A's first, A's second (an edit and a delete), B's first, the county's (an edit)
    at_county: list[Path]  # township files: before the conflict, with it, with its resolution


def _scenario(world: World) -> Files:
    ledger(world.village_a, world.files, 4, seed=41)
    ledger(world.village_b, world.files, 3, seed=42)
    a1, b1 = (
        send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync")),
        send(world.village_b, TOWNSHIP[0], world.file("b1.mdsync")),
    )
    assert receive(world.township, a1.path, b1.path).ok
    send(world.township, VILLAGES[0][0], world.file("t-a.mdsync"))
    assert receive(world.village_a, world.file("t-a.mdsync")).ok  # A's next file is incremental
    first, second = case_ids(world.village_a)[:2]
    edit_case(world.township, first, facts="乡镇改的案情")
    t1 = send(world.township, COUNTY[0], world.file("t1.mdsync"))
    assert receive(world.county, t1.path).ok
    send(world.county, TOWNSHIP[0], world.file("c-t.mdsync"))
    assert receive(world.township, world.file("c-t.mdsync")).ok  # the township's next file is incremental
    edit_case(world.county, first, facts="县里改的案情")
    c1 = send(world.county, TOWNSHIP[0], world.file("c1.mdsync"))
    edit_case(world.village_a, first, facts="村里改的案情")
    with world.village_a.write("test.delete", Permission.EDIT_CASE) as work:
        row = work.session.get(DisputeCase, second)
        assert row is not None
        work.session.delete(row)
    a2 = send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert receive(world.township, a2.path, c1.path).ok
    assert open_conflicts(world.township)
    t2 = send(world.township, COUNTY[0], world.file("t2.mdsync"))
    [conflict] = list_conflicts(world.township)
    resolve_conflict(world.township, conflict.id, take=conflict.leaves[-1].key)
    t3 = send(world.township, COUNTY[0], world.file("t3.mdsync"))
    assert a2.revisions < a1.revisions
    assert t2.revisions < t1.revisions
    assert t3.revisions == t2.revisions + 1  # no receipt for t2 yet: t3 overlaps it, and adds the resolution
    return Files([a1.path, a2.path, b1.path, c1.path], [t1.path, t2.path, t3.path])


def _fresh(template: Path, name: str, folder: Path) -> Desk:
    shutil.copytree(template / name, folder, ignore=shutil.ignore_patterns("*.lock"))
    return Desk.open(folder, Actor.local_operator("test"), lock=True)


def _outcome(desk: Desk) -> tuple[str, set[str], set[tuple[str, str, str, str]]]:
    return synced_hash(desk), log_set(desk), open_conflicts(desk)


@pytest.mark.parametrize("where", ["township", "county"])
def test_every_order_of_the_files_gives_the_same_content_and_conflicts(
    world: World, world_template: Path, tmp_path: Path, where: str
) -> None:
    files = _scenario(world)
    paths = files.at_township if where == "township" else files.at_county
    outcomes = []
    for number, order in enumerate(itertools.permutations(paths)):
        desk = _fresh(world_template, where, tmp_path / f"{where}-{number}")
        try:
            report = receive(desk, *order)
            assert report.ok, [item.messages for item in report.files]
            receive(desk, *reversed(order))  # every file again: nothing changes
            outcomes.append(_outcome(desk))
        finally:
            desk.close()
    assert all(outcome == outcomes[0] for outcome in outcomes)
    if where == "county":
        assert outcomes[0][2] == set()  # the resolution joins every leaf, whatever the order it arrived in
    else:
        assert {label for _t, _r, label, _l in outcomes[0][2]} == {"hard"}  # the county's edit against A's


def _next_seq(desk: Desk) -> int:
    with desk.read() as session:
        state = session.get(DeviceState, 1)
        assert state is not None
        return state.last_seq + 1


def _new_case(
    world: World, seq: int, *, facts: str, vv: dict[str, int] | None = None, hlc: int | None = None, record: uuid.UUID
) -> SignedRevision:
    with world.village_a.read() as session:
        template = session.scalar(sa.select(Revision.data).where(Revision.table_name == "dispute_case").limit(1))
    data = json.loads(template or "{}")
    data.update({"id": str(record), "facts": facts, "number": None, "ledger_key": None})
    fields: dict[str, object] = {"origin_seq": seq, "table": "dispute_case", "record_id": record, "data": data}
    if vv is not None:
        fields["vv"] = vv
    if hlc is not None:
        fields["hlc"] = hlc
    return signed(world.village_a, **fields)


def test_a_revision_before_the_one_it_follows_is_a_gap_and_not_a_conflict(world: World) -> None:
    ledger(world.village_a, world.files, 1, seed=43)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    seq = _next_seq(world.village_a)
    record = uuid.uuid4()
    first = _new_case(world, seq, facts="第一版", record=record)
    second = _new_case(world, seq + 1, facts="第二版", record=record)
    craft(world.village_a, world.township, world.file("58.mdsync"), [second])  # 58 arrives first
    craft(world.village_a, world.township, world.file("57.mdsync"), [first])
    early = receive(world.township, world.file("58.mdsync"))
    [item] = early.files
    assert item.status == "WARNING"
    assert [m.code for m in item.messages] == ["sequence_gap"]
    assert f"第 {seq} 号修订尚未收到" in item.messages[0].text
    assert open_conflicts(world.township) == set()
    late = receive(world.township, world.file("57.mdsync"))
    assert late.files[0].status == "OK"
    assert late.files[0].tallies["dispute_case"].unchanged == 1
    assert open_conflicts(world.township) == set()
    with world.township.read() as session:
        row = session.get(DisputeCase, record)
        assert row is not None
        assert row.facts == "第二版"


@pytest.mark.parametrize(
    ("first_year", "second_year"), [(2035, 2001), (2001, 2035), (2026, 2026)], ids=["backwards", "2001-2035", "same"]
)
def test_clocks_in_2001_and_2035_or_going_backwards_change_nothing_that_merges(
    world: World, first_year: int, second_year: int
) -> None:
    ledger(world.village_a, world.files, 1, seed=44)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    seq = _next_seq(world.village_a)
    record = uuid.uuid4()
    stamp = [clock.tick(0, datetime(year, 6, 1, tzinfo=UTC)) for year in (first_year, second_year)]
    first = _new_case(world, seq, facts="先改", record=record, hlc=stamp[0])
    second = _new_case(world, seq + 1, facts="后改", record=record, hlc=stamp[1])
    craft(world.village_a, world.township, world.file("clock.mdsync"), [second, first])
    report = receive(world.township, world.file("clock.mdsync"))
    assert report.ok
    assert open_conflicts(world.township) == set()
    with world.township.read() as session:
        row = session.get(DisputeCase, record)
        assert row is not None
        assert row.facts == "后改"
        state = session.get(DeviceState, 1)
        assert state is not None
        assert clock.physical(state.hlc) < datetime.now(UTC) + timedelta(minutes=11)  # 2035 drags nothing
    codes = {message.code for message in report.files[0].messages}
    assert ("clock_skew" in codes) == (2035 in (first_year, second_year))
