"""A damaged, truncated, forged or misaddressed sync file is refused whole (SYNC.md "Integrity").

Truncation anywhere (in the first line, the age header, at and around every 64 KiB chunk boundary) is always
``Truncated``, ``Damaged`` or ``BadPreamble``, never a partial read. A flipped bit in any region is refused; one in
the unsigned first line is caught by comparing it with the signed manifest. A file forged with public keys only
(anyone can encrypt to a desk), a valid payload re-encrypted to another office, and a file for another desk are
refused with messages that say which.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mediation_desk.domain.canonical import canonical_bytes
from mediation_desk.sync.envelope import CHUNK, TAG, Preamble
from mediation_desk.sync.errors import (
    BadCertificate,
    BadPreamble,
    BadSignature,
    Damaged,
    NotASyncFile,
    NotForThisDesk,
    PreambleMismatch,
    SyncFileError,
    Truncated,
    UnknownSender,
    Unreadable,
)
from mediation_desk.sync.keys import CERTIFICATE_DOMAIN, SigningKey
from mediation_desk.sync.lines import SignedRevision
from mediation_desk.sync.reader import LocalDesk
from mediation_desk.sync.trust import Certificate, PinnedTrust
from tests.sync import fileformat_support as fs

NONCE = 16


@dataclass(frozen=True)
class Sample:
    """A valid file of more than 200 KiB and where its regions start."""

    path: Path
    data: bytes
    revisions: list[SignedRevision]
    header_start: int  # the age header, after the preamble line
    payload_start: int  # the 16-byte nonce, then 64 KiB chunks each with a 16-byte tag

    def chunk_start(self, number: int) -> int:
        return self.payload_start + NONCE + number * (CHUNK + TAG)

    @property
    def chunks(self) -> int:
        return -(-(len(self.data) - self.payload_start - NONCE) // (CHUNK + TAG))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    folder = tmp_path_factory.mktemp("integrity")
    revisions = list(fs.Rows(fs.village(), seed=11).many(1500, facts_bytes=300))
    written = fs.write(folder / "sample.mdsync", revisions, split_bytes=100_000)
    data = written.path.read_bytes()
    header = data.index(b"\n") + 1
    payload = data.index(b"\n", data.index(b"\n--- ", header) + 1) + 1
    assert len(data) > 200 * 1024
    return Sample(written.path, data, revisions, header, payload)


def _try(tmp_path: Path, data: bytes) -> SyncFileError:
    path = tmp_path / "copy.mdsync"
    path.write_bytes(data)
    return fs.refusal(path)


def test_the_sample_reads_whole(sample: Sample) -> None:
    _opened, read = fs.read(sample.path)
    assert [item.revision for item in read] == sample.revisions
    assert sample.chunks >= 4


def _cuts(sample: Sample) -> Iterator[int]:
    yield from range(sample.header_start + 2)  # every length of the preamble line, and just past it
    yield from range(sample.header_start + 2, sample.payload_start + 2, 7)  # through the age header
    yield from range(sample.payload_start + 2, sample.payload_start + NONCE + 2)  # the nonce
    for number in range(1, sample.chunks):
        start = sample.chunk_start(number)
        yield from (start - TAG - 1, start - TAG, start - 1, start, start + 1)  # at and around each boundary
    rng = random.Random(3)
    yield from (rng.randrange(sample.payload_start, len(sample.data)) for _ in range(12))
    yield from range(len(sample.data) - TAG - 2, len(sample.data))


def test_truncation_anywhere_is_refused_as_truncated_or_damaged(tmp_path: Path, sample: Sample) -> None:
    seen: dict[str, int] = {}
    for cut in sorted(set(_cuts(sample))):
        error = _try(tmp_path, sample.data[:cut])
        assert isinstance(error, Truncated | Damaged | BadPreamble), (cut, error)
        seen[error.code] = seen.get(error.code, 0) + 1
        if cut >= sample.payload_start:
            assert isinstance(error, Truncated), (cut, error)
            assert "不完整" in str(error)
    assert seen["truncated"] > 100


def test_a_file_cut_exactly_at_a_chunk_boundary_is_truncated(tmp_path: Path, sample: Sample) -> None:
    for number in range(1, sample.chunks):
        error = _try(tmp_path, sample.data[: sample.chunk_start(number)])
        assert isinstance(error, Truncated)
        assert "末尾缺失" in str(error)


def test_data_after_the_end_is_refused(tmp_path: Path, sample: Sample) -> None:
    for tail in (b"\n", b"x" * 17, bytes(CHUNK + TAG)):
        assert isinstance(_try(tmp_path, sample.data + tail), Truncated | Damaged)


def _regions(sample: Sample) -> dict[str, range]:
    end = len(sample.data)
    last = sample.chunk_start(sample.chunks - 1)
    return {
        "preamble": range(sample.header_start),
        "age header": range(sample.header_start, sample.payload_start),
        "nonce": range(sample.payload_start, sample.payload_start + NONCE),
        "first chunk": range(sample.chunk_start(0), sample.chunk_start(1)),
        "middle chunks": range(sample.chunk_start(1), last),
        "last chunk": range(last, end),
    }


def test_a_flipped_bit_in_any_region_is_refused(tmp_path: Path, sample: Sample) -> None:
    rng = random.Random(5)
    for region, positions in _regions(sample).items():
        chosen = positions if region == "preamble" else rng.sample(positions, min(len(positions), 40))
        for position in chosen:
            data = bytearray(sample.data)
            data[position] ^= 1 << rng.randrange(8)
            error = _try(tmp_path, bytes(data))
            if region == "preamble":
                assert isinstance(error, BadPreamble | PreambleMismatch | NotASyncFile), (position, error)
            else:
                assert isinstance(error, Damaged | Truncated), (region, position, error)
            if region in ("first chunk", "middle chunks", "nonce"):
                assert isinstance(error, Damaged), (region, position, error)
                number = 1 if region == "nonce" else (position - sample.chunk_start(0)) // (CHUNK + TAG) + 1
                assert f"第 {number} 个数据块（共 {sample.chunks} 个）" in str(error)


def test_a_flipped_bit_in_the_age_header_says_the_header_is_damaged(tmp_path: Path, sample: Sample) -> None:
    for position in range(sample.header_start, sample.payload_start):
        data = bytearray(sample.data)
        data[position] ^= 0x04
        error = _try(tmp_path, bytes(data))
        assert isinstance(error, Damaged | Truncated), (position, error)
        assert "数据块" not in str(error), (position, error)


def _value_positions(line: bytes) -> Iterator[int]:
    """Where the values of ``to``, ``from`` and ``file_id`` are in the first line."""
    for key in (b'"to":"', b'"from":"', b'"file_id":"'):
        start = line.index(key) + len(key)
        yield from range(start, line.index(b'"', start))


def test_a_changed_preamble_is_caught_by_the_signed_manifest(tmp_path: Path, sample: Sample) -> None:
    line = sample.data[: sample.header_start]
    changed = 0
    for position in _value_positions(line):
        for bit in (0, 1, 2, 3):
            candidate = line[position] ^ (1 << bit)
            if not (0x30 <= candidate <= 0x39 or (line[position] > 0x39 and candidate in b"abcdef")):
                continue  # no longer a digit (or a hexadecimal digit of the file id): no longer well formed
            data = bytearray(sample.data)
            data[position] = candidate
            error = _try(tmp_path, bytes(data))
            assert isinstance(error, PreambleMismatch), (position, error)
            assert "文件首行被改动过" in str(error)
            changed += 1
    assert changed > 50


def test_a_preamble_claiming_another_kind_or_sender_is_caught(tmp_path: Path, sample: Sample) -> None:
    opened, _read = fs.read(sample.path)
    body = sample.data[sample.header_start :]
    for preamble in (
        Preamble(opened.preamble.to, opened.preamble.sender, opened.preamble.file_id, "full"),
        Preamble(opened.preamble.to, fs.other_village().key.org, opened.preamble.file_id, "incremental"),
    ):
        assert isinstance(_try(tmp_path, preamble.line() + body), PreambleMismatch)


@pytest.mark.parametrize(
    ("head", "error_type", "words"),
    [
        (b"", Truncated, "空的"),
        (b"MDSY", Truncated, "开头几个字节"),
        (b"age-encryption.org/v1\n-> X25519 abc\n", NotASyncFile, "age 加密文件"),
        (b"PK\x03\x04\x14\x00", NotASyncFile, "ZIP"),
        ("案件台账".encode(), NotASyncFile, "不是调解工作台的同步文件"),
        (b"MDSYNC1 {}\n" + b"x" * 100, BadPreamble, "首行"),
        (b"MDSYNC1 " + b"{" * 2000, BadPreamble, "超过"),
        (b'MDSYNC1 {"file_id":"x","from":"1","kind":"full","to":"2"}\n', BadPreamble, "首行"),
    ],
)
def test_what_is_not_a_sync_file_is_named(tmp_path: Path, head: bytes, error_type: type, words: str) -> None:
    error = _try(tmp_path, head)
    assert type(error) is error_type
    assert words in str(error)


def test_a_missing_file_or_a_folder_is_unreadable(tmp_path: Path) -> None:
    assert isinstance(fs.refusal(tmp_path / "nowhere.mdsync"), Unreadable)
    assert isinstance(fs.refusal(tmp_path), Unreadable)


# ---------------------------------------------------------------------------------------------------------------
# Forged, re-encrypted and misaddressed files


def test_a_file_signed_by_a_new_key_claiming_the_senders_identity_is_refused(tmp_path: Path) -> None:
    impostor = SigningKey.generate()
    revisions = list(fs.Rows(fs.village()).many(3))
    path = fs.forge(tmp_path / "forged.mdsync", members=fs.standard_members(revisions), signer=impostor)
    error = fs.refusal(path)
    assert isinstance(error, UnknownSender)
    assert "不受本工作台信任" in str(error)
    assert "331122001001" in str(error)  # what the first line claims, to say who it pretends to be


def test_a_file_whose_signature_names_the_senders_key_without_its_private_key_is_refused(tmp_path: Path) -> None:
    impostor = SigningKey.generate()
    members = fs.standard_members(fs.Rows(fs.village()).many(3))
    path = fs.forge(
        tmp_path / "forged.mdsync", members=members, signer=impostor, signer_key=fs.village().key.signing_key
    )
    error = fs.refusal(path)
    assert isinstance(error, BadSignature)
    assert "清单签名无效" in str(error)


def test_a_new_key_with_a_certificate_it_made_itself_is_refused(tmp_path: Path) -> None:
    """The impostor also writes a certificate "from the township" for its key: only the township can sign one."""
    impostor = SigningKey.generate()
    claimed = dataclasses.replace(fs.village().key, signing_key=impostor.public_key)
    township = fs.township().key
    unsigned = Certificate(claimed, township.org, township.device, township.fingerprint, fs.WHEN.date(), b"")
    forged = dataclasses.replace(
        unsigned, signature=impostor.sign(CERTIFICATE_DOMAIN, canonical_bytes(unsigned.body()))
    )
    rows = fs.Rows(fs.Desk(claimed, impostor, fs.village().identity))
    members = fs.standard_members(rows.many(2), certificates=[forged])
    path = fs.forge(tmp_path / "forged.mdsync", members=members, signer=impostor, recipient=fs.county())
    error = fs.refusal(path, desk=fs.county(), trust=fs.county_trust())
    assert isinstance(error, BadCertificate)
    assert "证书签名无效" in str(error)


def test_a_manifest_changed_after_signing_is_refused(tmp_path: Path) -> None:
    honest = fs.Forgery(members=fs.standard_members(fs.Rows(fs.village()).many(3)))
    signed = honest.entries()
    manifest = signed[-2].data.replace(b'"kind":"incremental"', b'"kind":"full"')

    def swap(entries: list[fs.Entry]) -> list[fs.Entry]:
        return [*entries[:-2], fs.Entry("manifest.json", manifest), signed[-1]]

    path = fs.forge(
        tmp_path / "changed.mdsync", fs.Forgery(members=honest.members, transform=swap, file_id=honest.file_id)
    )
    assert isinstance(fs.refusal(path), BadSignature)


def test_a_valid_payload_re_encrypted_to_another_office_is_refused(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "for-township.mdsync", fs.Rows(fs.village()).many(3))
    archive = fs.payload(written.path, fs.township().identity)
    other = fs.other_township()
    preamble = Preamble(other.key.org, fs.village().key.org, str(written.file_id), "incremental").line()
    moved = fs.seal(tmp_path / "moved.mdsync", archive, preamble=preamble, recipients=[other.key.age_recipient])
    trust = PinnedTrust([other.key, fs.village().key])
    error = fs.refusal(moved, desk=other, trust=trust)
    assert isinstance(error, NotForThisDesk)
    assert "发给331122001" in str(error)
    assert "不是发给本工作台的" in str(error)


def test_a_file_for_another_office_says_whom_it_is_for(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(2), recipient=fs.other_township())
    local = fs.township().local()
    names = {"331122002": "样本镇", "331122001": "示例街道"}
    labelled = LocalDesk(local.org, local.fingerprints, local.identities, lambda code: names.get(code, code))
    error = fs.refusal(written.path, local=labelled)
    assert isinstance(error, NotForThisDesk)
    assert "此文件是发给样本镇的" in str(error)
    assert "请把它转交样本镇" in str(error)
    assert "本单位（示例街道）" in str(error)


def test_a_file_from_an_unknown_desk_is_refused_with_its_fingerprint(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(2))
    error = fs.refusal(written.path, trust=PinnedTrust([fs.township().key, fs.other_village().key]))
    assert isinstance(error, UnknownSender)
    spoken = " ".join(fs.village().key.fingerprint[index : index + 4] for index in range(0, 64, 4))
    assert spoken in str(error)
    assert "keys trust" in str(error)


def test_a_desk_without_an_identity_cannot_open_anything(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(1))
    local = LocalDesk(fs.township().key.org, frozenset({fs.township().key.fingerprint}), ())
    error = fs.refusal(written.path, local=local)
    assert isinstance(error, NotForThisDesk)
    assert "没有可用的解密密钥" in str(error)


def test_a_file_for_this_office_but_another_of_its_keys_is_refused(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(1))
    local = fs.township().local()
    stranger = LocalDesk(local.org, frozenset({"0" * 64}), local.identities)
    assert isinstance(fs.refusal(written.path, local=stranger), NotForThisDesk)
