"""Integrity at the database: what a file may not do, refused (or a no-op) with a clear message, the database
unchanged by a canonical hash of every table; an import that fails midway leaves nothing and can be run again."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from mediation_desk.services.sync import rows
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    craft,
    database_hash,
    edit_case,
    ledger,
    log_set,
    receive,
    send,
    signed,
    synced_hash,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


def _one_case_file(world: World, name: str = "a1.mdsync") -> Path:
    ledger(world.village_a, world.files, 3, seed=21)
    send(world.village_a, TOWNSHIP[0], world.file(name))
    return world.file(name)


def test_a_truncated_and_a_tampered_file_are_refused_and_change_nothing(world: World) -> None:
    path = _one_case_file(world)
    data = path.read_bytes()
    truncated = world.file("truncated.mdsync")
    truncated.write_bytes(data[: len(data) // 2])
    tampered = world.file("tampered.mdsync")
    flipped = bytearray(data)
    flipped[len(flipped) - 40] ^= 0x01
    tampered.write_bytes(bytes(flipped))
    before = database_hash(world.township)
    report = receive(world.township, truncated, tampered)
    assert [item.status for item in report.files] == ["ERROR", "ERROR"]
    assert not report.ok
    assert report.files[0].messages[0].code == "truncated"
    assert report.files[1].messages[0].code in ("damaged", "truncated")
    assert all("未" in item.messages[0].text or "损" in item.messages[0].text for item in report.files)
    assert database_hash(world.township) == before
    good = receive(world.township, truncated, path, tampered)  # the good one still merges
    assert [item.status for item in good.files] == ["ERROR", "OK", "ERROR"]
    assert len(case_ids(world.township)) == 3


def test_a_file_for_another_desk_is_refused(world: World) -> None:
    ledger(world.village_a, world.files, 2, seed=22)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    before = database_hash(world.county)
    report = receive(world.county, world.file("a1.mdsync"))
    assert report.files[0].status == "ERROR"
    assert report.files[0].messages[0].code == "not_for_this_desk"
    assert "五云街道" in report.files[0].messages[0].text
    assert database_hash(world.county) == before


def test_a_device_nobody_trusts_is_refused(world: World) -> None:
    """Village B's desk, never trusted by village A, writes to village A: refused before anything is read."""
    craft(world.village_b, world.village_a, world.file("stranger.mdsync"), [])
    before = database_hash(world.village_a)
    report = receive(world.village_a, world.file("stranger.mdsync"))
    assert report.files[0].status == "ERROR"
    assert report.files[0].messages[0].code == "unknown_sender"
    assert database_hash(world.village_a) == before


def test_a_village_writing_another_villages_case_is_refused(world: World) -> None:
    ledger(world.village_b, world.files, 2, seed=23)
    send(world.village_b, TOWNSHIP[0], world.file("b1.mdsync"))
    receive(world.township, world.file("b1.mdsync"))
    target = case_ids(world.township, VILLAGES[1][0])[0]
    with world.village_b.read() as session:
        from mediation_desk.store.models import DisputeCase

        row = session.get(DisputeCase, target)
        assert row is not None
        org_id = str(row.org_id)
    before, synced_before, log_before = (
        database_hash(world.township),
        synced_hash(world.township),
        log_set(world.township),
    )
    forged = signed(
        world.village_a,
        origin_seq=10_000,
        table="dispute_case",
        record_id=target,
        data={"id": str(target), "org_id": org_id, "facts": "改写邻村的案件"},
    )
    party = uuid.uuid4()
    child = signed(
        world.village_a,
        origin_seq=10_001,
        table="party",
        record_id=party,
        data={"id": str(party), "case_id": str(target), "name": "王五", "role": "applicant"},
    )
    craft(world.village_a, world.township, world.file("forged.mdsync"), [forged, child])
    report = receive(world.township, world.file("forged.mdsync"))
    [item] = report.files
    assert not report.ok
    assert item.status == "WARNING"
    assert {message.code for message in item.messages} == {"outside_scope"}
    assert item.tallies["dispute_case"].rejected == 1
    assert item.tallies["party"].rejected == 1
    assert "示例村" in item.messages[0].text
    assert "样本村" in item.messages[0].text
    assert synced_hash(world.township) == synced_before
    assert log_set(world.township) == log_before
    assert database_hash(world.township) != before  # only the import log and the receipt owed record the attempt


