"""Whose word a sync file carries (SYNC.md "Identity", import steps 4 to 6).

Each revision must carry the valid signature of a device the file may speak for: pinned here, or certified by a
pinned township in the file's ``certs.json``. A village revision relayed by its township verifies at the county
through the township's certificate, and not without it, nor with a certificate from a desk that may not certify.
Everything the signed manifest lists must be in the archive exactly (size, hash, lines, counts), and receipts
must be the sender's own. Public key files are read back strictly.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.domain import canonical
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.sync.errors import (
    BadCertificate,
    BadKeyFile,
    BadManifest,
    BadMember,
    BadReceipt,
    BadRevision,
    BadSignature,
    SyncFileError,
    UnknownDevice,
)
from mediation_desk.sync.keys import parse_public_key_file, public_key_file
from mediation_desk.sync.lines import SignedRevision
from mediation_desk.sync.trust import Certificate, Receipt, issue_certificate, sign_receipt
from tests.sync import fileformat_support as fs


def _relay(tmp_path: Path, revisions: list[SignedRevision], certificates: tuple[Certificate, ...]) -> Path:
    """The township forwards village revisions unchanged to the county."""
    return fs.write(
        tmp_path / "relay.mdsync",
        revisions,
        sender=fs.township(),
        recipient=fs.county(),
        certificates=certificates,
    ).path


def test_a_village_revision_relayed_by_the_township_verifies_through_its_certificate(tmp_path: Path) -> None:
    village_rows = list(fs.Rows(fs.village()).many(3))
    own = list(fs.Rows(fs.township(), seed=4).many(2))
    path = _relay(tmp_path, [*village_rows, *own], (fs.certify(fs.village(), fs.township()),))
    _opened, read = fs.read(path, desk=fs.county(), trust=fs.county_trust())
    assert [item.revision for item in read] == [*village_rows, *own]
    assert [item.origin.key.org for item in read] == ["331122001001"] * 3 + ["331122001"] * 2
    assert [item.origin.certified_by for item in read] == [fs.township().key] * 3 + [None] * 2


def test_without_the_certificate_the_village_revision_is_from_an_unknown_device(tmp_path: Path) -> None:
    path = _relay(tmp_path, list(fs.Rows(fs.village()).many(2)), ())
    error = fs.refusal(path, desk=fs.county(), trust=fs.county_trust())
    assert isinstance(error, UnknownDevice)
    assert (error.member, error.line) == ("revisions-0001.jsonl", 1)
    assert str(fs.village().key.device) in str(error)
    assert "没有受信任乡镇签发的证书" in str(error)


def test_a_certificate_from_a_desk_that_is_not_a_township_vouches_for_nothing(tmp_path: Path) -> None:
    """The county pins another village (say, directly) and the county itself; neither may certify."""
    for issuer in (fs.other_village(), fs.county()):
        path = _relay(tmp_path, list(fs.Rows(fs.village()).many(1)), (fs.certify(fs.village(), issuer),))
        error = fs.refusal(path, desk=fs.county(), trust=fs.county_trust(fs.other_village()))
        assert isinstance(error, UnknownDevice), issuer


def test_a_certificate_from_a_township_not_pinned_here_vouches_for_nothing(tmp_path: Path) -> None:
    stranger = fs.make_desk("331122009", "别处镇", OrgLevel.TOWNSHIP, 21)
    path = fs.write(
        tmp_path / "stranger.mdsync",
        fs.Rows(fs.village()).many(1),
        sender=fs.township(),
        recipient=fs.county(),
        certificates=(fs.certify(fs.village(), stranger),),
    ).path
    assert isinstance(fs.refusal(path, desk=fs.county(), trust=fs.county_trust()), UnknownDevice)


def test_a_village_certified_by_its_township_may_send_to_the_county_directly(tmp_path: Path) -> None:
    written = fs.write(
        tmp_path / "direct.mdsync",
        fs.Rows(fs.village()).many(2),
        recipient=fs.county(),
        certificates=(fs.certify(fs.village(), fs.township()),),
    )
    opened, read = fs.read(written.path, desk=fs.county(), trust=fs.county_trust())
    assert opened.sender.certified_by == fs.township().key
    assert len(read) == 2


def test_a_certificate_altered_in_transit_refuses_the_file(tmp_path: Path) -> None:
    honest = fs.certify(fs.village(), fs.township())
    impostor = fs.make_desk("331122001001", "示例村人民调解委员会", OrgLevel.VILLAGE, 23)
    altered = dataclasses.replace(
        honest, subject=dataclasses.replace(honest.subject, signing_key=impostor.key.signing_key)
    )
    revisions = list(fs.Rows(impostor).many(1))
    path = _relay(tmp_path, revisions, (altered,))
    error = fs.refusal(path, desk=fs.county(), trust=fs.county_trust())
    assert isinstance(error, BadCertificate)
    assert "证书签名无效" in str(error)


def test_two_certificates_giving_one_device_two_keys_refuse_the_file(tmp_path: Path) -> None:
    other_key = fs.make_desk("331122001001", "示例村人民调解委员会", OrgLevel.VILLAGE, 25).key
    first = fs.certify(fs.village(), fs.township())
    second_subject = dataclasses.replace(other_key, device=fs.village().key.device)
    second = issue_certificate(second_subject, fs.township().key, fs.township().signer, fs.WHEN.date())
    path = _relay(tmp_path, list(fs.Rows(fs.village()).many(1)), (first, second))
    assert isinstance(fs.refusal(path, desk=fs.county(), trust=fs.county_trust()), BadCertificate)


def test_a_revision_from_a_device_the_file_may_not_speak_for_is_refused(tmp_path: Path) -> None:
    """The other township's village: neither pinned at this township nor certified by it."""
    far = fs.make_desk("331122002001", "远处村人民调解委员会", OrgLevel.VILLAGE, 27)
    rows = [*fs.Rows(fs.village()).many(2), *fs.Rows(far, seed=9).many(1)]
    path = fs.write(tmp_path / "out.mdsync", rows, certificates=(fs.certify(far, fs.other_township()),)).path
    error = fs.refusal(path)
    assert isinstance(error, UnknownDevice)
    assert (error.member, error.line) == ("revisions-0001.jsonl", 3)


