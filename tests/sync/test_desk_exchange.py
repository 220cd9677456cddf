"""Files between real desks: a village's ledger reaches its township and the county, incrementally, idempotently,
with receipts; a township's file to a village holds that village's records only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from mediation_desk.demo.people import PeopleSynth
from mediation_desk.domain.codes import Gender
from mediation_desk.domain.permissions import Permission
from mediation_desk.security import binding
from mediation_desk.security.fields import INDEX_COLUMN, INDEXED_COLUMN
from mediation_desk.services.sync.common import schema_version
from mediation_desk.store.models import Base, Party, Revision
from mediation_desk.store.queries.sync import synced_tables
from mediation_desk.sync.fileformat import read_all
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    content,
    database_hash,
    edit_case,
    ledger,
    log_set,
    receive,
    send,
    synced_hash,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


def test_a_villages_ledger_reaches_the_township_whole(world: World) -> None:
    rows = ledger(world.village_a, world.files, 12, seed=1)
    summary = send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert summary.revisions > 12
    assert summary.scope == (VILLAGES[0][0],)
    report = receive(world.township, world.file("a1.mdsync"))
    [item] = report.files
    assert (item.status, report.ok) == ("OK", True), item.messages
    assert item.tallies["dispute_case"].created == len(rows) == 12
    assert sorted(case_ids(world.township, VILLAGES[0][0])) == sorted(case_ids(world.village_a))
    village_cases = content(world.village_a, ["dispute_case", "party", "outcome"])
    township_cases = content(world.township, ["dispute_case", "party", "outcome"])
    assert township_cases["party"] == village_cases["party"]
    assert township_cases["outcome"] == village_cases["outcome"]
    assert len(township_cases["dispute_case"]) == 12


def test_the_same_file_twice_and_the_same_revisions_in_a_new_file_change_nothing(world: World) -> None:
    ledger(world.village_a, world.files, 8, seed=2)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))
    before = database_hash(world.township)
    again = receive(world.township, world.file("a1.mdsync"))
    assert again.files[0].already_imported
    assert again.ok
    assert database_hash(world.township) == before
    synced_before, log_before = synced_hash(world.township), log_set(world.township)
    send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"), full=True)  # the same revisions, a new file
    repeated = receive(world.township, world.file("a2.mdsync"))
    [item] = repeated.files
    assert item.status == "OK"
    assert not item.already_imported
    assert item.totals().created == item.totals().updated == item.totals().deleted == 0
    assert synced_hash(world.township) == synced_before
    assert log_set(world.township) == log_before


def test_exports_are_incremental_once_a_receipt_comes_back(world: World) -> None:
    ledger(world.village_a, world.files, 5, seed=3)
    first = send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))
    overlap = send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))  # no receipt yet: the files overlap
    assert overlap.revisions == first.revisions
    back = send(world.township, VILLAGES[0][0], world.file("t1.mdsync"))
    assert back.receipts == 1
    assert receive(world.village_a, world.file("t1.mdsync")).ok
    quiet = send(world.village_a, TOWNSHIP[0], world.file("a3.mdsync"))
    assert quiet.revisions == 0  # everything acknowledged: the "零上报" of a quiet month, still a valid file
    report = receive(world.township, world.file("a3.mdsync"))
    assert report.ok
    assert report.files[0].totals().created == 0
    ledger(world.village_a, world.files, 3, seed=4)
    fresh = send(world.village_a, TOWNSHIP[0], world.file("a4.mdsync"))
    assert fresh.tables["dispute_case"] >= 3
    assert fresh.tables["dispute_case"] == 3


def test_a_lost_receipt_means_the_next_export_resends_without_duplicates(world: World) -> None:
    ledger(world.village_a, world.files, 4, seed=5)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))
    send(world.township, VILLAGES[0][0], world.file("lost.mdsync"))  # carries the receipt; never arrives
    ledger(world.village_a, world.files, 2, seed=6)
    again = send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert again.tables["dispute_case"] == 6  # nothing acknowledged: everything again
    before = log_set(world.township)
    report = receive(world.township, world.file("a2.mdsync"))
    assert report.files[0].tallies["dispute_case"].created == 2
    assert report.files[0].tallies["dispute_case"].unchanged == 4
    after = log_set(world.township)
    assert before < after
    assert len(case_ids(world.township)) == 6


def test_a_townships_file_to_a_village_holds_that_villages_records_only(world: World) -> None:
    for name, seed in (("village_a", 7), ("village_b", 8)):
        ledger(getattr(world, name), world.files, 4, seed=seed)
        send(getattr(world, name), TOWNSHIP[0], world.file(f"{name}.mdsync"))
        receive(world.township, world.file(f"{name}.mdsync"))
    down = send(world.township, VILLAGES[0][0], world.file("to-a.mdsync"), full=True)
    assert down.scope == (VILLAGES[0][0],)
    from mediation_desk.services.sync.common import open_sync
    from mediation_desk.services.sync.orgs import OrgIndex

    with world.village_a.read() as session:
        local = open_sync(session, create_keys=False).local()
    opened, revisions = read_all(
        world.file("to-a.mdsync"),
        desk=local,
        trust=_policy(world),
        schema_version=schema_version(),
    )
    b_cases = {str(case) for case in case_ids(world.village_b)}
    with world.township.read() as session:
        index = OrgIndex.load(session)
    for item in revisions:
        data = item.revision.data
        assert str(item.revision.record_id) not in b_cases
        assert data.get("case_id") not in b_cases
        if item.revision.table == "org_unit":
            assert data["code"] != VILLAGES[1][0]
        if item.revision.table == "dispute_case":
            assert index.code_of(data["org_id"]) == VILLAGES[0][0]
    assert opened.manifest.scope == (VILLAGES[0][0],)
    assert any(item.revision.table == "dispute_case" for item in revisions)


def _policy(world: World) -> object:
    from mediation_desk.services.sync.common import open_sync

    with world.village_a.read() as session:
        return open_sync(session, create_keys=False).policy()


def test_the_county_gets_the_whole_subtree_through_the_township_and_counts_each_case_once(world: World) -> None:
    expected = 0
    for name, seed, count in (("village_a", 11, 5), ("village_b", 12, 3), ("village_c", 13, 4)):
        ledger(getattr(world, name), world.files, count, seed=seed)
        expected += count
        send(getattr(world, name), TOWNSHIP[0], world.file(f"{name}.mdsync"))
        assert receive(world.township, world.file(f"{name}.mdsync")).ok
    ledger(world.township, world.files, 2, seed=14)
    expected += 2
    up = send(world.township, "331122", world.file("up.mdsync"))
    assert up.certificates == 3  # the county verifies the villages' revisions through them
    report = receive(world.county, world.file("up.mdsync"))
    assert report.ok, report.files[0].messages
    assert len(case_ids(world.county)) == expected
    assert content(world.county, ["party"]) == content(world.township, ["party"])
    for table in synced_tables():
        if table != "org_unit":
            county, township = (
                content(world.county, [table], portable=True),
                content(world.township, [table], portable=True),
            )
            assert county == township, table
    again = receive(world.county, world.file("up.mdsync"))
    assert again.files[0].already_imported


@pytest.mark.parametrize("dry_run", [True])
def test_a_dry_run_reports_exactly_and_keeps_nothing(world: World, dry_run: bool) -> None:
    ledger(world.village_a, world.files, 6, seed=15)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    before = database_hash(world.township)
    preview = receive(world.township, world.file("a1.mdsync"), dry_run=dry_run)
    assert database_hash(world.township) == before
    real = receive(world.township, world.file("a1.mdsync"))
    assert preview.files[0].to_json()["counts"] == real.files[0].to_json()["counts"]
    assert preview.dry_run
    assert not real.dry_run


def test_a_dry_run_of_several_files_previews_each_on_top_of_the_ones_before(world: World) -> None:
    ledger(world.village_a, world.files, 3, seed=16)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))
    send(world.township, VILLAGES[0][0], world.file("t1.mdsync"))
    receive(world.village_a, world.file("t1.mdsync"))
    edit_case(world.village_a, case_ids(world.village_a)[0], facts="改过的案情")
    send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    before = database_hash(world.township)
    preview = receive(world.township, world.file("a2.mdsync"), world.file("a2.mdsync"), dry_run=True)
    first, second = preview.files
    assert first.tallies["dispute_case"].updated == 1
    assert second.already_imported  # the first file's import is part of the preview
    assert database_hash(world.township) == before


def test_the_rows_a_merge_writes_are_sealed_and_indexed_as_any_write(world: World) -> None:
    """The merge writes live rows and log lines with the driver's own ``executemany`` (``bulk.insert_many``):
    ID numbers still encrypted at rest with the receiving desk's key and findable by its blind index, the log's
    sealed fields sealed."""
    ledger(world.village_a, world.files, 8, seed=5)
    people = PeopleSynth(5)  # synthetic ID numbers, valid in form
    with world.village_a.write("test.edit", Permission.EDIT_CASE) as work:
        for number, party in enumerate(work.session.scalars(sa.select(Party).order_by(Party.id))):
            if number % 2 == 0:
                party.id_number = people.resident_id(date(1970 + number, 3, 1), Gender.FEMALE)
    send(world.village_a, TOWNSHIP[0], world.file("a-sealed.mdsync"))
    [item] = receive(world.township, world.file("a-sealed.mdsync")).files
    assert item.status == "OK", item.messages
    parties = Base.metadata.tables["party"]
    with world.township.read() as session:
        rows = session.execute(sa.select(parties.c[INDEXED_COLUMN], parties.c[INDEX_COLUMN])).all()
        numbers = [number for number, _index in rows if number]
        assert numbers, "the parties given ID numbers above"
        for number, index in rows:
            assert index == (binding.blind_index(session.connection(), number) if number else None)
        raw = session.connection().exec_driver_sql(f"SELECT {INDEXED_COLUMN} FROM party").scalars().all()
        assert not set(numbers) & set(raw)  # encrypted at rest
        logged = (
            session.connection()
            .exec_driver_sql(f"SELECT data FROM {Revision.__tablename__} WHERE table_name = 'party'")
            .scalars()
            .all()
        )
        assert logged
        assert not any(number in text for number in numbers for text in logged)  # sealed in the log
