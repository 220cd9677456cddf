"""A sync file written by one desk and read by another gives back exactly what was written (SYNC.md "File format").

Revisions come back identical and in order, across several ``revisions-NNNN.jsonl`` members; an export with
nothing new is still a valid file (the village's "零上报"); receipts and certificates travel with it; the unsigned
first line says what the signed manifest says; the writer refuses, before writing anything, what no reader would
accept. The real ``age`` tool decrypts a file for manual recovery, for the recipient and for an escrow holder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import shutil
import subprocess
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mediation_desk.domain import canonical
from mediation_desk.domain.errors import ValidationError
from mediation_desk.sync.archive import CERTIFICATES, MANIFEST, RECEIPTS, SIGNATURE
from mediation_desk.sync.errors import NotForThisDesk
from mediation_desk.sync.fileformat import read_all
from mediation_desk.sync.keys import AgeIdentity
from mediation_desk.sync.limits import Limits
from mediation_desk.sync.lines import SignedRevision, sign_revision
from mediation_desk.sync.reader import LocalDesk
from mediation_desk.sync.trust import Receipt, sign_receipt
from tests.sync import fileformat_support as fs

AGE = shutil.which("age") or "/usr/bin/age"


def _mixed(rows: fs.Rows) -> list[SignedRevision]:
    """Cases and parties, one of them deleted afterwards."""
    revisions = list(rows.many(9))
    revisions.append(rows.tombstone(revisions[2]))
    return revisions


def test_revisions_come_back_identical_and_in_order(tmp_path: Path) -> None:
    revisions = _mixed(fs.Rows(fs.village()))
    written = fs.write(tmp_path / "out.mdsync", revisions)
    opened, read = fs.read(written.path)
    assert [item.revision for item in read] == revisions
    assert [item.revision.line() for item in read] == [revision.line() for revision in revisions]
    assert {item.origin.key for item in read} == {fs.village().key}
    assert all(item.origin.certified_by is None for item in read)
    assert opened.sender.key == fs.village().key
    assert opened.manifest == written.manifest
    assert opened.manifest.counts.revisions == 10
    assert dict(opened.manifest.counts.tables) == {"dispute_case": 6, "party": 4}


def test_read_all_opens_verifies_and_reads_at_once(tmp_path: Path) -> None:
    revisions = list(fs.Rows(fs.village()).many(4))
    written = fs.write(tmp_path / "out.mdsync", revisions)
    opened, read = read_all(
        written.path, desk=fs.township().local(), trust=fs.township_trust(), schema_version=fs.SCHEMA, tables=fs.TABLES
    )
    assert opened.file_id == written.file_id
    assert [item.revision for item in read] == revisions


def test_a_small_split_size_makes_several_revision_members_read_in_order(tmp_path: Path) -> None:
    revisions = list(fs.Rows(fs.village(), seed=2).many(120, facts_bytes=300))
    written = fs.write(tmp_path / "out.mdsync", revisions, split_bytes=8 * 1024)
    names = [item.name for item in written.manifest.members if item.name.startswith("revisions-")]
    assert len(names) >= 5
    assert names == [f"revisions-{number:04d}.jsonl" for number in range(1, len(names) + 1)]
    assert all(item.size <= 8 * 1024 for item in written.manifest.members if item.name in names)
    assert sum(item.lines for item in written.manifest.members if item.name in names) == 120
    _opened, read = fs.read(written.path)
    assert [item.revision for item in read] == revisions


def test_an_export_with_nothing_new_is_a_valid_zero_report(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "empty.mdsync", iter(()))
    opened, read = fs.read(written.path)
    assert read == []
    assert opened.manifest.counts.revisions == 0
    assert dict(opened.manifest.counts.tables) == {}
    assert opened.manifest.sender_org == fs.village().key.org
    assert opened.manifest.created_wall == fs.WHEN
    names = {item.name for item in opened.manifest.members}
    assert names == {"revisions-0001.jsonl", CERTIFICATES, RECEIPTS}
    assert opened.manifest.member("revisions-0001.jsonl") is not None
    assert opened.manifest.member("revisions-0001.jsonl").size == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["incremental", "full", "receipt"])
def test_each_kind_is_written_in_the_preamble_and_the_signed_manifest(tmp_path: Path, kind: str) -> None:
    revisions = [] if kind == "receipt" else list(fs.Rows(fs.village()).many(3))
    written = fs.write(tmp_path / f"{kind}.mdsync", revisions, kind=kind)
    preamble, _body = fs.split_file(written.path)
    opened, read = fs.read(written.path)
    assert opened.preamble.kind == opened.manifest.kind == kind
    assert [item.revision for item in read] == revisions
    fields = json.loads(preamble.removeprefix(b"MDSYNC1 "))
    assert fields == {"to": "331122001", "from": "331122001001", "file_id": str(written.file_id), "kind": kind}


def test_a_receipt_file_holds_no_revisions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no revisions"):
        fs.write(tmp_path / "r.mdsync", fs.Rows(fs.village()).many(1), kind="receipt")
    assert list(tmp_path.iterdir()) == []


def test_the_preamble_and_the_written_file_match_the_manifest(tmp_path: Path) -> None:
    file_id = uuid.UUID("1e5f3c7a-0000-4000-8000-00000000abcd")
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(4), file_id=file_id)
    data = written.path.read_bytes()
    assert data.startswith(b"MDSYNC1 {")
    assert data.index(b"\n") < 200
    assert written.file_id == file_id
    assert written.size == len(data)
    assert written.sha256 == hashlib.sha256(data).hexdigest()
    opened, _read = fs.read(written.path)
    assert (opened.file_id, opened.size, opened.sha256) == (file_id, written.size, written.sha256)
    assert opened.preamble.file_id == str(opened.manifest.file_id) == str(file_id)
    assert opened.preamble.to == opened.manifest.recipient_org == fs.township().key.org
    assert opened.preamble.sender == opened.manifest.sender_org == fs.village().key.org
    assert opened.manifest.recipient_fingerprint == fs.township().key.fingerprint
    assert opened.manifest.sender_fingerprint == fs.village().key.fingerprint
    assert opened.manifest.sender_device == fs.village().key.device
    assert opened.manifest.scope == (fs.village().key.org,)


def _receipt(by: fs.Desk, for_desk: fs.Desk, seq: int) -> Receipt:
    unsigned = Receipt(
        file_id=uuid.UUID(int=seq, version=4),
        file_sha256=hashlib.sha256(str(seq).encode()).hexdigest(),
        by_org=by.key.org,
        by_device=by.key.device,
        for_org=for_desk.key.org,
        for_device=for_desk.key.device,
        imported=datetime(2026, 2, 27, 9, 15, tzinfo=UTC),
        holds={str(for_desk.key.device): seq, str(fs.other_village().key.device): 3},
    )
    return sign_receipt(unsigned, by.signer)


def test_receipts_and_certificates_travel_with_the_file(tmp_path: Path) -> None:
    receipts = (_receipt(fs.township(), fs.county(), 41), _receipt(fs.township(), fs.county(), 42))
    certificates = (fs.certify(fs.village(), fs.township()), fs.certify(fs.other_village(), fs.township()))
    revisions = list(fs.Rows(fs.village()).many(2))
    written = fs.write(
        tmp_path / "up.mdsync",
        revisions,
        sender=fs.township(),
        recipient=fs.county(),
        certificates=certificates,
        receipts=receipts,
    )
    opened, read = fs.read(written.path, desk=fs.county(), trust=fs.county_trust())
    assert opened.receipts == list(receipts)
    assert opened.certificates == list(certificates)
    assert (opened.manifest.counts.receipts, opened.manifest.counts.certificates) == (2, 2)
    assert [item.revision for item in read] == revisions
    assert {item.origin.certified_by for item in read} == {fs.township().key}


def test_tombstones_and_receipts_carry_no_personal_data(tmp_path: Path) -> None:
    rows = fs.Rows(fs.village())
    case = rows.revision(facts="邻里排水沟纠纷", place="东村", amount=1200, status="accepted")
    party = rows.revision("party", case_id=str(case.record_id), name="王小明", role="applicant", phone="13800000000")
    written = fs.write(
        tmp_path / "out.mdsync",
        [case, party, rows.tombstone(party)],
        receipts=[_receipt(fs.village(), fs.township(), 7)],
    )
    archive = zipfile.ZipFile(io.BytesIO(fs.payload(written.path, fs.township().identity)))
    tombstone = json.loads(archive.read("revisions-0001.jsonl").splitlines()[2])
    assert tombstone["deleted"] is True
    assert tombstone["data"] == {}
    assert set(tombstone) == {"data", "deleted", "hlc", "origin_device", "origin_seq", "record_id", "signature"} | {
        "table",
        "vv",
    }
    assert "王小明".encode() not in archive.read("revisions-0001.jsonl").splitlines()[2]
    receipt = json.loads(archive.read(RECEIPTS))
    assert set(receipt) == {"file_id", "file_sha256", "by", "for", "imported", "holds", "signature"}
    assert set(receipt["by"]) == set(receipt["for"]) == {"org", "device"}
    assert all(isinstance(seq, int) for seq in receipt["holds"].values())
    _opened, read = fs.read(written.path)
    assert read[2].revision.deleted
    assert read[2].revision.data == {}


def test_the_writer_writes_nfc_whatever_it_is_given(tmp_path: Path) -> None:
    decomposed = "e\u0301 王\u00a0小明"  # é spelled as e + a combining acute accent
    revision = fs.Rows(fs.village()).revision("party", case_id=str(uuid.UUID(int=1)), name=decomposed, role="x")
    assert revision.data["name"] == "\u00e9 王\u00a0小明"
    _opened, read = fs.read(fs.write(tmp_path / "out.mdsync", [revision]).path)
    assert read[0].revision.data["name"] == "\u00e9 王\u00a0小明"


def _bad_revisions() -> dict[str, SignedRevision]:
    desk = fs.village()
    device, record = desk.key.device, uuid.UUID(int=5, version=4)

    def signed(**changes: object) -> SignedRevision:
        fields: dict[str, object] = {
            "origin_device": device,
            "origin_seq": 1,
            "table": "party",
            "record_id": record,
            "vv": {str(device): 1},
            "hlc": 1,
            "deleted": False,
            "data": {"id": str(record), "name": "王小明"},
            **changes,
        }
        return sign_revision(desk.signer, **fields)  # type: ignore[arg-type]

    return {
        "tombstone with data": signed(deleted=True),
        "id not the record's": signed(data={"id": str(uuid.UUID(int=6)), "name": "王小明"}),
        "vector without its own number": signed(vv={str(device): 2}),
        "table not a table name": signed(table="Party; DROP"),
        "a clock before zero": signed(hlc=-1),
    }


@pytest.mark.parametrize("case", sorted(_bad_revisions()))
def test_the_writer_refuses_what_no_reader_would_accept(tmp_path: Path, case: str) -> None:
    good = list(fs.Rows(fs.village()).many(3))
    with pytest.raises(ValueError, match=r"tombstone|id|vector|table|clock"):
        fs.write(tmp_path / "out.mdsync", [*good, _bad_revisions()[case]])
    assert list(tmp_path.iterdir()) == []


def test_the_writer_refuses_a_line_over_the_readers_cap(tmp_path: Path) -> None:
    revision = fs.Rows(fs.village()).revision(facts="纠" * 2000)
    with pytest.raises(ValidationError, match="过大"):
        fs.write(tmp_path / "big.mdsync", [revision], limits=Limits(max_line_bytes=4096))
    assert list(tmp_path.iterdir()) == []
    fs.write(tmp_path / "ok.mdsync", [revision], limits=Limits(max_line_bytes=len(revision.line())))
    _opened, read = fs.read(tmp_path / "ok.mdsync", limits=Limits(max_line_bytes=len(revision.line())))
    assert read[0].revision == revision


def test_a_retained_old_identity_still_opens_files_sent_to_it(tmp_path: Path) -> None:
    old = AgeIdentity.generate()
    township = fs.township()
    before = fs.Desk(dataclasses.replace(township.key, age_recipient=old.recipient), township.signer, old)
    written = fs.write(tmp_path / "old.mdsync", fs.Rows(fs.village()).many(2), recipient=before)
    _opened, read = fs.read(written.path, local=township.local(extra_identities=(old,)))
    assert len(read) == 2
    error = fs.refusal(written.path)
    assert error.code == "damaged"
    assert "没有保存的密钥" in str(error)


# ---------------------------------------------------------------------------------------------------------------
# The age tool, for manual recovery


def _age_decrypt(tmp_path: Path, sync_file: Path, identity: AgeIdentity) -> bytes:
    key_file = tmp_path / f"identity-{identity.recipient[-8:]}.txt"
    key_file.write_text(identity.text() + "\n", encoding="ascii")
    key_file.chmod(0o600)
    body = tmp_path / "body.age"
    body.write_bytes(fs.split_file(sync_file)[1])
    result = subprocess.run([AGE, "-d", "-i", str(key_file), str(body)], capture_output=True, check=True, timeout=30)
    return result.stdout


def test_the_age_tool_decrypts_a_file_to_the_archive_that_was_read(tmp_path: Path) -> None:
    revisions = list(fs.Rows(fs.village()).many(40, facts_bytes=300))
    written = fs.write(tmp_path / "out.mdsync", revisions, split_bytes=4096)
    opened, _read = fs.read(written.path)
    archive = zipfile.ZipFile(io.BytesIO(_age_decrypt(tmp_path, written.path, fs.township().identity)))
    assert archive.read(MANIFEST) == opened.manifest.to_bytes() == written.manifest.to_bytes()
    assert archive.read(SIGNATURE)[:32] == fs.village().key.signing_key
    lines = b"".join(archive.read(item.name) for item in opened.manifest.members if item.name.startswith("revisions"))
    assert lines == fs.revision_lines(revisions)
    assert canonical.canonical_bytes(json.loads(archive.read(MANIFEST))) == archive.read(MANIFEST)


def test_an_escrow_recipient_decrypts_too_but_cannot_import_as_the_recipient(tmp_path: Path) -> None:
    escrow = AgeIdentity.generate()
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(3), escrow=escrow.recipient)
    by_recipient = _age_decrypt(tmp_path, written.path, fs.township().identity)
    by_escrow = _age_decrypt(tmp_path, written.path, escrow)
    assert by_escrow == by_recipient
    assert zipfile.ZipFile(io.BytesIO(by_escrow)).read(MANIFEST) == written.manifest.to_bytes()
    assert len(fs.read(written.path)[1]) == 3
    county = fs.county()
    error = fs.refusal(
        written.path,
        desk=county,
        local=LocalDesk(county.key.org, frozenset({county.key.fingerprint}), (escrow,)),
        trust=fs.county_trust(fs.village()),
    )
    assert isinstance(error, NotForThisDesk)
    assert "不是发给本工作台的" in str(error)
