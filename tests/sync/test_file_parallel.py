"""Signature checks on helper processes (``sync.verifying``) give the answers, and the refusals, of the checks in
this process: same revisions in the same order, the same first bad line whatever kind of fault it has."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.domain import canonical
from mediation_desk.services.sync.rows import decode
from mediation_desk.sync import verifying
from mediation_desk.sync.archive import revisions_name
from mediation_desk.sync.errors import BadRevision, BadSignature, MalformedJson, SyncFileError, UnknownDevice
from mediation_desk.sync.keys import REVISION_DOMAIN
from mediation_desk.sync.lines import SignedRevision
from mediation_desk.sync.reader import CHUNK, VerifiedRevision, open_sync_file
from mediation_desk.sync.schema import b64
from tests.sync import fileformat_support as fs

REVISIONS = revisions_name(1)
COUNT = 2 * CHUNK + 500  # three chunks and a half: faults in the middle of later chunks


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    return [revision.line() for revision in fs.Rows(fs.village(), seed=7).many(COUNT)]


@pytest.fixture(scope="module")
def workers() -> Any:
    with verifying.Workers(2) as helpers:
        yield helpers


def _file(tmp_path: Path, lines: list[bytes], name: str = "parallel.mdsync") -> Path:
    members = {**fs.standard_members(), REVISIONS: b"".join(line + b"\n" for line in lines)}
    return fs.forge(tmp_path / name, members=members)


def _read(path: Path, workers: verifying.Workers | None) -> list[VerifiedRevision] | SyncFileError:
    try:
        with open_sync_file(
            path,
            desk=fs.township().local(),
            trust=fs.township_trust(),
            schema_version=fs.SCHEMA,
            tables=fs.TABLES,
        ) as opened:
            return list(opened.revisions(workers))
    except SyncFileError as error:
        return error


def _same(path: Path, workers: verifying.Workers) -> list[VerifiedRevision] | SyncFileError:
    """What reading ``path`` gives, checked to be the same with and without the helpers."""
    here, there = _read(path, None), _read(path, workers)
    if isinstance(here, SyncFileError):
        assert isinstance(there, SyncFileError), "the helpers accepted what this process refuses"
        assert (type(there), str(there), there.member, there.line) == (type(here), str(here), here.member, here.line)
    else:
        assert there == here
    return here


def _forged_signature(line: bytes) -> bytes:
    """The line with another clock, its old signature kept: canonical, but the signature no longer fits."""
    value = json.loads(line)
    value["hlc"] += 1
    return canonical.dumps_plain(value).encode("utf-8")


def _from_stranger(line: bytes) -> bytes:
    """The line as another device would sign it: a device this file may not speak for."""
    value = json.loads(line)
    stranger = fs.other_township()
    device = str(stranger.key.device)
    value.pop("signature")
    value.update(origin_device=device, vv={device: value["origin_seq"]})
    return fs.signed_line(stranger.signer, value)


def test_a_good_file_reads_the_same_with_helpers(tmp_path: Path, lines: list[bytes], workers: Any) -> None:
    found = _same(_file(tmp_path, lines), workers)
    assert isinstance(found, list)
    assert len(found) == COUNT
    assert [item.revision.origin_seq for item in found] == list(range(1, COUNT + 1))


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ({CHUNK + 200: "signature"}, (BadSignature, CHUNK + 201)),
        ({CHUNK + 200: "signature", 2 * CHUNK + 300: "json"}, (BadSignature, CHUNK + 201)),
        ({CHUNK + 200: "json", 2 * CHUNK + 300: "signature"}, (MalformedJson, CHUNK + 201)),
        ({CHUNK + 10: "signature", CHUNK + 11: "json"}, (BadSignature, CHUNK + 11)),
        ({CHUNK + 10: "json", CHUNK + 11: "signature"}, (MalformedJson, CHUNK + 11)),
        ({5: "stranger", 3: "signature"}, (BadSignature, 4)),
        ({5: "signature", 6: "stranger"}, (BadSignature, 6)),
        ({2 * CHUNK + 1: "stranger", 2 * CHUNK + 2: "signature"}, (UnknownDevice, 2 * CHUNK + 2)),
        ({COUNT - 1: "field"}, (BadRevision, COUNT)),
        ({CHUNK - 1: "signature"}, (BadSignature, CHUNK)),
        ({CHUNK: "signature"}, (BadSignature, CHUNK + 1)),
    ],
)
def test_the_first_fault_in_file_order_is_the_one_reported(
    tmp_path: Path, lines: list[bytes], workers: Any, faults: dict[int, str], expected: tuple[type, int]
) -> None:
    changed = list(lines)
    for number, fault in faults.items():
        if fault == "signature":
            changed[number] = _forged_signature(changed[number])
        elif fault == "json":
            changed[number] = b'{"data":'
        elif fault == "stranger":
            changed[number] = _from_stranger(changed[number])
        else:
            changed[number] = changed[number].replace(b'"deleted":false', b'"deleted":0')
    found = _same(_file(tmp_path, changed), workers)
    assert isinstance(found, SyncFileError)
    kind, line = expected
    assert isinstance(found, kind), found
    assert found.line == line
    fs.assert_clear(found)


def test_the_helpers_agree_with_this_process_on_every_kind_of_signature() -> None:
    rows = fs.Rows(fs.village(), seed=3)
    revisions: list[SignedRevision] = [rows.revision(facts="示例", amount=number) for number in range(40)]
    key = fs.village().key.signing_key
    checks: list[verifying.Check] = []
    for number, revision in enumerate(revisions):
        message = REVISION_DOMAIN + canonical.canonical_bytes(revision.body())
        signature = revision.signature
        if number % 5 == 1:
            signature = bytes([signature[0] ^ 1]) + signature[1:]  # a flipped bit
        elif number % 5 == 2:
            message += b" "  # another message
        elif number % 5 == 3:
            signature = signature[:63]  # too short to be a signature
        elif number % 5 == 4 and number % 2:
            checks.append((key[:31], message, signature))  # too short to be a key
            continue
        checks.append((key, message, signature))
    expected = verifying.check_here(checks)
    assert expected.count(True) == 12  # every fifth, and half the fifth after it
    with verifying.Workers(2) as helpers:
        assert helpers.submit(checks)() == expected
        assert helpers.submit(checks[:1])() == expected[:1]
        assert helpers.submit([])() == []


def test_a_helper_that_dies_is_replaced_by_this_process() -> None:
    rows = fs.Rows(fs.village(), seed=4)
    checks = [
        (fs.village().key.signing_key, REVISION_DOMAIN + canonical.canonical_bytes(r.body()), r.signature)
        for r in (rows.revision(facts="示例") for _ in range(20))
    ]
    with verifying.Workers(1) as helpers:
        assert helpers.submit(checks)() == [True] * 20
        [helper] = helpers._helpers
        assert helper.process is not None
        helper.process.kill()
        helper.process.wait()
        assert helpers.submit(checks)() == [True] * 20
        assert helper.failed


def test_no_helpers_when_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(verifying.WORKERS_ENV, "0")
    assert verifying.default_workers() == 0
    assert not verifying.Workers().enabled
    monkeypatch.setenv(verifying.WORKERS_ENV, "3")
    assert verifying.default_workers() == 3


def test_the_texts_cut_from_a_line_are_its_canonical_vector_and_row(tmp_path: Path) -> None:
    rows = fs.Rows(fs.village(), seed=5)
    tricky = rows.revision(facts='引号"与,"deleted":和,"vv":{"x":1}', place="\\", amount=None, status="accepted")
    party = rows.revision("party", case_id=str(uuid.UUID(int=9)), name="李四", role="applicant", phone=None)
    path = fs.write(tmp_path / "texts.mdsync", [tricky, party, rows.tombstone(party)]).path
    _opened, found = fs.read(path)
    assert len(found) == 3
    for item in found:
        revision = item.revision
        assert revision.read_vv == canonical.dumps(dict(revision.vv))
        assert revision.read_data == canonical.dumps(dict(revision.data))
    assert found[0].revision.data["facts"] == tricky.data["facts"]
    assert b64(found[0].revision.signature) == b64(tricky.signature)


@pytest.mark.parametrize(
    "text",
    ["2025-06-01T08:30:00.000000Z", "1999-12-31T23:59:59.999999Z", "2026-02-28T00:00:00.123456Z"],
)
def test_the_merges_quick_timestamps_are_the_strict_parsers(text: str) -> None:
    quick = decode("dispute_case", {"updated_at": text})["updated_at"]
    assert quick == canonical.parse_datetime(text)
    assert quick.utcoffset() == canonical.parse_datetime(text).utcoffset()


@pytest.mark.parametrize(
    "text", ["2025-06-01T08:30:00.00000AZ", "2025-06-01 08:30:00.000000Z", "2025-13-01T08:30:00.000000Z"]
)
def test_the_merge_refuses_the_timestamps_the_strict_parser_refuses(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the strict parser's own error
        canonical.parse_datetime(text)
    with pytest.raises(ValueError):  # noqa: PT011
        decode("dispute_case", {"updated_at": text})
