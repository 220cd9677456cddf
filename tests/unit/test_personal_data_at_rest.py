"""Personal data at rest: a copied data folder (database, its write-ahead log, backups) holds no resident ID
number and no mobile number in clear, while the desk itself still shows them, and a restored backup reads back.

The scan looks at every byte of every file for what a thief's ``strings`` or ``grep`` would find: 18-character
resident ID numbers whose GB 11643 check character is right, and mobile numbers (``1[3-9]`` and nine more digits)
that are not part of a longer run of digits. Record ids (UUIDs, with or without dashes) and encrypted tokens are blanked
first: a random id such as ``…dd14687402926…`` holds digit runs by chance. And every number the desk shows through
its services is looked for byte for byte, wherever it is.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from mediation_desk.demo import create_demo
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.identity import check_character, is_valid_resident_id
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import backups, cases, identity
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.mediators import list_mediators
from mediation_desk.store.datadir import DataDir

_RESIDENT_ID = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_MOBILE = re.compile(rb"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_NOT_NUMBERS = re.compile(
    rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|v1:[A-Za-z0-9_-]{16,}"
)


def _blanked(data: bytes) -> bytes:
    return _NOT_NUMBERS.sub(lambda match: b"#" * len(match.group()), data)


def resident_ids(data: bytes) -> set[bytes]:
    found = set()
    for match in _RESIDENT_ID.finditer(data):
        number = match.group().upper()
        if check_character(number[:17].decode()) == chr(number[17]):
            found.add(number)
    return found


def mobiles(data: bytes) -> set[bytes]:
    return set(_MOBILE.findall(data))


def clear_numbers(folder: Path, known: set[str]) -> dict[str, int]:
    """Per file under ``folder``: how many valid resident IDs and mobile numbers it holds in clear, and how many of
    the ``known`` numbers (none: the file is left out)."""
    wanted = [number.encode() for number in known]
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            blanked = _blanked(data)
            count = len(resident_ids(blanked)) + len(mobiles(blanked)) + sum(number in data for number in wanted)
            if count:
                found[str(path.relative_to(folder))] = count
    return found


def test_the_scan_finds_numbers_in_clear(tmp_path: Path) -> None:
    assert is_valid_resident_id(NEW_ID)
    sample = b"x110101199003074514y 13912345678 ,8613912345678, 139123456789 110101199003074515"
    assert resident_ids(sample) == {b"110101199003074514"}  # the last one's check character is wrong
    assert mobiles(sample) == {b"13912345678"}
    (tmp_path / "a.bin").write_bytes(b"\x00ed0943e34f854e81971dd14687402926\x00v1:AB13800001111CDEFGHIJKL-_\x00")
    assert clear_numbers(tmp_path, set()) == {}  # an id and a token are not numbers
    (tmp_path / "b.bin").write_bytes(b"resident_id13912345678" + sample)
    assert clear_numbers(tmp_path, {"13912345678"}) == {"b.bin": 3}


NEW_ID, NEW_PHONE = "331122199001011230", "13957800000"  # synthetic


def _with_numbers() -> CaseInput:
    applicant = PartyInput("王小明", PartyRole.APPLICANT, id_number=NEW_ID, phone=NEW_PHONE)
    return CaseInput(
        intake_date=date(2026, 3, 2),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[applicant, PartyInput("赵小红", PartyRole.RESPONDENT, agent_phone=NEW_PHONE)],
    )


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("at-rest") / "desk"
    create_demo(root, villages=3, cases=100, seed=7)
    return root


def _shown_numbers(root: Path) -> tuple[set[str], set[str]]:
    """The ID and mobile numbers the desk shows through its services (parties of every case, and mediators)."""
    desk = Desk.open(root, Actor.local_operator("test"))
    try:
        ids: set[str] = set()
        phones: set[str] = set()
        for row in cases.list_cases(desk):
            for party in cases.get_case(desk, row.id).parties:
                ids.add(party.id_number)
                phones.add(party.phone)
        phones.update(mediator.phone for mediator in list_mediators(desk))
    finally:
        desk.close()
    return {number for number in ids if resident_ids(number.encode())}, {p for p in phones if mobiles(p.encode())}


def test_a_copied_data_folder_holds_no_id_or_mobile_number_in_clear(demo_desk: Path, tmp_path: Path) -> None:
    ids, phones = _shown_numbers(demo_desk)
    assert len(ids) > 100
    assert len(phones) > 100  # the desk itself still shows the numbers, unmasked, through its services
    backups.create(demo_desk, Actor.local_operator("test"))
    # a copy taken while the desk is open and its write-ahead log holds a new case: the log is scanned too
    desk = Desk.open(demo_desk, Actor.local_operator("test"))
    try:
        cases.register_case(desk, _with_numbers())
        copy = tmp_path / "stolen"
        shutil.copytree(demo_desk, copy)
    finally:
        desk.close()
    names = {path.name for path in copy.rglob("*") if path.is_file()}
    assert {DataDir(copy).database.name, DataDir(copy).database.name + "-wal"} <= names
    assert any(path.parent.name == "backups" for path in copy.rglob("*.sqlite3")), names
    assert clear_numbers(copy, ids | phones | {NEW_ID, NEW_PHONE}) == {}


def test_the_database_holds_tokens_and_a_blind_index(demo_desk: Path) -> None:
    connection = sqlite3.connect(f"file:{DataDir(demo_desk).database}?mode=ro", uri=True)
    try:
        stored = connection.execute("SELECT id_number, phone, id_number_index FROM party WHERE id_number != ''")
        rows = stored.fetchall()
        revisions = [row[0] for row in connection.execute("SELECT data FROM revision WHERE table_name = 'party'")]
    finally:
        connection.close()
    assert rows
    assert all(number.startswith("v1:") and (not phone or phone.startswith("v1:")) for number, phone, _ in rows)
    assert all(index and len(index) == 32 for _number, _phone, index in rows)
    assert all('"id_number":"v1:' in data or '"id_number":""' in data for data in revisions)


def test_a_person_is_found_by_id_number_and_a_restored_backup_reads_back(demo_desk: Path) -> None:
    before_ids, before_phones = _shown_numbers(demo_desk)
    number = sorted(before_ids)[0]
    desk = Desk.open(demo_desk, Actor.local_operator("test"))
    try:
        found = identity.cases_of_person(
            desk, " " + number.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        )
        assert found
        for row in found:
            assert number in {party.id_number for party in cases.get_case(desk, row.id).parties}
        assert identity.cases_of_person(desk, "110101199003074514") == []
    finally:
        desk.close()
    made = backups.create(demo_desk, Actor.local_operator("test"))
    report = backups.restore(demo_desk, made.name, Actor.local_operator("test"))
    assert report.device_id != report.previous_device_id  # a new device, the same data key
    assert _shown_numbers(demo_desk) == (before_ids, before_phones)
