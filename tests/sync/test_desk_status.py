"""``sync status`` on real desks, records that arrive before their case, and the county's word reaching a village
through its township's certificate."""

from __future__ import annotations

import uuid
from datetime import date

from mediation_desk.services.sync.status import sync_status
from mediation_desk.store.models import DisputeCase, Party
from mediation_desk.store.sync_models import SyncHeld
from tests.sync.test_desk_support import (
    COUNTY,
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    craft,
    edit_case,
    ledger,
    open_conflicts,
    receive,
    send,
    signed,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


def test_the_township_sees_each_village_its_gaps_conflicts_and_silence(world: World) -> None:
    ledger(world.village_a, world.files, 3, seed=61)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    send(world.village_b, TOWNSHIP[0], world.file("b1.mdsync"))  # nothing to report: still a file
    assert receive(world.township, world.file("a1.mdsync"), world.file("b1.mdsync")).ok
    case = case_ids(world.village_a)[0]
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情")
    send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert receive(world.township, world.file("a2.mdsync")).ok
    status = sync_status(world.township)
    by_org = {item.peer.org: item for item in status.peers}
    assert set(by_org) == {*(code for code, _ in VILLAGES), COUNTY[0]}
    a, b, c = (by_org[code] for code, _ in VILLAGES)
    assert (a.files, b.files, c.files) == (2, 1, 0)
    assert (a.conflicts, b.conflicts, c.conflicts) == (1, 0, 0)
    assert a.gaps == []
    assert b.gaps == []
    assert [item.peer.org for item in status.silent] == [VILLAGES[2][0]]
    assert status.open_conflicts == 1
    later = sync_status(world.township, today=date(2099, 1, 15))
    assert {item.peer.org for item in later.silent} == {code for code, _ in VILLAGES}
    as_json = status.to_json()
    assert as_json["silent_this_month"] == [VILLAGES[2][0]]
    assert {peer["org"]: peer["open_conflicts"] for peer in as_json["peers"]}[VILLAGES[0][0]] == 1


def test_a_gap_in_a_villages_log_shows_in_the_status(world: World) -> None:
    ledger(world.village_a, world.files, 1, seed=62)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    record = uuid.uuid4()
    late = signed(
        world.village_a,
        origin_seq=500,
        table="mediator",
        record_id=record,
        data={"id": str(record), "org_id": _village_org(world), "name": "调解员丁"},
    )
    craft(world.village_a, world.township, world.file("late.mdsync"), [late])
    assert receive(world.township, world.file("late.mdsync")).ok
    [a] = [item for item in sync_status(world.township).peers if item.peer.org == VILLAGES[0][0]]
    assert len(a.gaps) == 1
    assert a.gaps[0].last == 499


def _village_org(world: World) -> str:
    with world.village_a.read() as session:
        case = session.get(DisputeCase, case_ids(world.village_a)[0])
        assert case is not None
        return str(case.org_id)


def test_a_party_that_arrives_before_its_case_is_kept_and_shown_once_the_case_arrives(world: World) -> None:
    ledger(world.village_a, world.files, 1, seed=63)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    case, party = uuid.uuid4(), uuid.uuid4()
    with world.village_a.read() as session:
        template = session.get(DisputeCase, case_ids(world.village_a)[0])
        assert template is not None
        case_data = {
            "id": str(case),
            "org_id": str(template.org_id),
            "intake_date": "2025-04-01",
            "source": "application",
            "category": "01",
            "status": "accepted",
            "facts": "先到的当事人所属的案件",
        }
    child = signed(
        world.village_a,
        origin_seq=900,
        table="party",
        record_id=party,
        data={"id": str(party), "case_id": str(case), "name": "赵六", "role": "applicant", "position": 0},
    )
    parent = signed(world.village_a, origin_seq=901, table="dispute_case", record_id=case, data=case_data)
    craft(world.village_a, world.township, world.file("child.mdsync"), [child])
    craft(world.village_a, world.township, world.file("parent.mdsync"), [parent])
    first = receive(world.township, world.file("child.mdsync"))
    assert first.ok
    assert "held" in {message.code for message in first.files[0].messages}
    with world.township.read() as session:
        assert session.get(Party, party) is None
        assert session.get(SyncHeld, ("party", party)) is not None
    second = receive(world.township, world.file("parent.mdsync"))
    assert second.ok
    assert second.files[0].tallies["party"].created == 1
    with world.township.read() as session:
        shown = session.get(Party, party)
        assert shown is not None
        assert shown.name == "赵六"
        assert session.get(SyncHeld, ("party", party)) is None


def test_the_countys_edit_reaches_a_village_through_its_townships_certificate(world: World) -> None:
    ledger(world.village_a, world.files, 2, seed=64)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    send(world.township, COUNTY[0], world.file("t1.mdsync"))
    assert receive(world.county, world.file("t1.mdsync")).ok
    case = case_ids(world.village_a)[0]
    edit_case(world.county, case, facts="县里更正的案情")
    send(world.county, TOWNSHIP[0], world.file("c1.mdsync"))
    assert receive(world.township, world.file("c1.mdsync")).ok
    down = send(world.township, VILLAGES[0][0], world.file("t-a.mdsync"))
    assert down.certificates == 1  # the county's, which village A does not pin itself
    assert receive(world.village_a, world.file("t-a.mdsync")).ok
    with world.village_a.read() as session:
        row = session.get(DisputeCase, case)
        assert row is not None
        assert row.facts == "县里更正的案情"
    assert open_conflicts(world.village_a) == set()