def test_a_revision_signed_by_another_key_than_its_devices_is_refused(tmp_path: Path) -> None:
    """A desk holding the village's device id but not its key (say, a copied laptop with a new key)."""
    copy = fs.Desk(
        dataclasses.replace(fs.village().key, signing_key=fs.other_village().key.signing_key),
        fs.other_village().signer,
        fs.village().identity,
    )
    forged = next(fs.Rows(copy).many(1))
    path = fs.forge(tmp_path / "forged.mdsync", members=fs.standard_members([*fs.Rows(fs.village()).many(1), forged]))
    error = fs.refusal(path)
    assert isinstance(error, BadSignature)
    assert (error.member, error.line) == ("revisions-0001.jsonl", 2)
    assert "签名无效" in str(error)


def test_a_revision_whose_content_no_longer_matches_its_signature_is_refused(tmp_path: Path) -> None:
    revision = fs.Rows(fs.village()).revision(facts="邻里纠纷", place="东村", amount=100, status="accepted")
    changes: list[dict[str, Any]] = [
        {"data": {**revision.data, "amount": 10_000}},
        {"hlc": revision.hlc + 1},
        {"deleted": True, "data": {}},
        {"table": "party"},
        {"vv": {**revision.vv, str(uuid.UUID(int=9, version=4)): 1}},
    ]
    for change in changes:
        altered = dataclasses.replace(revision, **change)
        path = fs.forge(tmp_path / "altered.mdsync", members=fs.standard_members([altered]))
        error = fs.refusal(path, tables=None)
        assert isinstance(error, BadSignature), change
        assert (error.member, error.line) == ("revisions-0001.jsonl", 1)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"table": "audit_secret"}, "未知的表"),
        ({"data_extra": {"salary": 1}}, "没有字段 salary"),
        ({"deleted": True}, "墓碑"),
        ({"data_id": str(uuid.UUID(int=1))}, "id 与 record_id 不一致"),
        ({"vv": {}}, "应有 1 到"),
        ({"vv_seq": 2}, "序号应等于 origin_seq"),
        ({"origin_seq": 0}, "origin_seq"),
        ({"record_id": "not-a-uuid"}, "UUID"),
        ({"extra_field": 1}, "未知字段 extra_field"),
        ({"hlc": "soon"}, "应为整数"),
    ],
)
def test_a_revision_outside_the_schema_is_refused(tmp_path: Path, change: dict[str, Any], words: str) -> None:
    """Validly signed by the village, so that only the schema can refuse it."""
    revision = fs.Rows(fs.village()).revision(facts="邻里纠纷", place="东村", amount=100, status="accepted")
    body: dict[str, Any] = dict(revision.body())
    if "data_extra" in change:
        body["data"] = {**body["data"], **change.pop("data_extra")}
    if "data_id" in change:
        body["data"] = {**body["data"], "id": change.pop("data_id")}
    if "vv_seq" in change:
        body["vv"] = {str(fs.village().key.device): change.pop("vv_seq")}
    body.update(change)
    line = fs.signed_line(fs.village().signer, body)
    path = fs.forge(tmp_path / "schema.mdsync", members={**fs.standard_members(), "revisions-0001.jsonl": line + b"\n"})
    error = fs.refusal(path)
    assert isinstance(error, BadRevision)
    assert words in str(error)
    assert (error.member, error.line) == ("revisions-0001.jsonl", 1)