def test_equivocation_is_refused_and_the_first_revision_kept(world: World) -> None:
    path = _one_case_file(world)
    receive(world.township, path)
    target = case_ids(world.village_a)[0]
    with world.village_a.read() as session:
        import sqlalchemy as sa

        from mediation_desk.store.models import Revision

        seq, org_id = session.execute(
            sa.select(Revision.origin_seq, Revision.data).where(Revision.record_id == target).order_by(Revision.id)
        ).first()  # type: ignore[misc]
    import json

    data = json.loads(org_id)
    data["facts"] = "同一编号的另一种内容"
    other = signed(world.village_a, origin_seq=seq, table="dispute_case", record_id=target, data=data)
    craft(world.village_a, world.township, world.file("twice.mdsync"), [other])
    before = synced_hash(world.township)
    report = receive(world.township, world.file("twice.mdsync"))
    [item] = report.files
    assert [message.code for message in item.messages] == ["equivocation"]
    assert item.tallies["dispute_case"].rejected == 1
    assert not report.ok
    assert synced_hash(world.township) == before


def test_an_old_file_replayed_after_newer_data_changes_nothing(world: World) -> None:
    first = _one_case_file(world, "old.mdsync")
    receive(world.township, first)
    target = case_ids(world.village_a)[0]
    edit_case(world.village_a, target, facts="后来改过的案情")
    send(world.village_a, TOWNSHIP[0], world.file("new.mdsync"))
    receive(world.township, world.file("new.mdsync"))
    replayed = world.file("replayed.mdsync")
    replayed.write_bytes(first.read_bytes())
    before = database_hash(world.township)
    report = receive(world.township, replayed)
    assert report.files[0].already_imported
    assert database_hash(world.township) == before
    send(world.village_a, TOWNSHIP[0], world.file("full.mdsync"), full=True)  # old revisions again, in a new file
    synced = synced_hash(world.township)
    assert receive(world.township, world.file("full.mdsync")).ok
    assert synced_hash(world.township) == synced
    from mediation_desk.store.models import DisputeCase

    with world.township.read() as session:
        case = session.get(DisputeCase, target)
        assert case is not None
        assert case.facts == "后来改过的案情"


def test_an_import_that_fails_midway_leaves_nothing_and_runs_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_case_file(world)
    before = database_hash(world.township)
    original = rows.write
    calls = {"count": 0}

    def failing(session: object, plan: rows.TablePlan) -> None:
        calls["count"] += 1
        if calls["count"] == 3:  # after the cases and the mediators are written, before the rest
            raise OSError("disk full (simulated)")
        original(session, plan)  # type: ignore[arg-type]

    monkeypatch.setattr(rows, "write", failing)
    with pytest.raises(OSError, match="simulated"):
        receive(world.township, path)
    assert calls["count"] == 3
    assert database_hash(world.township) == before
    monkeypatch.setattr(rows, "write", original)
    report = receive(world.township, path)
    assert report.ok
    assert len(case_ids(world.township)) == 3


def test_a_revision_from_a_device_nobody_vouches_for_is_refused(world: World) -> None:
    """Village A's file carries a tombstone signed for a device id that is neither pinned at the township nor
    certified in the file: the whole file is refused."""
    forged = signed(
        world.village_b,
        origin_device=uuid.uuid4(),
        origin_seq=1,
        table="mediator",
        record_id=uuid.uuid4(),
        data={},
        deleted=True,
    )
    craft(world.village_a, world.township, world.file("relay.mdsync"), [forged])
    before = database_hash(world.township)
    report = receive(world.township, world.file("relay.mdsync"))
    [item] = report.files
    assert item.status == "ERROR"
    assert item.messages[0].code == "unknown_device"
    assert database_hash(world.township) == before


def test_a_file_from_a_newer_schema_asks_for_an_upgrade(world: World) -> None:
    from mediation_desk.services.sync.common import schema_version
    from mediation_desk.services.sync.identity import desk_keys
    from mediation_desk.sync.fileformat import Outgoing, write_sync_file

    with world.village_a.read() as session:
        keys = desk_keys(session, create=False)
    with world.township.read() as session:
        peer = desk_keys(session, create=False).key
    outgoing = Outgoing(keys.key, keys.signer, peer)
    write_sync_file(world.file("new.mdsync"), outgoing, [], schema_version=schema_version() + 1, created_hlc=1 << 16)
    before = database_hash(world.township)
    report = receive(world.township, world.file("new.mdsync"))
    assert report.files[0].messages[0].code == "schema_too_new"
    assert "升级" in report.files[0].messages[0].text
    assert database_hash(world.township) == before
