"""An import whose signatures are checked on helper processes merges and refuses exactly as one checked in this
process (real desks; the size from which helpers are used lowered so that a small file uses them)."""

from __future__ import annotations

import dataclasses
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest

from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import importing, incoming
from mediation_desk.services.sync.common import open_sync
from mediation_desk.services.sync.orgs import canonical_org_id
from mediation_desk.services.sync.report import FileReport, ImportReport
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    content,
    craft,
    edit_case,
    ledger,
    send,
    signed,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


def _said(report: ImportReport) -> list[tuple[str, dict[str, object], list[tuple[str, str]]]]:
    return [
        (
            item.status,
            {table: tally.to_json() for table, tally in sorted(item.tallies.items())},
            [(message.code, message.text) for message in item.messages],
        )
        for item in report.files
    ]


@pytest.fixture(autouse=True)
def _helpers_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PARALLEL_FROM", 1)


def test_a_ledger_merges_the_same_with_helpers(world: World) -> None:
    ledger(world.village_a, world.files, 15, seed=3)
    path = world.file("a.mdsync")
    send(world.village_a, TOWNSHIP[0], path)
    preview = importing.import_files(world.township, [path], dry_run=True, workers=0)
    merged = importing.import_files(world.township, [path], workers=2)
    assert _said(merged) == _said(preview)
    assert merged.files[0].status == "OK"
    assert not merged.files[0].refused
    assert sorted(case_ids(world.township, VILLAGES[0][0])) == sorted(case_ids(world.village_a))
    assert content(world.township, ["dispute_case", "party"], portable=True) == content(
        world.village_a, ["dispute_case", "party"], portable=True
    )


def test_a_bad_signature_is_refused_the_same_with_helpers(world: World) -> None:
    good = [
        signed(world.village_a, origin_seq=900 + number, table="mediator", record_id=record, data=row)
        for number, (record, row) in enumerate(_mediators(world))
    ]
    forged = dataclasses.replace(good[3], signature=good[2].signature)
    path = world.file("forged.mdsync")
    craft(world.village_a, world.township, path, [*good[:3], forged, *good[4:]])
    here = importing.import_files(world.township, [path], workers=0)
    there = importing.import_files(world.township, [path], workers=2)
    assert _said(there) == _said(here)
    [item] = there.files
    assert item.refused
    assert any(message.code == "bad_signature" and "第 4 行" in message.text for message in item.messages)


def _mediators(world: World) -> list[tuple[uuid.UUID, dict[str, object]]]:
    org = str(canonical_org_id(VILLAGES[0][0]))
    records = [uuid.UUID(int=0x5EED0000 + number, version=4) for number in range(6)]
    return [(record, {"id": str(record), "org_id": org, "name": f"调解员{n}"}) for n, record in enumerate(records)]


def _merged_cases(desk: Desk, path: Path) -> set[uuid.UUID]:
    """``merge_file`` of ``path`` in a transaction of ``desk``'s own: the cases it says the file changed."""
    with desk.write("sync.import", Permission.SYNC_IMPORT) as work, ExitStack() as stack:
        sync_desk = open_sync(work.session)
        opened = importing._open(path, sync_desk, stack)
        return importing.merge_file(sync_desk, opened, FileReport(path))


def test_a_merge_names_the_cases_whose_rows_it_changed(world: World) -> None:
    ledger(world.village_a, world.files, 4, seed=5)
    first = world.file("first.mdsync")
    send(world.village_a, TOWNSHIP[0], first)
    cases = set(case_ids(world.village_a))
    assert _merged_cases(world.township, first) == cases
    assert _merged_cases(world.township, first) == set()  # already imported: nothing changed
    edited = sorted(cases, key=str)[0]
    edit_case(world.village_a, edited, facts="双方就排水沟位置重新协商（示例）")
    second = world.file("second.mdsync")
    send(world.village_a, TOWNSHIP[0], second)
    assert _merged_cases(world.township, second) == {edited}


def test_a_large_file_merged_in_parts_merges_as_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger(world.village_a, world.files, 12, seed=8)
    path = world.file("parts.mdsync")
    send(world.village_a, TOWNSHIP[0], path)
    whole = importing.import_files(world.township, [path], dry_run=True, workers=0)
    monkeypatch.setattr(importing, "SETTLE_PART", 5)  # a few cases a part
    parts = importing.import_files(world.township, [path], workers=0)
    assert _said(parts) == _said(whole)
    assert sum(tally.created for tally in parts.files[0].tallies.values()) > 5 * 3
    tables = ["dispute_case", "party", "case_mediator", "outcome", "agreement", "mediator"]
    assert content(world.township, tables, portable=True) == content(world.village_a, tables, portable=True)


def test_a_file_larger_than_what_is_kept_in_hand_merges_as_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger(world.village_a, world.files, 12, seed=9)
    for number, case in enumerate(sorted(case_ids(world.village_a), key=str)[:4]):
        edit_case(world.village_a, case, facts=f"双方重新协商（示例{number}）")
        edit_case(world.village_a, case, place=f"示例村第{number}组")
    path = world.file("overflow.mdsync")
    send(world.village_a, TOWNSHIP[0], path)
    whole = importing.import_files(world.township, [path], dry_run=True, workers=0)
    monkeypatch.setattr(importing, "BATCH", 8)
    monkeypatch.setattr(incoming, "CAPACITY", 10)  # the first batch in hand, the rest read back from the log
    monkeypatch.setattr(importing, "SETTLE_PART", 7)
    parts = importing.import_files(world.township, [path], workers=2)
    assert _said(parts) == _said(whole)
    tables = ["dispute_case", "party", "case_mediator", "outcome", "agreement", "mediator"]
    assert content(world.township, tables, portable=True) == content(world.village_a, tables, portable=True)