def test_the_archive_must_hold_exactly_what_the_signed_manifest_lists(tmp_path: Path) -> None:
    members = fs.standard_members(fs.Rows(fs.village()).many(3))
    cases: list[tuple[fs.Forgery, type[SyncFileError], str]] = [
        (fs.Forgery(members=dict(members), wrong_hash={"revisions-0001.jsonl"}), BadMember, "校验值"),
        (fs.Forgery(members=dict(members), wrong_hash={"certs.json"}), BadMember, "certs.json"),
        (fs.Forgery(members=dict(members), edit=lambda m: m["members"].pop(0)), BadMember, "revisions-0001"),
        (fs.Forgery(members=dict(members), edit=lambda m: m["counts"].update(revisions=4)), BadManifest, "修订记录数"),
        (fs.Forgery(members=dict(members), edit=lambda m: m["counts"]["tables"].update(party=2)), BadManifest, "各表"),
        (fs.Forgery(members=dict(members), edit=lambda m: m["counts"].update(certificates=1)), BadManifest, "证书数"),
        (fs.Forgery(members=dict(members), edit=lambda m: m["counts"].update(receipts=1)), BadManifest, "回执数"),
        (
            fs.Forgery(members=dict(members), edit=lambda m: m["members"][0].update(lines=2)),
            BadMember,
            "revisions-0001",
        ),
        (fs.Forgery(members=dict(members), transform=lambda entries: entries[1:]), BadMember, "revisions-0001"),
    ]
    for forgery, error_type, words in cases:
        error = fs.refusal(fs.forge(tmp_path / "f.mdsync", forgery))
        assert type(error) is error_type, (words, error)
        assert words in str(error)


def test_a_receipt_only_file_with_revisions_is_refused(tmp_path: Path) -> None:
    members = fs.standard_members(fs.Rows(fs.village()).many(1))
    assert isinstance(fs.refusal(fs.forge(tmp_path / "r.mdsync", members=members, kind="receipt")), BadManifest)


def _receipt(**changes: Any) -> Receipt:
    village, township = fs.village(), fs.township()
    fields: dict[str, Any] = {
        "file_id": uuid.UUID(int=77, version=4),
        "file_sha256": "ab" * 32,
        "by_org": village.key.org,
        "by_device": village.key.device,
        "for_org": township.key.org,
        "for_device": township.key.device,
        "imported": datetime(2026, 2, 27, tzinfo=UTC),
        "holds": {str(township.key.device): 12},
    }
    signer = changes.pop("signer", village.signer)
    return sign_receipt(Receipt(**{**fields, **changes}), signer)


@pytest.mark.parametrize(
    ("receipt", "words"),
    [
        (_receipt(by_device=fs.other_village().key.device, signer=fs.other_village().signer), "不是发件设备自己的"),
        (_receipt(for_org=fs.other_township().key.org), "不是给本单位的"),
        (dataclasses.replace(_receipt(), holds={str(fs.township().key.device): 99}), "签名无效"),
    ],
)
def test_a_receipt_that_is_not_the_senders_own_for_this_desk_is_refused(
    tmp_path: Path, receipt: Receipt, words: str
) -> None:
    path = fs.write(tmp_path / "out.mdsync", (), receipts=[receipt]).path
    error = fs.refusal(path)
    assert isinstance(error, BadReceipt)
    assert words in str(error)
    assert (error.member, error.line) == ("receipts.jsonl", 1)


def test_a_public_key_file_reads_back_and_refuses_any_change() -> None:
    desk = fs.township()
    data = public_key_file(desk.key, desk.signer)
    assert parse_public_key_file(data) == desk.key
    assert parse_public_key_file(data.rstrip(b"\n")) == desk.key
    value = canonical.canonical_bytes
    changed = [
        data.replace(b"331122001", b"331122002", 1),
        data.replace("示例街道".encode(), "样本镇".encode()),
        data.replace(b'"role":"township"', b'"role":"county"'),
        data.replace(b'{"', b'{ "', 1),
        b"\xef\xbb\xbf" + data,
        data + b"x" * 20_000,
        value({"format": "something-else"}),
        b"[]",
    ]
    for candidate in changed:
        with pytest.raises(BadKeyFile) as caught:
            parse_public_key_file(candidate)
        fs.assert_clear(caught.value)
    with pytest.raises(ValueError, match="signed by the key it names"):
        public_key_file(desk.key, fs.village().signer)
